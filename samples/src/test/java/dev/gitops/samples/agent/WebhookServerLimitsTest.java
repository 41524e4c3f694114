package dev.gitops.samples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hostile clients: slow, silent, many, or refused from their headers alone. Real sockets on loopback. */
class WebhookServerLimitsTest {
  private static final String SECRET = "a-webhook-secret-of-some-length";
  private static final Instant NOW = Instant.parse("2026-12-03T01:00:00Z");
  private static final int THREADS = 4;
  private final AtomicInteger triggered = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AgentMetrics metrics = new AgentMetrics("web");
  private final WebhookVerifier verifier = new WebhookVerifier(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));
  private final List<Socket> sockets = new ArrayList<>();
  private WebhookServer server;

  private void start(Duration requestTimeout) throws IOException {
    start(requestTimeout, THREADS);
  }

  private void start(Duration requestTimeout, int threads) throws IOException {
    server = WebhookServer.start(new InetSocketAddress("127.0.0.1", 0), verifier,
        List.of(new WebhookServer.Hook("https://git.example.com/shop/deploy.git", "main", () -> triggered.incrementAndGet() > 0)),
        metrics, () -> true, new WebhookServer.Limits(threads, requestTimeout));
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A connection that has sent {@code text} and stays open. */
  private Socket send(String text) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    sockets.add(socket);
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return socket;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> signedPush() throws Exception {
    String body = "{\"ref\":\"refs/heads/main\",\"repository\":{\"clone_url\":\"https://git.example.com/shop/deploy.git\"}}";
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hooks/github"))
        .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", "d-" + System.nanoTime())
        .header("X-Hub-Signature-256", "sha256=" + verifier.hmac(body.getBytes(StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The server closed the connection (end of stream or reset) without answering, within a loose 10 s. */
  private static void assertCut(Socket socket, String what) throws IOException {
    socket.setSoTimeout(10_000);
    try {
      assertEquals(-1, socket.getInputStream().read(), what + ": closed without an answer");
    } catch (SocketTimeoutException e) {
      fail(what + ": still open after 10 s");
    } catch (SocketException reset) {
      // reset: closed too
    }
  }

  /** The status line and headers the server answers, read within 5 s (long before any request deadline). */
  private static String answer(Socket socket) throws IOException {
    socket.setSoTimeout(5_000);
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    try {
      while (head.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.append((char) b);
      }
    } catch (SocketTimeoutException e) {
      fail("no answer within 5 s; read so far: " + head);
    }
    return head.toString();
  }

  private static String post(String path, String... headers) {
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + String.join("\r\n", headers) + "\r\n\r\n";
  }

  private long handlerThreads() {
    String prefix = "gitops-webhook-" + server.port() + "-";
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && !t.getName().endsWith("deadlines")).count();
  }

  @Test
  void aTricklingBodyHalfHeadersOrASilentConnectionBlockNeitherHooksNorHealthNorMetrics() throws Exception {
    start(Duration.ofSeconds(30));
    send(post("/hooks/github", "X-Hub-Signature-256: sha256=00", "Content-Length: 100") + "{");
    send("POST /hooks/gitlab HTTP/1.1\r\nHo");
    new Socket("127.0.0.1", server.port()).close();
    sockets.add(new Socket("127.0.0.1", server.port()));

    assertEquals(200, get("/healthz").statusCode());
    assertEquals(200, get("/metrics").statusCode());
    assertEquals(202, signedPush().statusCode());
    assertEquals(1, triggered.get());
  }

  @Test
  void aClientTricklingItsHeadersOrItsBodyIsCutOffAtTheRequestDeadline() throws Exception {
    start(Duration.ofMillis(500));
    Socket headers = send("POST /hooks/github HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
    Socket body = send(post("/hooks/github", "X-Hub-Signature-256: sha256=00", "Content-Length: 1000"));
    Thread trickle = new Thread(() -> {
      try {
        for (int i = 0; i < 100; i++) { // a byte each 100 ms on both, far longer than the deadline
          headers.getOutputStream().write('a');
          body.getOutputStream().write('a');
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException cut) {
        // the server closed them: what this test wants
      }
    }, "trickle");
    trickle.setDaemon(true);
    trickle.start();

    assertCut(headers, "trickling headers");
    assertCut(body, "trickling body");
    trickle.interrupt();
    assertEquals(200, get("/healthz").statusCode());
    assertEquals(0, triggered.get());
  }

  @Test
  void hundredsOfSilentConnectionsHoldNoThreadAndHealthzStillAnswers() throws Exception {
    start(Duration.ofSeconds(30));
    for (int i = 0; i < 300; i++) {
      sockets.add(new Socket("127.0.0.1", server.port()));
    }
    for (int i = 0; i < THREADS - 1; i++) {
      send("GET /healthz HTTP/1.1\r\n");
    }
    assertEquals(200, get("/healthz").statusCode());
    assertEquals(202, signedPush().statusCode());
    assertTrue(handlerThreads() <= THREADS, handlerThreads() + " threads");
  }

  @Test
  void moreSlowClientsThanThreadsAreRefusedAndHealthzAnswersOnceTheDeadlineCutsThem() throws Exception {
    start(Duration.ofMillis(500));
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 5 * THREADS; i++) {
      slow.add(send("GET /healthz HTTP/1.1\r\n"));
    }
    assertTrue(handlerThreads() <= THREADS, handlerThreads() + " threads");
    for (Socket socket : slow) {
      assertCut(socket, "a slow client");
    }
    assertEquals(200, get("/healthz").statusCode());
    assertTrue(handlerThreads() <= THREADS, handlerThreads() + " threads");
  }

  @Test
  void whatTheHeadersSettleIsAnsweredWithoutWaitingForTheBody() throws Exception {
    start(Duration.ofSeconds(30), 16); // an answer within 5 s comes from the headers, not from a cut
    String signature = "X-Hub-Signature-256: sha256=" + "0".repeat(64);
    String tooLong = answer(send(post("/hooks/github", signature, "Content-Length: 5000000")));
    assertTrue(tooLong.startsWith("HTTP/1.1 413 "), tooLong);
    assertTrue(tooLong.toLowerCase().contains("connection: close"), tooLong);
    String unsigned = answer(send(post("/hooks/github", "X-GitHub-Event: push", "Content-Length: 100")));
    assertTrue(unsigned.startsWith("HTTP/1.1 401 "), unsigned);
    String wrongToken = answer(send(post("/hooks/gitlab", "X-Gitlab-Token: guess", "Content-Length: 100")));
    assertTrue(wrongToken.startsWith("HTTP/1.1 401 "), wrongToken);
    String stale = answer(send(post("/hooks/generic", "X-Gitops-Timestamp: " + (NOW.getEpochSecond() - 3600),
        "X-Gitops-Signature: sha256=" + "0".repeat(64), "Content-Length: 100")));
    assertTrue(stale.startsWith("HTTP/1.1 401 "), stale);
    String get = answer(send("GET /hooks/github HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n"));
    assertTrue(get.startsWith("HTTP/1.1 405 ") && get.contains("Allow: POST"), get);

    String signedHeadersOnly = post("/hooks/github", signature, "Content-Length: 100");
    Socket waiting = send(signedHeadersOnly);
    waiting.setSoTimeout(300);
    try {
      fail("answered before its body came: " + (char) waiting.getInputStream().read());
    } catch (SocketTimeoutException expected) {
      // a delivery whose headers pass waits for its body, which the signature covers
    }
    assertEquals(0, triggered.get());
    assertTrue(metrics.scrape().contains("provider=\"github\",code=\"401\"} 1"), metrics.scrape());
  }

  @Test
  void aChunkedBodyOverTheLimitStillGets413() throws Exception {
    start(Duration.ofSeconds(30));
    byte[] huge = new byte[WebhookServer.MAX_BODY + 1];
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
            + "/hooks/github")).timeout(Duration.ofSeconds(10))
        .header("X-Hub-Signature-256", "sha256=" + verifier.hmac(huge))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(413, response.statusCode(), response.body());
    assertEquals(0, triggered.get());
  }

  @Test
  void namesFromThePayloadAndHeadersAreAnsweredEscaped() throws Exception {
    start(Duration.ofSeconds(30));
    String body = "{\"ref\":\"refs/heads/x\\u001b[2J\\nfake line\",\"repository\":{\"clone_url\":\"https://git.example.com/shop/deploy.git\"}}";
    Socket socket = send(post("/hooks/github", "X-GitHub-Event: push",
        "X-Hub-Signature-256: sha256=" + verifier.hmac(body.getBytes(StandardCharsets.UTF_8)),
        "Content-Length: " + body.length()) + body);
    String head = answer(socket);
    assertTrue(head.startsWith("HTTP/1.1 200 "), head);
    int length = Integer.parseInt(head.replaceAll("(?si).*content-length: *(\\d+).*", "$1"));
    String message = new String(socket.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
    assertTrue(message.contains("refs/heads/x\\x1b[2J\\nfake line"), message);
    assertFalse(message.contains("\u001b"), message);
    assertEquals(0, triggered.get());
  }

  @Test
  void closeStopsEveryHandlerThread() throws Exception {
    start(Duration.ofSeconds(30));
    Socket slow = send(post("/hooks/github", "X-Hub-Signature-256: sha256=00", "Content-Length: 100"));
    assertEquals(200, get("/healthz").statusCode());
    server.close();
    assertCut(slow, "a request in progress at close");
    for (int i = 0; i < 100 && handlerThreads() > 0; i++) {
      Thread.sleep(50);
    }
    assertEquals(0, handlerThreads());
    server = null;
  }

}

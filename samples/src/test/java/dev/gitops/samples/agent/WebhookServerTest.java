package dev.gitops.samples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 18 item 6: signed pushes trigger, anything else does not. */
class WebhookServerTest {
  private static final String SECRET = "a-webhook-secret-of-some-length";
  private static final Instant NOW = Instant.parse("2026-12-03T01:00:00Z");
  private final AtomicInteger main = new AtomicInteger();
  private final AtomicInteger other = new AtomicInteger();
  private final HttpClient http = HttpClient.newHttpClient();
  private final AgentMetrics metrics = new AgentMetrics("web");
  private final WebhookVerifier verifier = new WebhookVerifier(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));
  @AutoClose private WebhookServer server;

  @BeforeEach
  void start() throws Exception {
    server = WebhookServer.start(new InetSocketAddress("127.0.0.1", 0), verifier, List.of(
        new WebhookServer.Hook("https://git.example.com/shop/deploy.git", "main", () -> main.incrementAndGet() > 0),
        new WebhookServer.Hook("https://git.example.com/shop/other", "main", () -> other.incrementAndGet() > 0)),
        metrics, () -> true);
  }

  private static String push(String ref) {
    return "{\"ref\":\"" + ref + "\",\"repository\":{\"clone_url\":\"https://git.example.com/shop/deploy.git\","
        + "\"ssh_url\":\"git@git.example.com:shop/deploy.git\"}}";
  }

  private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> github(String body, String delivery, String signature) throws Exception {
    return post("/hooks/github", body.getBytes(StandardCharsets.UTF_8), "X-GitHub-Event", "push",
        "X-GitHub-Delivery", delivery, "X-Hub-Signature-256", signature);
  }

  private String sign(String body) {
    return "sha256=" + verifier.hmac(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSignedGithubPushTriggersTheReconcilerOfItsRepositoryAndBranchOnly() throws Exception {
    String body = push("refs/heads/main");
    HttpResponse<String> response = github(body, "d-1", sign(body));
    assertEquals(202, response.statusCode(), response.body());
    assertEquals(1, main.get(), "triggered before the answer");
    assertEquals(0, other.get());

    String branch = push("refs/heads/feature");
    assertEquals(200, github(branch, "d-2", sign(branch)).statusCode());
    assertEquals(1, main.get(), "another branch triggers nothing");
  }

  @Test
  void unsignedWronglySignedReplayedAndOversizedDeliveriesTriggerNothing() throws Exception {
    String body = push("refs/heads/main");
    assertEquals(401, github(body, "d-1", "").statusCode());
    assertEquals(401, github(body, "d-2", sign(body + " ")).statusCode());
    assertEquals(401, post("/hooks/github", body.getBytes(StandardCharsets.UTF_8), "X-GitHub-Event", "push").statusCode());
    assertEquals(0, main.get());

    assertEquals(202, github(body, "d-3", sign(body)).statusCode());
    assertEquals(409, github(body, "d-3", sign(body)).statusCode(), "a replayed delivery");
    assertEquals(1, main.get());

    byte[] huge = new byte[WebhookServer.MAX_BODY + 1];
    assertEquals(413, post("/hooks/github", huge, "X-Hub-Signature-256", "sha256=" + verifier.hmac(huge)).statusCode());
    assertEquals(1, main.get());
    assertTrue(metrics.scrape().contains("gitops_webhook_requests_total{reconciler=\"web\",provider=\"github\",code=\"401\"} 3"),
        metrics.scrape());
  }

  @Test
  void gitlabChecksItsTokenAndGenericItsHmacAndTimestamp() throws Exception {
    String gitlab = "{\"ref\":\"refs/heads/main\",\"project\":{\"git_http_url\":\"https://GIT.example.com/shop/deploy.git\"}}";
    byte[] bytes = gitlab.getBytes(StandardCharsets.UTF_8);
    assertEquals(401, post("/hooks/gitlab", bytes, "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", "guess").statusCode());
    assertEquals(202, post("/hooks/gitlab", bytes, "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET).statusCode());
    assertEquals(1, main.get());

    String generic = "{\"ref\":\"refs/heads/main\",\"repository\":\"https://git.example.com/shop/other\"}";
    String now = Long.toString(NOW.getEpochSecond());
    String signature = "sha256=" + verifier.hmac((now + "." + generic).getBytes(StandardCharsets.UTF_8));
    byte[] g = generic.getBytes(StandardCharsets.UTF_8);
    assertEquals(202, post("/hooks/generic", g, "X-Gitops-Timestamp", now, "X-Gitops-Signature", signature).statusCode());
    assertEquals(1, other.get());
    String old = Long.toString(NOW.getEpochSecond() - 3600);
    String oldSignature = "sha256=" + verifier.hmac((old + "." + generic).getBytes(StandardCharsets.UTF_8));
    assertEquals(401, post("/hooks/generic", g, "X-Gitops-Timestamp", old, "X-Gitops-Signature", oldSignature).statusCode(),
        "a delivery an hour old");
    assertEquals(1, other.get());
  }

  @Test
  void healthzAnswers() throws Exception {
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
  }
}

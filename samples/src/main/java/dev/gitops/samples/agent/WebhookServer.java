package dev.gitops.samples.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gitops.model.ResourceId;
import dev.gitops.source.GitSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The agent's HTTP endpoint on the JDK's own server: Git push webhooks at {@code /hooks/github},
 * {@code /hooks/gitlab} and {@code /hooks/generic} (checked by a {@link WebhookVerifier}; a push to
 * a hooked repository and branch triggers its reconciler at once), {@code /healthz} and
 * {@code /metrics} (Prometheus text). Bad signatures get 401 and trigger nothing, replays 409,
 * bodies over {@value #MAX_BODY} bytes 413.
 *
 * <p>Anyone who reaches the port can talk to it before any signature is checked, so it bounds what
 * a client can hold: handlers run on at most 32 threads (a request that finds them all busy has its
 * connection closed at once), and each request has 10 seconds from its first byte to its answer,
 * headers and body together, after which its connection is cut. A connection that sends nothing
 * holds no thread; the JDK closes it after {@code sun.net.httpserver.idleInterval} (30 s). What the
 * headers settle is answered without reading the body: a method other than POST (405), a declared
 * {@code Content-Length} over the limit (413), a missing signature header, a wrong GitLab token or a
 * stale generic timestamp (401). Thread-safe.
 */
public final class WebhookServer implements AutoCloseable {
  /** The largest body read. GitHub caps payloads at 25 MB, but a push event is a few kilobytes. */
  public static final int MAX_BODY = 1 << 20;
  /** The most of a refused body dropped after its answer; what is left then resets the connection. */
  private static final long DISCARDED = 16L * MAX_BODY;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How much a client can hold.
   *
   * @param threads handler threads, at most this many requests in progress at once
   * @param requestTimeout a request's whole time, from its first byte to its answer
   */
  record Limits(int threads, Duration requestTimeout) {
    /** 32 threads; 10 seconds, the time GitHub itself waits for a webhook's answer. */
    static Limits defaults() {
      return new Limits(32, Duration.ofSeconds(10));
    }
  }

  /**
   * A reconciler the hooks can trigger.
   *
   * @param repo its repository URL or path (credentials are ignored when matching)
   * @param branch the branch it follows
   * @param trigger runs it now; false when it was already running or stopped
   */
  public record Hook(String repo, String branch, BooleanSupplier trigger) {}

  private final HttpServer server;
  private final DeadlineExecutor executor;
  private final WebhookVerifier verifier;
  private final List<Hook> hooks;
  private final AgentMetrics metrics;

  private WebhookServer(HttpServer server, DeadlineExecutor executor, WebhookVerifier verifier, List<Hook> hooks,
                        AgentMetrics metrics, Supplier<Boolean> healthy) {
    this.server = server;
    this.executor = executor;
    this.verifier = verifier;
    this.hooks = List.copyOf(hooks);
    this.metrics = metrics;
    for (String provider : List.of("github", "gitlab", "generic")) {
      server.createContext("/hooks/" + provider, exchange -> hook(provider, exchange));
    }
    server.createContext("/healthz", exchange -> {
      boolean ok = healthy.get();
      answer(exchange, ok ? 200 : 503, ok ? "ok\n" : "not ready\n", "text/plain");
    });
    server.createContext("/metrics", exchange -> answer(exchange, 200, metrics.scrape(),
        "text/plain; version=0.0.4; charset=utf-8"));
  }

  /**
   * Starts serving on {@code address} (port 0: any free port).
   *
   * @param healthy what {@code /healthz} reports
   */
  public static WebhookServer start(InetSocketAddress address, WebhookVerifier verifier, List<Hook> hooks,
                                    AgentMetrics metrics, Supplier<Boolean> healthy) throws IOException {
    return start(address, verifier, hooks, metrics, healthy, Limits.defaults());
  }

  static WebhookServer start(InetSocketAddress address, WebhookVerifier verifier, List<Hook> hooks,
                             AgentMetrics metrics, Supplier<Boolean> healthy, Limits limits) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    DeadlineExecutor executor = new DeadlineExecutor("gitops-webhook-" + server.getAddress().getPort(),
        limits.threads(), limits.requestTimeout());
    server.setExecutor(executor);
    WebhookServer webhooks = new WebhookServer(server, executor, verifier, hooks, metrics, healthy);
    server.start();
    return webhooks;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void hook(String provider, HttpExchange exchange) throws IOException {
    Map<String, String> headers = headers(exchange);
    String[] answer;
    try {
      answer = refusal(provider, exchange.getRequestMethod(), headers);
      if (answer == null) {
        answer = deliver(provider, headers, exchange);
      }
    } catch (RuntimeException e) {
      answer = new String[] {"400", "unreadable delivery: " + ResourceId.escape(String.valueOf(e.getMessage()))};
    }
    int status = Integer.parseInt(answer[0]);
    metrics.webhook(provider, status);
    if (status == 405) {
      exchange.getResponseHeaders().set("Allow", "POST");
    } else if (status == 413) {
      exchange.getResponseHeaders().set("Connection", "close"); // the rest of the body is never read
    }
    answer(exchange, status, answer[1] + "\n", "text/plain");
  }

  /** {status, message} for what the headers alone settle, the body unread; null when the body is needed. */
  private String[] refusal(String provider, String method, Map<String, String> headers) {
    if (!"POST".equals(method)) {
      return new String[] {"405", "POST only"};
    }
    String length = headers.get("content-length");
    if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > MAX_BODY)) {
      return new String[] {"413", "body over " + MAX_BODY + " bytes"};
    }
    return verifier.admits(provider, headers) ? null : new String[] {"401", "bad or missing signature"};
  }

  private String[] deliver(String provider, Map<String, String> headers, HttpExchange exchange) throws IOException {
    byte[] body = body(exchange);
    if (body == null) {
      return new String[] {"413", "body over " + MAX_BODY + " bytes"};
    }
    return switch (verifier.verify(provider, headers, body)) {
      case UNAUTHORIZED -> new String[] {"401", "bad or missing signature"};
      case REPLAYED -> new String[] {"409", "delivery seen before"};
      case ACCEPTED -> dispatch(headers, body);
    };
  }

  /** {status, message}: the push's repository and branch matched against the hooks, which are triggered. */
  private String[] dispatch(Map<String, String> headers, byte[] body) {
    String event = headers.getOrDefault("x-github-event", headers.getOrDefault("x-gitlab-event", "push"));
    if (event.equals("ping")) {
      return new String[] {"200", "pong"};
    }
    if (!event.equalsIgnoreCase("push") && !event.equalsIgnoreCase("Push Hook")) {
      return new String[] {"202", "ignored event " + ResourceId.escape(event)};
    }
    JsonNode push;
    try {
      push = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON");
    }
    String ref = push.path("ref").asText();
    List<String> urls = new ArrayList<>();
    for (String field : List.of("clone_url", "ssh_url", "git_url", "html_url", "url")) {
      urls.add(push.path("repository").path(field).asText());
    }
    for (String field : List.of("git_http_url", "git_ssh_url", "web_url", "http_url")) {
      urls.add(push.path("project").path(field).asText());
    }
    urls.add(push.path("repository").isTextual() ? push.path("repository").asText() : "");
    int triggered = 0;
    for (Hook hook : hooks) {
      if (ref.equals("refs/heads/" + hook.branch()) && urls.stream().anyMatch(u -> same(u, hook.repo()))) {
        triggered += hook.trigger().getAsBoolean() ? 1 : 0;
      }
    }
    return triggered > 0 ? new String[] {"202", "triggered " + triggered}
        : new String[] {"200", "no reconciler follows " + ResourceId.escape(ref) + " of that repository"};
  }

  /** Same repository: credentials, a trailing {@code .git} or {@code /} and the host's case aside. */
  static boolean same(String a, String b) {
    return !a.isBlank() && canonical(a).equals(canonical(b));
  }

  private static String canonical(String url) {
    String bare = GitSource.withoutCredentials(url.strip()).replaceFirst("/+$", "").replaceFirst("\\.git$", "");
    int scheme = bare.indexOf("://");
    int slash = bare.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    return slash < 0 ? bare.toLowerCase(Locale.ROOT) : bare.substring(0, slash).toLowerCase(Locale.ROOT) + bare.substring(slash);
  }

  /**
   * The body, or null when it is over {@link #MAX_BODY} bytes; never more than one byte over is read.
   * Only a chunked body gets here over the limit: a declared length over it was refused unread.
   */
  private static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      return body.length <= MAX_BODY ? body : null;
    }
  }

  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
    return headers;
  }

  /**
   * Sends the answer first, then drops what is left of the request's body (up to {@value #DISCARDED}
   * bytes, within the request's deadline, never kept): a client still sending a body that was refused
   * unread then reads its answer instead of a connection reset by unread data.
   */
  private static void answer(HttpExchange exchange, int status, String text, String type) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody(); InputStream rest = exchange.getRequestBody()) {
      out.write(bytes);
      out.flush();
      byte[] sink = new byte[8192];
      for (long left = DISCARDED; left > 0; ) {
        int read = rest.read(sink, 0, (int) Math.min(sink.length, left));
        if (read < 0) {
          break;
        }
        left -= read;
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}

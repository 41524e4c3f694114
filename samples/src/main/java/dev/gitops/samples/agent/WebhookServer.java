package dev.gitops.samples.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gitops.source.GitSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
 */
public final class WebhookServer implements AutoCloseable {
  /** The largest body read. GitHub caps payloads at 25 MB, but a push event is a few kilobytes. */
  public static final int MAX_BODY = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A reconciler the hooks can trigger.
   *
   * @param repo its repository URL or path (credentials are ignored when matching)
   * @param branch the branch it follows
   * @param trigger runs it now; false when it was already running or stopped
   */
  public record Hook(String repo, String branch, BooleanSupplier trigger) {}

  private final HttpServer server;
  private final WebhookVerifier verifier;
  private final List<Hook> hooks;
  private final AgentMetrics metrics;

  private WebhookServer(HttpServer server, WebhookVerifier verifier, List<Hook> hooks, AgentMetrics metrics,
                        Supplier<Boolean> healthy) {
    this.server = server;
    this.verifier = verifier;
    this.hooks = List.copyOf(hooks);
    this.metrics = metrics;
    for (String provider : List.of("github", "gitlab", "generic")) {
      server.createContext("/hooks/" + provider, exchange -> hook(provider, exchange));
    }
    server.createContext("/healthz", exchange -> answer(exchange, healthy.get() ? 200 : 503,
        healthy.get() ? "ok\n" : "not ready\n", "text/plain"));
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
    HttpServer server = HttpServer.create(address, 0);
    WebhookServer webhooks = new WebhookServer(server, verifier, hooks, metrics, healthy);
    server.start();
    return webhooks;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void hook(String provider, HttpExchange exchange) throws IOException {
    int status;
    String message;
    try {
      if (!"POST".equals(exchange.getRequestMethod())) {
        status = 405;
        message = "POST only";
      } else {
        byte[] body = body(exchange);
        if (body == null) {
          status = 413;
          message = "body over " + MAX_BODY + " bytes";
        } else {
          Map<String, String> headers = headers(exchange);
          WebhookVerifier.Verdict verdict = verifier.verify(provider, headers, body);
          if (verdict == WebhookVerifier.Verdict.UNAUTHORIZED) {
            status = 401;
            message = "bad or missing signature";
          } else if (verdict == WebhookVerifier.Verdict.REPLAYED) {
            status = 409;
            message = "delivery seen before";
          } else {
            String[] answer = dispatch(provider, headers, body);
            status = Integer.parseInt(answer[0]);
            message = answer[1];
          }
        }
      }
    } catch (RuntimeException e) {
      status = 400;
      message = "unreadable delivery: " + e.getMessage();
    }
    metrics.webhook(provider, status);
    answer(exchange, status, message + "\n", "text/plain");
  }

  /** {status, message}: the push's repository and branch matched against the hooks, which are triggered. */
  private String[] dispatch(String provider, Map<String, String> headers, byte[] body) {
    String event = headers.getOrDefault("x-github-event", headers.getOrDefault("x-gitlab-event", "push"));
    if (event.equals("ping")) {
      return new String[] {"200", "pong"};
    }
    if (!event.equalsIgnoreCase("push") && !event.equalsIgnoreCase("Push Hook")) {
      return new String[] {"202", "ignored event " + event};
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
        : new String[] {"200", "no reconciler follows " + ref + " of that repository"};
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
   * The body, or null when it is over {@link #MAX_BODY} bytes. What is over is read and dropped (up
   * to 16 times the limit), never kept, so that the client gets its 413 instead of a reset connection.
   */
  private static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length <= MAX_BODY) {
        return body;
      }
      in.skipNBytes(Math.min(16L * MAX_BODY, Math.max(0, length(exchange) - body.length)));
      return null;
    } catch (java.io.EOFException e) {
      return null;
    }
  }

  private static long length(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    return length != null && length.matches("\\d{1,18}") ? Long.parseLong(length) : 0;
  }

  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
    return headers;
  }

  private static void answer(HttpExchange exchange, int status, String text, String type) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.gitops.samples.cli;

import dev.gitops.reconcile.AgentStatus;
import dev.gitops.reconcile.PullAgent;
import dev.gitops.samples.agent.AgentMetrics;
import dev.gitops.samples.agent.WebhookServer;
import dev.gitops.samples.agent.WebhookVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;

/** {@code pull --webhook [HOST]:PORT}: the agent's webhook receiver, health and metrics endpoint. */
final class WebhookOptions {
  /** The environment variable holding the webhook secret (never a command-line argument: ps shows those). */
  static final String SECRET_VARIABLE = "GITOPS_WEBHOOK_SECRET";

  /**
   * The JDK server's cap on open connections (beyond it a new one is closed at once), a JVM-wide
   * property read once, when the JVM's first {@code HttpServer} is created: set here, where the command
   * line owns the JVM, unless {@code -D} set it. It bounds the sockets and memory silent connections
   * can hold; the JDK closes those after {@code sun.net.httpserver.idleInterval} (30 s).
   */
  static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";
  static final String MAX_CONNECTIONS_DEFAULT = "512";

  private WebhookOptions() {}

  static void capConnections() {
    if (System.getProperty(MAX_CONNECTIONS) == null) {
      System.setProperty(MAX_CONNECTIONS, MAX_CONNECTIONS_DEFAULT);
    }
  }

  static WebhookServer start(String address, SourceOptions source, PullAgent agent, AgentMetrics metrics) {
    String secret = System.getenv(SECRET_VARIABLE);
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("--webhook needs a secret in $" + SECRET_VARIABLE + " (16 characters or more)");
    }
    int colon = address.lastIndexOf(':');
    if (colon < 0 || !address.substring(colon + 1).matches("\\d{1,5}")) {
      throw new IllegalArgumentException("--webhook " + address + ": want [HOST]:PORT, e.g. :9090 or 127.0.0.1:9090");
    }
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    InetSocketAddress bind = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    capConnections();
    try {
      return WebhookServer.start(bind, new WebhookVerifier(secret, Clock.systemUTC()),
          List.of(new WebhookServer.Hook(source.url(), source.ref(), agent::triggerNow)), metrics,
          () -> !agent.status().is(AgentStatus.Condition.Type.STALLED));
    } catch (IOException e) {
      throw new UncheckedIOException("--webhook " + address + ": " + e.getMessage(), e);
    }
  }
}

package dev.gitops.testing.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock Kubernetes API server on loopback, started, with a client, quiet logs and a log of
 * the requests it answered: one line instead of the five every test repeats.
 *
 * <pre>{@code
 * try (MockKubernetes cluster = MockKubernetes.crud()) {
 *   KubernetesTarget target = KubernetesTarget.of(cluster.client());
 *   MockKubernetes.Requests requests = cluster.requests();
 *   reconciler.reconcileOnce();
 *   assertEquals(List.of(), MockKubernetes.writes(requests.since()));
 * }
 * }</pre>
 *
 * <p>{@link #crud()} stores what clients write and answers reads, lists, watches and {@code 409}s from it
 * (see the limits of CRUD mode in fabric8's documentation: no server-side apply, no defaults, no
 * status); {@link #expectations()} answers only what the test set up with {@code server().expect()}.
 * Needs {@code io.fabric8:kubernetes-server-mock} on the test classpath: gitops-testing declares it
 * optional, so that tests without Kubernetes do not carry it. Thread-safe as fabric8's server is;
 * close it to stop the server and the client.
 */
public final class MockKubernetes implements AutoCloseable {
  /** Held so that its level sticks: the mock server logs every request at INFO. */
  private static final Logger MOCK_LOG = quiet();
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private MockKubernetes(KubernetesMockServer server) {
    this.server = server;
    server.init();
    this.client = server.createClient();
  }

  private static Logger quiet() {
    Logger log = Logger.getLogger("io.fabric8.mockwebserver");
    log.setLevel(Level.WARNING);
    return log;
  }

  /**
   * A started server in CRUD mode, over plain HTTP.
   *
   * @return the server and its client
   */
  public static MockKubernetes crud() {
    return crud(new KubernetesCrudDispatcher());
  }

  /**
   * A started server in CRUD mode whose dispatcher is {@code dispatcher}: a subclass that changes how
   * some requests are answered (a stand-in for a real API server's server-side apply, say).
   *
   * @param dispatcher the CRUD dispatcher
   * @return the server and its client
   */
  public static MockKubernetes crud(KubernetesCrudDispatcher dispatcher) {
    return new MockKubernetes(new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        dispatcher, false));
  }

  /**
   * A started server in expectations mode, over plain HTTP: it answers what the test sets up with
   * {@code server().expect()}, and 404 otherwise.
   *
   * @return the server and its client
   */
  public static MockKubernetes expectations() {
    return new MockKubernetes(new KubernetesMockServer(false));
  }

  /**
   * fabric8's server, for expectations and recorded requests.
   *
   * @return the server
   */
  public KubernetesMockServer server() {
    return server;
  }

  /**
   * The client made at start, closed by {@link #close()}.
   *
   * @return a client of this server
   */
  public KubernetesClient client() {
    return client;
  }

  /**
   * A second client of this server (another connection pool, another informer cache), as another
   * process would hold. The caller closes it.
   *
   * @return a new client
   */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /**
   * A log of the requests this server answers from now on (each {@code METHOD path}), read with
   * {@link Requests#since()}. One log per server at a time: logs share the server's queue of recorded
   * requests.
   *
   * @return a new log
   */
  public Requests requests() {
    return new Requests(server);
  }

  /**
   * The requests that write: everything but {@code GET}.
   *
   * @param requests lines as {@link Requests#since()} gives them
   * @return those not starting with {@code GET }
   */
  public static List<String> writes(List<String> requests) {
    return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  /** Stops the client and the server. */
  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  @Override
  public String toString() {
    return "MockKubernetes[" + client.getMasterUrl() + "]";
  }

  /** The requests a {@link MockKubernetes} answered since the last call. Not thread-safe. */
  public static final class Requests {
    private final KubernetesMockServer server;
    private int seen;

    private Requests(KubernetesMockServer server) {
      this.server = server;
      this.seen = server.getRequestCount();
      drain(seen);
    }

    /**
     * The requests answered since the last call (or since this log was made), oldest first.
     *
     * @return lines as {@code METHOD path}, e.g. {@code PATCH /api/v1/namespaces/default/configmaps/web}
     */
    public List<String> since() {
      int now = server.getRequestCount();
      List<String> out = drain(now - seen);
      seen = now;
      return out;
    }

    private List<String> drain(int n) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        try {
          RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
          if (r != null) {
            out.add(r.getMethod() + " " + r.getPath());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return out;
    }
  }
}

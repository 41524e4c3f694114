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
 * the requests it answered: one line instead of the five every test repeats. Thread-safe as
 * fabric8's server is; close it to stop the server and the client.
 *
 * <p>{@link #crud()} stores what clients write and answers reads, lists, watches and {@code 409}s from it
 * (see the limits of CRUD mode in fabric8's documentation: no server-side apply, no defaults, no
 * status); {@link #expectations()} answers only what the test set up with {@code server().expect()}.
 * Needs {@code io.fabric8:kubernetes-server-mock} on the test classpath: gitops-testing declares it
 * optional, so that tests without Kubernetes do not carry it.
 */
public final class MockKubernetes implements AutoCloseable {
  /** Held so that its level sticks: the mock server logs every request at INFO. */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private int seen;

  private MockKubernetes(KubernetesMockServer server) {
    this.server = server;
    MOCK_LOG.setLevel(Level.WARNING);
    server.init();
    this.client = server.createClient();
  }

  /** {@return a started server in CRUD mode, over plain HTTP, and its client} */
  public static MockKubernetes crud() {
    return crud(new KubernetesCrudDispatcher());
  }

  /**
   * {@return a started server in CRUD mode, and its client}
   *
   * @param dispatcher a subclass of the CRUD dispatcher that answers some requests its own way
   */
  public static MockKubernetes crud(KubernetesCrudDispatcher dispatcher) {
    return new MockKubernetes(new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        dispatcher, false));
  }

  /** {@return a started server in expectations mode (404 but for {@code server().expect()}), and its client} */
  public static MockKubernetes expectations() {
    return new MockKubernetes(new KubernetesMockServer(false));
  }

  /** {@return fabric8's server, for expectations and recorded requests} */
  public KubernetesMockServer server() {
    return server;
  }

  /** {@return the client made at start, closed by {@link #close()}} */
  public KubernetesClient client() {
    return client;
  }

  /** {@return a second client of this server, as another process would hold; the caller closes it} */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /** {@return the requests answered since the last call (or the start), oldest first: {@code PATCH /api/v1/...}} */
  public synchronized List<String> requests() {
    List<String> out = new ArrayList<>();
    for (int now = server.getRequestCount(); seen < now; seen++) {
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

  /**
   * {@return the requests that write: all but {@code GET}s}
   *
   * @param requests lines as {@link #requests()} gives them
   */
  public static List<String> writes(List<String> requests) {
    return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  /**
   * Stops the client, then the server. The mock server waits 10 s for its connections and then
   * throws "Unable to close MockWebServer"; a watch event it was still sending to a watch of the
   * just-closed client (its web socket waits up to 30 s for that write) can outlast that wait. The
   * client's side is closed by then and the port is freed when the write gives up, so that one
   * failure is not the test's and is not thrown; any other is.
   */
  @Override
  public void close() {
    client.close();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      if (!String.valueOf(e.getMessage()).startsWith("Unable to close MockWebServer")) {
        throw e;
      }
    }
  }

  @Override
  public String toString() {
    return "MockKubernetes[" + client.getMasterUrl() + "]";
  }
}

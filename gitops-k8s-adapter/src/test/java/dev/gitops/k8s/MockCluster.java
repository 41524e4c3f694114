package dev.gitops.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * A fresh fabric8 mock API server in CRUD mode, its client and a request counter; or, from
 * {@link #apiServer()}, the same mock answering writes as a real API server does
 * ({@link ApiServerStandIn}: server-side apply, defaults, zero values dropped, managedFields).
 */
final class MockCluster implements AutoCloseable {
  final KubernetesMockServer server;
  final KubernetesClient client;
  final MockRequests requests;

  /** Keeps the mock server's request log (java.util.logging, one line per request) quiet. */
  private static final java.util.logging.Logger MOCK_LOG = quiet();

  private static java.util.logging.Logger quiet() {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    log.setLevel(java.util.logging.Level.WARNING);
    return log;
  }

  MockCluster() {
    this(new KubernetesCrudDispatcher());
  }

  private MockCluster(KubernetesCrudDispatcher dispatcher) {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        dispatcher, false);
    server.init();
    client = server.createClient();
    requests = new MockRequests(server);
  }

  /** A mock cluster (CRUD mode) answering through {@code dispatcher}. */
  static MockCluster with(KubernetesCrudDispatcher dispatcher) {
    return new MockCluster(dispatcher);
  }

  /** A mock cluster whose writes behave as a real API server's ({@link ApiServerStandIn}). */
  static MockCluster apiServer() {
    return new MockCluster(new ApiServerStandIn());
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}

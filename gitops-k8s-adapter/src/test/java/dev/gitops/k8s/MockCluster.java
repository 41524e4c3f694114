package dev.gitops.k8s;

import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * gitops-testing's {@link MockKubernetes} in CRUD mode, as this module's tests hold it (fields, a request
 * log from the start); or, from {@link #apiServer()}, the same mock answering writes as a real API
 * server does ({@link ApiServerStandIn}: server-side apply, defaults, zero values dropped, managedFields).
 */
final class MockCluster implements AutoCloseable {
  private final MockKubernetes mock;
  final KubernetesMockServer server;
  final KubernetesClient client;
  final MockKubernetes.Requests requests;

  MockCluster() {
    this(MockKubernetes.crud());
  }

  private MockCluster(MockKubernetes mock) {
    this.mock = mock;
    server = mock.server();
    client = mock.client();
    requests = mock.requests();
  }

  /** A mock cluster (CRUD mode) answering through {@code dispatcher}. */
  static MockCluster with(KubernetesCrudDispatcher dispatcher) {
    return new MockCluster(MockKubernetes.crud(dispatcher));
  }

  /** A mock cluster whose writes behave as a real API server's ({@link ApiServerStandIn}). */
  static MockCluster apiServer() {
    return new MockCluster(MockKubernetes.crud(new ApiServerStandIn()));
  }

  @Override
  public void close() {
    mock.close();
  }
}

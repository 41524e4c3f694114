package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A cluster nobody answers for: the error names the API server's URL and why it cannot be reached. */
class UnreachableClusterIT {
  @Test
  void anUnreachableClusterNamesTheUrlAndTheCause() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String url = "https://127.0.0.1:" + port + "/";
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl(url).withRequestRetryBackoffLimit(0).withConnectionTimeout(5_000).build()).build()) {
      TargetException e = assertThrows(TargetException.class,
          () -> KubernetesTarget.of(client).read(Scope.owned("web")));
      assertTrue(e.getMessage().contains("cannot reach the Kubernetes API server at " + url), e.getMessage());
      assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
      assertFalse(e.getMessage().contains("HTTP -1"), e.getMessage());
    }
  }
}

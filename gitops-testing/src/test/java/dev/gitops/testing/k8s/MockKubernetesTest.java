package dev.gitops.testing.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.Test;

class MockKubernetesTest {
  @Test
  void crudModeStoresWhatIsWrittenAndLogsEveryRequest() {
    try (MockKubernetes cluster = MockKubernetes.crud()) {
      cluster.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder()
          .withNewMetadata().withName("web").endMetadata().addToData("k", "v").build()).create();
      try (KubernetesClient other = cluster.newClient()) {
        assertEquals("v", other.configMaps().inNamespace("default").withName("web").get().getData().get("k"));
      }

      List<String> seen = cluster.requests();
      assertEquals(List.of("POST /api/v1/namespaces/default/configmaps",
          "GET /api/v1/namespaces/default/configmaps/web"), seen);
      assertEquals(List.of("POST /api/v1/namespaces/default/configmaps"), MockKubernetes.writes(seen));
      assertEquals(List.of(), cluster.requests(), "read once");
    }
  }

  @Test
  void expectationsModeAnswersOnlyWhatWasExpected() {
    try (MockKubernetes cluster = MockKubernetes.expectations()) {
      cluster.server().expect().get().withPath("/api/v1/namespaces/default/configmaps/web")
          .andReturn(200, new ConfigMapBuilder().withNewMetadata().withName("web").endMetadata().build()).once();

      assertNotNull(cluster.client().configMaps().inNamespace("default").withName("web").get());
      assertNull(cluster.client().configMaps().inNamespace("default").withName("web").get(), "expected once");
    }
  }
}

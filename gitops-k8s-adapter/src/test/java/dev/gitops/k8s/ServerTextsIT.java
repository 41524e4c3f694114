package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ResourceId;
import dev.gitops.target.DeployHistory;
import dev.gitops.target.TargetException;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a cluster says (a Status's message, the data of an object, a discovery answer) reaches the
 * user's log and exceptions escaped: a server's words may quote any name, and an RBAC denial quotes
 * the user's (apiserver's {@code authorization} {@code forbiddenMessage}: {@code User "x" cannot get
 * resource ...}). Raw, a line break or an escape sequence there forges a log line or drives the terminal.
 */
class ServerTextsIT {
  private static final String FORGED = "\n[WARN] forged\u001b[2J";
  private static final String[] RAW = {"\n[WARN]", "\u001b"};

  private final ApiFaultsIT.Faults faults = new ApiFaultsIT.Faults();
  private final MockKubernetes cluster = MockKubernetes.crud(faults);

  @AfterEach
  void close() {
    cluster.close();
  }

  /**
   * The deploy history put fabric8's whole message into its exception: the request's URL and the
   * server's Status (its message, details and causes) raw and unbounded; a history whose data is not
   * ours quoted that data raw. Now the server's answer prints as every answer does ({@link Errors#answer}).
   */
  @Test
  void theDeployHistorySaysTheServersAnswerAndItsDataEscaped() {
    KubernetesClient client = cluster.client();
    DeployHistory history = KubernetesTarget.of(client, KubernetesTarget.Options.defaults()).deployHistory().orElseThrow();
    String namespace = KubernetesTarget.Options.defaults().inventoryNamespace();
    faults.on("GET", "/api/v1/namespaces/" + namespace + "/configmaps/" + KubernetesTarget.HISTORY_CONFIG_MAP, 1,
        () -> ApiFaultsIT.status(403, "Forbidden", "configmaps \\\"gitops-deploy-history\\\" is forbidden: User"
            + " \\\"dev\\n[WARN] forged\\u001b[2J\\\" cannot get resource \\\"configmaps\\\""));
    String refused = assertThrows(TargetException.class, history::history).getMessage();
    assertTrue(refused.contains("HTTP 403: configmaps \"gitops-deploy-history\" is forbidden: User"
        + " \"dev\\n[WARN] forged\\x1b[2J\" cannot get resource"), ResourceId.escape(refused));
    assertClean(refused);

    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
        .withName(KubernetesTarget.HISTORY_CONFIG_MAP).withNamespace(namespace).endMetadata()
        .addToData(ClusterHistory.KEY, "{\"deployments\":[{\"revision\":\"r\",\"time\":\"2026" + FORGED.replace("\n", "\\n")
            .replace("\u001b", "\\u001b") + "\"}]}").build()).create();
    String unreadable = assertThrows(TargetException.class, history::history).getMessage();
    assertTrue(unreadable.contains("2026\\n[WARN] forged\\x1b[2J"), ResourceId.escape(unreadable));
    assertClean(unreadable);
  }

  /**
   * A discovery answer the client cannot read is logged by the text of its innermost cause, which
   * quotes what the server sent: that text was printed raw ({@link Errors#cause}).
   */
  @Test
  void aDiscoveryFailureIsLoggedEscaped() throws Exception {
    faults.on("GET", "/apis/example.com/v1", 1, () -> new MockResponse().setResponseCode(200).setBody("""
        {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"example.com/v1",\
        "resources":[{"name":"widgets","kind":"Widget","namespaced":"yes\\n[WARN] forged\\u001b[2J","verbs":[]}]}
        """));
    ScopeResolver scopes = ScopeResolver.discovering(cluster.client());
    String logged = DropsCluster.logged(() -> scopes.namespaced("example.com/v1", "Widget"));
    assertTrue(logged.contains("API discovery of example.com/v1 failed"), ResourceId.escape(logged));
    assertTrue(logged.contains("yes\\n[WARN] forged\\x1b[2J"), ResourceId.escape(logged));
    assertClean(logged);
  }

  private static void assertClean(String text) {
    for (String raw : RAW) {
      assertFalse(text.contains(raw), ResourceId.escape(text));
    }
  }
}

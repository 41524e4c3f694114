package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom resource its CRD makes the API server refuse (a value of the wrong type, a field
 * server-side apply cannot type), in a desired state whose earlier wave holds a ConfigMap: refused
 * by the target before anything is written, naming file, line, resource and field, by the CRD in Git
 * or the cluster's; the stand-in API server does not validate, so a write would have gone through.
 */
class CustomValuesIT {
  private static final String CRD = Fixtures.crd("example.dev", "Widget", "widgets", """
      spec:
        type: object
        properties:
          port: {type: integer}
          mode: {type: string, enum: [fast, safe]}
      """);
  private static final String APP = """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        namespace: shop
      data:
        MODE: fast
      ---
      apiVersion: example.dev/v1
      kind: Widget
      metadata: {name: w, namespace: shop}
      spec:
        port: %s
        mode: fast
      """;

  @AutoClose private final StandInCluster cluster;

  CustomValuesIT(@TempDir Path repo) {
    cluster = new StandInCluster(repo);
  }

  private Reconciler reconciler(ApplyStrategy strategy, String... files) throws Exception {
    for (int i = 0; i < files.length; i += 2) {
      cluster.write(files[i], files[i + 1]);
    }
    return cluster.reconciler(strategy, false);
  }

  private void refusedBeforeAnyWrite(Reconciler web, String... problems) {
    cluster.requests();
    var e = assertThrows(InvalidDesiredStateException.class, () -> web.reconcile(null));
    assertEquals(List.of(problems), e.problems().stream().map(Problem::toString).toList());
    assertEquals(List.of(), MockKubernetes.writes(cluster.requests()), "nothing written");
    assertNull(cluster.client().configMaps().inNamespace("shop").withName("settings").get(), "not even the earlier wave");
  }

  @Test
  void integerTextIsRefusedByTheCrdInGitBeforeAnyWrite() throws Exception {
    refusedBeforeAnyWrite(reconciler(ApplyStrategy.SERVER_SIDE, "crd.yaml", CRD, "app.yaml", APP.formatted("\"8080\"")),
        "app.yaml:9: example.dev/Widget/shop/w: spec.port: is text, where its CRD's schema says integer: the API server"
            + " refuses the object");
  }

  @Test
  void theClustersCrdJudgesWhenGitHasNoneAndAValidWidgetIsWritten() throws Exception {
    cluster.client().apiextensions().v1().customResourceDefinitions()
        .resource(cluster.client().getKubernetesSerialization().unmarshal(CRD, CustomResourceDefinition.class)).create();
    refusedBeforeAnyWrite(reconciler(ApplyStrategy.JSON_PATCH, "app.yaml", APP.formatted("80").replace("fast\n", "quick\n")),
        "app.yaml:9: example.dev/Widget/shop/w: spec.mode: is none of the values its CRD's schema allows (fast, safe):"
            + " the API server refuses the object");

    Reconciler fixed = reconciler(ApplyStrategy.JSON_PATCH, "app.yaml", APP.formatted("80"));
    ok(fixed.reconcile(null));
    assertTrue(cluster.client().raw("/apis/example.dev/v1/namespaces/shop/widgets/w").contains("\"port\":80"));
    assertTrue(fixed.plan(null).isEmpty(), "the next plan is empty");
  }

  @Test
  void aFieldTheSchemaDoesNotDeclareIsRefusedUnderServerSideApplyAndPrunedUnderJsonPatch() throws Exception {
    String widget = APP.formatted("80").replace("mode: fast", "mode: fast\n  replicas: 2");
    refusedBeforeAnyWrite(reconciler(ApplyStrategy.SERVER_SIDE, "crd.yaml", CRD, "app.yaml", widget),
        "app.yaml:9: example.dev/Widget/shop/w: spec.replicas: is not declared by its CRD's schema, and a server-side"
            + " apply of a field its schema does not declare is refused (\"field not declared in schema\"), whatever the"
            + " fieldValidation; remove it, or declare it in the CRD: the API server refuses the object");

    ok(reconciler(ApplyStrategy.JSON_PATCH, "crd.yaml", CRD, "app.yaml", widget).reconcile(null)); // the server prunes it
  }
}

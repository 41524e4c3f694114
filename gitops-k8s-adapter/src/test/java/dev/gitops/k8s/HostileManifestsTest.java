package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.source.LoaderContract;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Manifests small on disk that would cost unbounded time or break the client: each a problem at its line. */
class HostileManifestsTest {
  private static final String WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  v: ";

  private static List<String> problems(String file, String text) {
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () ->
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> new ManifestLoader().load(LoaderContract.snapshot(file,
            text))));
    return e.problems().stream().map(Problem::toString).toList();
  }

  /** An object whose root is level 1 and whose deepest mapping is level {@code depth}. */
  private static String nested(int depth) {
    return WIDGET + "{a: ".repeat(depth - 2) + "1" + "}".repeat(depth - 2) + "\n";
  }

  @Test
  void anObjectNestedDeeperThanTheClientReadsBackIsAProblemAtItsLine() {
    DesiredState fine = new ManifestLoader().load(LoaderContract.snapshot("deep.yaml", nested(Nesting.MAX_DEPTH)));
    assertEquals(1, fine.size());
    assertEquals(List.of("deep.yaml:6: example.com/Widget/default/w: nests deeper than 400 levels (at spec.v.a.a.a.a"
        + " and 394 levels more), which the Kubernetes client cannot read back (fabric8's JSON reader stops at 500,"
        + " and a live object comes inside a list with its field set under metadata.managedFields): no manifest"
        + " nests nearly so deep"), problems("deep.yaml", nested(Nesting.MAX_DEPTH + 1)));
  }

  @Test
  void listsCountAsLevelsAndTheYamlLimitIsReachedWithoutAStackOverflow() {
    String json = "{\"apiVersion\": \"example.com/v1\", \"kind\": \"Widget\", \"metadata\": {\"name\": \"w\"},\n"
        + "\"spec\": " + "[".repeat(998) + "]".repeat(998) + "}\n";
    List<String> problems = problems("deep.json", json);
    assertEquals(1, problems.size());
    assertEquals(0, problems.get(0).indexOf("deep.json:2: example.com/Widget/default/w: nests deeper than 400 levels"
        + " (at spec[0][0][0][0][0] and 394 levels more)"), problems.get(0));
  }

  @Test
  void theClientReadsBackAListedObjectAtTheLimitAndNotPastItsOwn() {
    KubernetesSerialization client = new KubernetesSerialization();
    client.unmarshal(listed(Nesting.MAX_DEPTH), KubernetesList.class);
    assertThrows(KubernetesClientException.class, () -> client.unmarshal(listed(495), KubernetesList.class),
        "fabric8's limit moved: Nesting.MAX_DEPTH may follow it");
  }

  /** A list holding an object nested {@code depth} levels, with the field set the server keeps for it. */
  private static String listed(int depth) {
    ObjectNode object = JsonNodeFactory.instance.objectNode().put("apiVersion", "example.com/v1").put("kind", "Widget");
    ObjectNode fields = object.putObject("metadata").put("name", "w").putArray("managedFields").addObject()
        .put("manager", "gitops").put("fieldsType", "FieldsV1").putObject("fieldsV1");
    ObjectNode at = object.putObject("spec");
    fields = fields.putObject("f:spec");
    for (int level = 3; level <= depth; level++) {
      at = at.putObject("a");
      fields = fields.putObject("f:a");
    }
    at.put("leaf", 1);
    fields.putObject("f:leaf");
    return "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [" + object + "]}";
  }

  @Test
  void aQuantityOfAMillionDigitsIsAProblemNamingItsLengthNeverItsText() {
    List<String> problems = problems("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
        + "  containers:\n  - name: c\n    image: nginx\n    resources:\n      limits:\n        cpu: "
        + "9".repeat(1_000_000) + "\n");
    assertEquals(List.of("pod.yaml:10: Pod/default/p: spec.containers[0].resources.limits.cpu: a quantity of 1000000"
        + " characters, more than the 100 this loader reads (real ones take a few: 1.5Gi, 250m): write it shorter"),
        problems);
    assertFalse(problems.get(0).contains("9999"));
  }
}

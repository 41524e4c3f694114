package dev.gitops.k8s;

import static dev.gitops.k8s.StandInCluster.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.reconcile.Reconciler;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bare Pod's update by server-side apply (an image bump, which a Pod takes) keeps what the API
 * server appended on create to the atomic values {@code gitops} owns whole: the RuntimeClass
 * plugin's nodeSelector key and toleration ({@code plugin/pkg/admission/runtimeclass/admission.go}
 * {@code setScheduling}, a handler for Create only) and the Pod strategy's expression from a term's
 * {@code matchLabelKeys} ({@code pkg/registry/core/pod/strategy.go} {@code PrepareForCreate}). The
 * apply replaces an atomic value whole, so a body with Git's entries alone took them out and the
 * server refused the update on every run ({@code ValidatePodUpdate}: tolerations only grow,
 * nodeSelector and affinity immutable; the {@link ApiServerStandIn} plays that validation, 422).
 * DefaultTolerationSeconds, which admits updates too, appends its two again by itself.
 */
class CreateOnlyAdmissionIT {
  private static final String POD = "api/v1/namespaces/shop/pods/runner";
  private static final String MANIFEST = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: runner
        namespace: shop
        labels: {app: runner, tier: batch}
      spec:
        runtimeClassName: gvisor
        nodeSelector: {disktype: ssd}
        tolerations: [{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}]
        affinity:
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: {matchLabels: {app: runner}}
              matchLabelKeys: [tier]
              topologyKey: kubernetes.io/hostname
        containers: [{name: runner, image: "runner:%s"}]
      """;

  /**
   * On a Pod's create ({@link ApiServerStandIn#admittingCreates}): the RuntimeClass plugin merging class
   * {@code gvisor}'s scheduling in (its nodeSelector key, its toleration after the Pod's), and the
   * Pod strategy appending {@code key In [label value]} to each anti-affinity term's selector per
   * key of its {@code matchLabelKeys}.
   */
  private static final Consumer<ObjectNode> ON_CREATE = object -> {
    if (!object.path("kind").asText().equals("Pod")) {
      return;
    }
    ObjectNode spec = (ObjectNode) object.get("spec");
    if ("gvisor".equals(spec.path("runtimeClassName").asText())) {
      spec.with("nodeSelector").put("runtime", "gvisor");
      spec.withArray("tolerations").addObject().put("effect", "NoSchedule").put("key", "runtime")
          .put("operator", "Equal").put("value", "gvisor");
    }
    for (JsonNode term : object.at("/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution")) {
      for (JsonNode key : term.path("matchLabelKeys")) {
        ObjectNode expression = ((ObjectNode) term).with("labelSelector").withArray("matchExpressions").addObject()
            .put("key", key.asText()).put("operator", "In");
        expression.putArray("values").add(object.path("metadata").path("labels").path(key.asText()).asText());
      }
    }
  };

  @TempDir Path repo;
  private StandInCluster cluster;

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void anImageBumpKeepsTheRuntimeClassesSchedulingAndTheStrategysExpressionAndTheNextPlanIsEmpty() {
    cluster = new StandInCluster(repo, new ApiServerStandIn().admittingCreates(ON_CREATE));
    cluster.write(MANIFEST.formatted("1.0"));
    Reconciler web = cluster.reconciler(ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    JsonNode created = cluster.get(POD).path("spec");
    assertEquals(List.of("dedicated", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "runtime"),
        keys(created.path("tolerations")), "admission appended after Git's toleration: " + created);
    assertEquals("gvisor", created.at("/nodeSelector/runtime").asText(), created.toString());
    assertTrue(ok(web.reconcile(null)).plan().isEmpty(), "what admission added is the server's");

    JsonNode updated = cluster.imageBump(web, MANIFEST.formatted("1.1"), POD, "runner:1.1").path("spec");
    assertEquals(List.of("dedicated", "runtime", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"),
        keys(updated.path("tolerations")), "the class's kept after Git's, DefaultTolerationSeconds's appended to the"
        + " update: " + updated);
    for (String kept : List.of("nodeSelector", "affinity")) {
      assertEquals(created.path(kept), updated.path(kept), kept + " as created");
    }
    JsonNode ours = ours(cluster.get(POD));
    assertTrue(ours.has("f:tolerations") && ours.has("f:nodeSelector"), "gitops owns both whole still: " + ours);

    StandInCluster.settled(web);
  }

  @Test
  void withoutARuntimeClassDefaultTolerationSecondsAppendsItsTolerationsOnTheUpdateItself() {
    cluster = new StandInCluster(repo, new ApiServerStandIn().admittingCreates(ON_CREATE));
    String plain = MANIFEST.replace("  runtimeClassName: gvisor\n", "");
    cluster.write(plain.formatted("1.0"));
    Reconciler web = cluster.reconciler(ApplyStrategy.SERVER_SIDE, false);
    ok(web.reconcile(null));
    JsonNode created = cluster.get(POD).path("spec");
    assertEquals(List.of("dedicated", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"),
        keys(created.path("tolerations")), created.toString());

    cluster.write(plain.formatted("1.1"));
    ok(web.reconcile(null));
    JsonNode updated = cluster.get(POD).path("spec");
    assertEquals("runner:1.1", updated.at("/containers/0/image").asText());
    assertEquals(created.path("tolerations"), updated.path("tolerations"));
    assertEquals(created.path("affinity"), updated.path("affinity"), "the strategy's expression kept");
    assertTrue(ok(web.reconcile(null)).plan().isEmpty());
  }


  private static List<String> keys(JsonNode tolerations) {
    List<String> out = new java.util.ArrayList<>();
    tolerations.forEach(t -> out.add(t.path("key").asText()));
    return out;
  }

  /** What the manager {@code gitops} owns of the Pod's spec by its Apply entry. */
  private static JsonNode ours(JsonNode pod) {
    for (JsonNode entry : pod.path("metadata").path("managedFields")) {
      if (entry.path("manager").asText().equals("gitops") && entry.path("operation").asText().equals("Apply")) {
        return entry.path("fieldsV1").path("f:spec");
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the API server (or a controller) writes into an object itself on every write, whatever the
 * write sent, so that a three-way patch never removes it though Git once held it: the annotations
 * the normalisation drops as noise ({@link Normalize#NOISE_ANNOTATIONS}). A DaemonSet's
 * {@code deprecated.daemonset.template.generation} is taken into the internal template generation
 * by the apps/v1 conversion ({@code Convert_v1_DaemonSet_To_apps_DaemonSet}) and written back from
 * it by the strategy on every write ({@code pkg/registry/apps/daemonset/strategy.go}), a
 * Deployment's {@code deployment.kubernetes.io/revision} by its controller after every template
 * change. A Git manifest exported with {@code kubectl get -o yaml} holds them, so the
 * {@code gitops.dev/applied} record does; left out of Git later, they are no removal in the plan (the
 * normalisation drops them from every side) and must be none in the patch either: it removed them
 * beside any other change, and the server put them back (corpus pair 414). Kubectl's own
 * {@code last-applied-configuration} is removed by an adoption's patch on purpose
 * ({@link JsonPatchUpdate#kubectlRecordLeft}), never as a removal of the record. Stateless; never
 * mutates its input. Not public API.
 */
final class ServerWritten {
  private ServerWritten() {}

  /**
   * {@code last}, a last-applied record (or null), without the annotations the server writes
   * itself: a copy, or {@code last} when it holds none.
   */
  static JsonNode withoutServerWritten(JsonNode last) {
    JsonNode annotations = last == null ? null : last.path("metadata").get("annotations");
    if (!(annotations instanceof ObjectNode a) || Normalize.NOISE_ANNOTATIONS.stream().noneMatch(a::has)) {
      return last;
    }
    ObjectNode copy = (ObjectNode) last.deepCopy();
    ObjectNode kept = (ObjectNode) copy.get("metadata").get("annotations");
    Normalize.NOISE_ANNOTATIONS.forEach(kept::remove);
    return copy;
  }
}

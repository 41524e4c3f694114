package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.List;
import java.util.Map;

/**
 * A rollout strategy switched to a type that forbids the member the server defaulted under the
 * old type: a Deployment switched to {@code Recreate} keeps the {@code rollingUpdate} defaulted
 * for {@code RollingUpdate}; no applier owns it, so an apply leaves it, and the server refuses the
 * update ("may not be specified when strategy type is 'Recreate'", kubernetes/kubernetes#24198).
 * A StatefulSet switched to {@code OnDelete} likewise. The writer clears the member: what is
 * cleared and with which JSON Patch operations is decided here, from the desired and the live
 * object alone.
 */
final class StrategySwitch {
  /** By group/Kind: where the union is, the type that forbids the member, the member. */
  private static final Map<String, List<String>> UNIONS = Map.of(
      "apps/Deployment", List.of("/spec/strategy", "Recreate", "rollingUpdate"),
      "apps/StatefulSet", List.of("/spec/updateStrategy", "OnDelete", "rollingUpdate"));

  private StrategySwitch() {
  }

  /** True when {@code desired} gives a type that forbids a member: the live object may keep one. */
  static boolean mayClear(ResourceId id, Resource desired) {
    return union(id, desired) != null;
  }

  /**
   * The pointer of the member {@code live} keeps that the type {@code desired} gives forbids,
   * when {@code desired} does not give the member itself; else null.
   */
  static String member(ResourceId id, Resource desired, JsonNode live) {
    List<String> union = union(id, desired);
    if (union == null) {
      return null;
    }
    String member = union.get(0) + "/" + union.get(2);
    JsonNode wanted = ((Content.Tree) desired.content()).node().at(member);
    JsonNode kept = live.at(member);
    boolean given = !wanted.isMissingNode() && !wanted.isNull();
    return given || kept.isMissingNode() || kept.isNull() ? null : member;
  }

  /**
   * One JSON Patch that clears {@code member} ({@link #member}) and switches the type, on
   * {@code version} (the server refuses it when the object moved): what a server-side apply
   * cannot do, as it leaves fields no applier owns.
   */
  static ArrayNode clearing(ResourceId id, Resource desired, String member, String version) {
    List<String> union = union(id, desired);
    ArrayNode ops = Json.MAPPER.createArrayNode();
    ops.addObject().put("op", "test").put("path", "/metadata/resourceVersion").put("value", version);
    ops.addObject().put("op", "remove").put("path", member);
    ops.addObject().put("op", "replace").put("path", union.get(0) + "/type").put("value", union.get(1));
    return ops;
  }

  private static List<String> union(ResourceId id, Resource desired) {
    List<String> union = UNIONS.get(KindInfo.key(id.group(), id.kind()));
    return union != null && desired.content() instanceof Content.Tree tree
        && union.get(1).equals(tree.node().at(union.get(0) + "/type").asText()) ? union : null;
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.JsonTrees;
import java.util.Map;

/** What an observation keeps of a live object. */
final class ObservedCopy {
  private ObservedCopy() {}

  /** As {@link #of(ObjectNode, boolean)}, for a write by JSON patch. */
  static ObjectNode of(ObjectNode live) {
    return of(live, false);
  }

  /**
   * A deep copy of {@code live} without {@code status}, and with only the entries of other field
   * managers of {@code metadata.managedFields}, trimmed ({@link ManagedFields#others}); the rest
   * is never copied. Unless this library writes {@code serverSide}, each entry is marked
   * ({@link OwnedNode#NO_CONFLICTS}): a JSON patch meets no field manager's conflict.
   */
  static ObjectNode of(ObjectNode live, boolean serverSide) {
    // Compact copies: the planner reads every observed tree on every plan.
    ObjectNode copy = JsonTrees.compactObject(live.size());
    for (Map.Entry<String, JsonNode> e : live.properties()) {
      if (e.getKey().equals("status")) {
        continue;
      }
      if (e.getKey().equals("metadata") && e.getValue() instanceof ObjectNode meta) {
        ObjectNode m = JsonTrees.compactObject(meta.size());
        copy.set("metadata", m);
        for (Map.Entry<String, JsonNode> f : meta.properties()) {
          if (!f.getKey().equals("managedFields")) {
            m.set(f.getKey(), JsonTrees.compactCopy(f.getValue()));
          } else {
            JsonNode others = ManagedFields.others(f.getValue(), LiveObservation.adoptable(live),
                live.path("kind").asText());
            if (others != null) {
              others.forEach(entry -> ((ObjectNode) entry).put(OwnedNode.NO_CONFLICTS, !serverSide));
              m.set("managedFields", JsonTrees.compactCopy(others));
            }
          }
        }
      } else {
        copy.set(e.getKey(), JsonTrees.compactCopy(e.getValue()));
      }
    }
    return copy;
  }
}

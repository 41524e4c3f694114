package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields the {@link ApiServerStandIn} drops from what it stores, by kind: those a strategy drops
 * behind a feature gate the cluster has off ({@link ApiServerStandIn#dropping}) and those the decoder
 * drops before the field manager runs ({@link ApiServerStandIn#decoderDropping}, kept under the kind
 * prefixed {@code "decoded "}). Not thread-safe: the stand-in calls it under its lock.
 */
final class StandInDrops {
  /** Fields a strategy drops, by kind: JSON pointers, {@code *} for every element of a list. */
  private final Map<String, List<String>> drops = new HashMap<>();

  /** Drops {@code pointer} from every object of {@code kind} from now on. */
  void add(String kind, String pointer) {
    drops.computeIfAbsent(kind, k -> new java.util.ArrayList<>()).add(pointer);
  }

  /** Drops nothing more of {@code kind}. */
  void remove(String kind) {
    drops.remove(kind);
  }

  /** {@code object} without the fields {@link #add} named for its kind (with {@code decoded}, for {@code "decoded "} and its kind). */
  ObjectNode apply(ObjectNode object, String... decoded) {
    for (String pointer : drops.getOrDefault(String.join("", decoded) + object.path("kind").asText(), List.of())) {
      drop(object, pointer.substring(1).split("/"), 0);
    }
    return object;
  }

  private static void drop(JsonNode node, String[] segments, int i) {
    if (i == segments.length - 1) {
      if (node instanceof ObjectNode o) {
        o.remove(segments[i]);
      }
      return;
    }
    if (segments[i].equals("*")) {
      node.forEach(element -> drop(element, segments, i + 1));
    } else if (node.get(segments[i]) != null) {
      drop(node.get(segments[i]), segments, i + 1);
    }
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a delete leaves behind while finalizers hold the object: the API server sets
 * {@code metadata.deletionTimestamp} and keeps the object until every finalizer is removed
 * (by its controller; never, when that controller is gone). A prune of such an object is
 * reported as terminating, and not sent again while it is: every later DELETE would only be
 * answered with the same object.
 */
final class Terminating {
  private Terminating() {}

  /**
   * Why {@code live} (or null) is still there though deleted: {@code being deleted since T, held
   * by finalizers a, b}; null when it is not being deleted.
   */
  static String since(JsonNode live) {
    JsonNode meta = live == null ? null : live.path("metadata");
    if (meta == null || !meta.hasNonNull("deletionTimestamp")) {
      return null;
    }
    return "it has been terminating since " + meta.path("deletionTimestamp").asText() + held(live);
  }

  /** True when deleting {@code live} (or null) leaves it terminating: it has finalizers. */
  static boolean lingers(JsonNode live) {
    return live != null && !finalizers(live).isEmpty();
  }

  /** {@code , held by finalizers a, b (...)}, or {@code ""} when it has none. */
  static String held(JsonNode live) {
    List<String> names = finalizers(live);
    return names.isEmpty() ? "" : ", held by finalizers " + String.join(", ", names)
        + " (removed by their controller; by hand when none runs)";
  }

  /** {@code metadata.finalizers}, then a Namespace's {@code spec.finalizers}. */
  private static List<String> finalizers(JsonNode live) {
    List<String> out = new ArrayList<>();
    live.path("metadata").path("finalizers").forEach(f -> out.add(Errors.printable(f.asText())));
    live.path("spec").path("finalizers").forEach(f -> out.add(Errors.printable(f.asText())));
    return out;
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiPredicate;

/**
 * The shapes of what admission appends to a Pod, told from the entry alone and the desired value
 * around it ({@link PodAdmission}): the tolerations of {@code DefaultTolerationSeconds}, the label
 * selector expressions the Pod strategy makes of {@code matchLabelKeys} and {@code mismatchLabelKeys},
 * the resize policies {@code SetDefaults_Pod} of 1.30 to 1.32 appends, and whole lists of such
 * entries. Stateless. Not public API.
 */
final class AdmissionShapes {
  private AdmissionShapes() {}

  /**
   * True when {@code expression} is one the Pod strategy adds to {@code term}'s label selector from
   * a key of its {@code matchLabelKeys} ({@code In}) or {@code mismatchLabelKeys} ({@code NotIn}):
   * that key, that operator, the one value of the Pod's label.
   */
  static boolean fromLabelKeys(JsonNode expression, JsonNode term) {
    String key = expression.path("key").asText("");
    String operator = expression.path("operator").asText("");
    JsonNode values = expression.path("values");
    if (term == null || expression.size() != 3 || !values.isArray() || values.size() != 1) {
      return false;
    }
    String keys = operator.equals("In") ? "matchLabelKeys" : operator.equals("NotIn") ? "mismatchLabelKeys" : null;
    if (keys == null) {
      return false;
    }
    for (JsonNode k : term.path(keys)) {
      if (key.equals(k.asText(null))) {
        return true;
      }
    }
    return false;
  }

  /** One of the two tolerations {@code DefaultTolerationSeconds} adds. */
  static boolean defaultToleration(JsonNode t) {
    String key = t.path("key").asText("");
    return (key.equals("node.kubernetes.io/not-ready") || key.equals("node.kubernetes.io/unreachable"))
        && "Exists".equals(t.path("operator").asText()) && "NoExecute".equals(t.path("effect").asText())
        && t.path("tolerationSeconds").isIntegralNumber() && t.size() == 4;
  }

  /**
   * True when {@code policy} is one {@code SetDefaults_Pod} appends to {@code container}'s list: a
   * NotRequired policy of cpu or memory, which the container requests or limits and whose own list
   * does not name.
   */
  static boolean defaultedPolicy(JsonNode policy, JsonNode container) {
    String resource = policy.path("resourceName").asText("");
    if (container == null || policy.size() != 2 || !"NotRequired".equals(policy.path("restartPolicy").asText())
        || !(resource.equals("cpu") || resource.equals("memory"))) {
      return false;
    }
    JsonNode resources = container.path("resources");
    if (!resources.path("requests").has(resource) && !resources.path("limits").has(resource)) {
      return false;
    }
    for (JsonNode given : container.path("resizePolicy")) {
      if (resource.equals(given.path("resourceName").asText(null))) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when {@code list} is a non-empty list whose every element passes {@code test} with
   * {@code context}: expressions {@link #fromLabelKeys} of a term, which Git's selector lacks whole;
   * policies {@code SetDefaults_Pod} would append to a container's ({@link #defaultedPolicy}).
   */
  static boolean allOf(JsonNode list, JsonNode context, BiPredicate<JsonNode, JsonNode> test) {
    if (!list.isArray() || list.isEmpty()) {
      return false;
    }
    for (JsonNode element : list) {
      if (!test.test(element, context)) {
        return false;
      }
    }
    return true;
  }
}

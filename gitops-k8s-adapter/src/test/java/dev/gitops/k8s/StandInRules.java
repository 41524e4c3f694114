package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What the {@link ApiServerStandIn} holds of the API server's handling of an object besides fields:
 * the apps validation of a union whose type forbids a member, the core validation of a Pod's update
 * as far as its tolerations, nodeSelector and affinity go, DefaultTolerationSeconds on every write of
 * a Pod, a cluster-scoped object's namespace dropped, and a no-op write recognised. Stateless.
 */
final class StandInRules {
  private StandInRules() {}

  /**
   * The validation of a union whose type forbids a member, as the API server's (apps validation):
   * a Deployment's {@code Recreate} strategy with a {@code rollingUpdate}, a StatefulSet's
   * {@code OnDelete} update strategy with one; null when valid.
   */
  static String forbiddenMember(ObjectNode object) {
    String kind = object.path("kind").asText();
    JsonNode strategy = object.path("spec").path(kind.equals("Deployment") ? "strategy" : "updateStrategy");
    boolean member = strategy.has("rollingUpdate") && !strategy.get("rollingUpdate").isNull();
    if (kind.equals("Deployment") && member && "Recreate".equals(strategy.path("type").asText())) {
      return "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'";
    }
    if (kind.equals("StatefulSet") && member && "OnDelete".equals(strategy.path("type").asText())) {
      return "spec.updateStrategy.rollingUpdate: Invalid value: only allowed for updateStrategy 'RollingUpdate'";
    }
    return null;
  }

  /**
   * The validation of a Pod's update (core {@code validation.go} {@code ValidatePodUpdate}) as far as
   * the stand-in plays it: every toleration {@code live} has is still in {@code object}, its
   * {@code tolerationSeconds} aside ({@code validateOnlyAddedTolerations}), and {@code nodeSelector}
   * and {@code affinity} are as they were (the spec is immutable but for images,
   * {@code activeDeadlineSeconds} and added tolerations; what a Pod with scheduling gates may add is
   * not played); null when valid or not a Pod.
   */
  static String podUpdate(ObjectNode live, ObjectNode object) {
    if (!"Pod".equals(object.path("kind").asText())) {
      return null;
    }
    JsonNode was = live.path("spec");
    JsonNode now = object.path("spec");
    for (JsonNode old : was.path("tolerations")) {
      boolean found = false;
      for (JsonNode t : now.path("tolerations")) {
        found |= withoutSeconds(old).equals(withoutSeconds(t));
      }
      if (!found) {
        return "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds";
      }
    }
    for (String field : List.of("nodeSelector", "affinity")) {
      if (!was.path(field).equals(now.path(field))) {
        return "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, ... (" + field + ")";
      }
    }
    return null;
  }

  private static JsonNode withoutSeconds(JsonNode toleration) {
    return toleration instanceof ObjectNode o ? o.deepCopy().without("tolerationSeconds") : toleration;
  }

  /** A cluster-scoped object (its path has no namespace) loses any {@code metadata.namespace}, as on a real server. */
  static void clusterScoped(String path, ObjectNode object) {
    String[] parts = path.replaceFirst("^/apis?/", "").split("/");
    int rest = path.startsWith("/apis/") ? 2 : 1; // group/version or version
    boolean namespaced = parts.length > rest + 2 && parts[rest].equals("namespaces");
    if (!namespaced && object.get("metadata") instanceof ObjectNode m) {
      m.remove("namespace");
    }
  }

  /** Equal but for {@code managedFields} times: a no-op write, which a real server does not store. */
  static boolean unchanged(ObjectNode live, ObjectNode object) {
    ObjectNode a = live.deepCopy();
    ObjectNode b = object.deepCopy();
    for (ObjectNode o : List.of(a, b)) {
      for (JsonNode e : o.path("metadata").path("managedFields")) {
        ((ObjectNode) e).remove("time");
      }
    }
    return a.equals(b);
  }

  /**
   * DefaultTolerationSeconds, which admits a Pod's creates and updates alike
   * ({@code NewHandler(admission.Create, admission.Update)}): a toleration of each of the two taints the
   * Pod does not tolerate yet (a toleration of that key or of any key, with effect NoExecute or any).
   */
  static void defaultTolerations(ObjectNode spec) {
    for (String key : new String[] {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
      boolean tolerated = false;
      for (JsonNode t : spec.path("tolerations")) {
        String k = t.path("key").asText("");
        String effect = t.path("effect").asText("");
        tolerated |= (k.equals(key) || k.isEmpty()) && (effect.equals("NoExecute") || effect.isEmpty());
      }
      if (!tolerated) {
        spec.withArray("tolerations").addObject().put("effect", "NoExecute").put("key", key).put("operator", "Exists")
            .put("tolerationSeconds", 300);
      }
    }
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What the {@link ApiServerStandIn} holds of the API server's handling of an object besides fields:
 * the apps validation of a union whose type forbids a member, a cluster-scoped object's namespace
 * dropped, and a no-op write recognised. Stateless.
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
}

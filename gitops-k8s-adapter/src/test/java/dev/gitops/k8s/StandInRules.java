package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What the {@link ApiServerStandIn} holds of the API server's handling of an object besides fields:
 * the apps validation of a union whose type forbids a member, the core validation of a Pod's update
 * as far as its tolerations, scheduling gates, resize policies, nodeSelector and affinity go,
 * DefaultTolerationSeconds on every write of
 * a Pod, a cluster-scoped object's namespace dropped, and a no-op write recognised. Stateless.
 */
final class StandInRules {
  private static final String FORBIDDEN =
      "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, ...";
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
   * {@code tolerationSeconds} aside ({@code validateOnlyAddedTolerations}); no scheduling gate added
   * ({@code validateOnlyDeletedSchedulingGates}); each container's {@code resizePolicy} as it was (the
   * spec is immutable but for images, {@code activeDeadlineSeconds}, added tolerations and removed
   * gates); {@code nodeSelector} and {@code affinity} as they were, except that while {@code live}
   * has scheduling gates keys may be added to the nodeSelector ({@code validateNodeSelectorMutation})
   * and the node affinity changed as {@code validateNodeAffinityMutation} allows (anything when it had
   * no required terms; else as many terms, each the old expressions followed by new ones; preferred
   * terms freely); null when valid or not a Pod.
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
    java.util.Set<String> gates = new java.util.HashSet<>();
    was.path("schedulingGates").forEach(g -> gates.add(g.path("name").asText()));
    for (JsonNode g : now.path("schedulingGates")) {
      if (!gates.contains(g.path("name").asText())) {
        return "spec.schedulingGates: Forbidden: only deletion is allowed, but found new scheduling gate '"
            + g.path("name").asText() + "'";
      }
    }
    for (int i = 0; i < was.path("containers").size(); i++) {
      if (!was.path("containers").path(i).path("resizePolicy").equals(now.path("containers").path(i).path("resizePolicy"))) {
        return FORBIDDEN + " (resizePolicy)";
      }
    }
    boolean gated = !was.path("schedulingGates").isEmpty();
    if (gated && !onlyAdded(now.path("nodeSelector"), was.path("nodeSelector"))) {
      return "spec.nodeSelector: Invalid value: only additions to spec.nodeSelector are allowed (no mutations or deletions)";
    }
    String affinity = gated
        ? nodeAffinityMutation(now.at("/affinity/nodeAffinity"), was.at("/affinity/nodeAffinity")) : null;
    if (affinity != null) {
      return "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: " + affinity;
    }
    for (String field : List.of("nodeSelector", "affinity")) {
      JsonNode before = was.path(field);
      JsonNode after = now.path(field);
      if (gated) { // what a gated Pod may change is judged above
        before = field.equals("affinity") ? withoutNodeAffinity(before) : MissingNode.getInstance();
        after = field.equals("affinity") ? withoutNodeAffinity(after) : MissingNode.getInstance();
      }
      if (!before.equals(after)) {
        return FORBIDDEN + " (" + field + ")";
      }
    }
    return null;
  }

  /** True when every key of {@code old} is in {@code now} with the same value. */
  private static boolean onlyAdded(JsonNode now, JsonNode old) {
    for (var e : old.properties()) {
      if (!e.getValue().equals(now.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** {@code validateNodeAffinityMutation} of core validation: why {@code now} may not replace {@code old}, or null. */
  private static String nodeAffinityMutation(JsonNode now, JsonNode old) {
    JsonNode oldTerms = old.at("/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms");
    if (!old.has("requiredDuringSchedulingIgnoredDuringExecution")) {
      return null;
    }
    JsonNode newTerms = now.at("/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms");
    if (oldTerms.size() > 0 && oldTerms.size() != newTerms.size()) {
      return "Invalid value: no additions/deletions to non-empty NodeSelectorTerms list are allowed";
    }
    for (int i = 0; i < oldTerms.size(); i++) {
      for (String list : List.of("matchExpressions", "matchFields")) {
        JsonNode o = oldTerms.path(i).path(list);
        JsonNode n = newTerms.path(i).path(list);
        boolean prefix = n.size() >= o.size();
        for (int k = 0; prefix && k < o.size(); k++) {
          prefix = o.get(k).equals(n.get(k));
        }
        boolean wasEmpty = oldTerms.path(i).path("matchExpressions").isEmpty()
            && oldTerms.path(i).path("matchFields").isEmpty();
        if (!prefix || wasEmpty && !n.isEmpty()) {
          return "Invalid value: only additions are allowed (no mutations or deletions)";
        }
      }
    }
    return null;
  }

  private static JsonNode withoutNodeAffinity(JsonNode affinity) {
    return affinity instanceof ObjectNode o ? o.deepCopy().without("nodeAffinity") : affinity;
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

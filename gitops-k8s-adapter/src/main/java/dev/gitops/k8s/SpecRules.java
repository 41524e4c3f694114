package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules of built-in kinds' specs that tie one field to another, checked on load: the API server
 * refuses such an object with 422 at the write of its wave, after the earlier waves were written,
 * and the fabric8 mock takes it. From the API server's validation:
 *
 * <ul>
 *   <li>A Deployment's, ReplicaSet's, StatefulSet's or DaemonSet's {@code spec.selector} is given, is
 *       not empty, and selects its pod template's labels ("selector does not match template
 *       labels": a label renamed in the template only, or an overlay adding a selector label the
 *       template lacks); a ReplicationController's {@code spec.selector}, when given, too.
 *   <li>An {@code networking.k8s.io/v1} Ingress path names its {@code pathType} (v1beta1 had none).
 *   <li>A PodDisruptionBudget sets {@code minAvailable} or {@code maxUnavailable}, not both.
 * </ul>
 */
final class SpecRules {
  private static final Set<String> SELECTED = Set.of("apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet",
      "apps/DaemonSet");

  private SpecRules() {
  }

  /** Adds to {@code problems} what the server would refuse of {@code node}, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    String key = group + "/" + kind;
    JsonNode spec = node.path("spec");
    if (SELECTED.contains(key)) {
      selector(spec.path("selector"), spec.path("template").path("metadata").path("labels"), problems);
    } else if (key.equals("/ReplicationController") && spec.path("selector").size() > 0) {
      JsonNode labels = spec.path("template").path("metadata").path("labels");
      if (!matchLabels(spec.path("selector"), labels)) {
        problems.add(new DecodedValues.Refusal("/spec/selector", "spec.selector does not select the labels of"
            + " spec.template.metadata.labels: the API server refuses the object"));
      }
    } else if (key.equals("networking.k8s.io/Ingress") && "networking.k8s.io/v1".equals(node.path("apiVersion").asText())) {
      ingress(spec.path("rules"), problems);
    } else if (key.equals("policy/PodDisruptionBudget") && spec.has("minAvailable") && spec.has("maxUnavailable")
        && !spec.get("minAvailable").isNull() && !spec.get("maxUnavailable").isNull()) {
      problems.add(new DecodedValues.Refusal("/spec/maxUnavailable", "spec: minAvailable and maxUnavailable are"
          + " both set; a PodDisruptionBudget takes one of them: the API server refuses the object"));
    }
  }

  private static void selector(JsonNode selector, JsonNode labels, List<DecodedValues.Refusal> problems) {
    if (selector.path("matchLabels").size() == 0 && selector.path("matchExpressions").size() == 0) {
      problems.add(new DecodedValues.Refusal("/spec", "spec.selector is " + (selector.isMissingNode()
          || selector.isNull() ? "missing" : "empty") + ": apps/v1 workloads select their pods explicitly"
          + " (matchLabels of the pod template's labels): the API server refuses the object"));
      return;
    }
    if (!matchLabels(selector.path("matchLabels"), labels) || !matchExpressions(selector.path("matchExpressions"), labels)) {
      problems.add(new DecodedValues.Refusal("/spec/selector", "spec.selector does not select the labels of"
          + " spec.template.metadata.labels (\"selector does not match template labels\"): the API server refuses"
          + " the object; a selector cannot change once the object exists, so change the template's labels"));
    }
  }

  private static boolean matchLabels(JsonNode wanted, JsonNode labels) {
    for (Map.Entry<String, JsonNode> e : wanted.properties()) {
      JsonNode have = labels.get(e.getKey());
      if (have == null || !have.asText().equals(e.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  /** True when every requirement selects {@code labels}; an operator this does not know selects them (the server judges it). */
  private static boolean matchExpressions(JsonNode requirements, JsonNode labels) {
    for (JsonNode r : requirements) {
      JsonNode have = labels.get(r.path("key").asText());
      boolean in = false;
      for (JsonNode v : r.path("values")) {
        in |= have != null && have.asText().equals(v.asText());
      }
      boolean ok = switch (r.path("operator").asText()) {
        case "In" -> in;
        case "NotIn" -> !in;
        case "Exists" -> have != null;
        case "DoesNotExist" -> have == null;
        default -> true;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static void ingress(JsonNode rules, List<DecodedValues.Refusal> problems) {
    for (int r = 0; r < rules.size(); r++) {
      JsonNode paths = rules.get(r).path("http").path("paths");
      for (int p = 0; p < paths.size(); p++) {
        JsonNode type = paths.get(p).get("pathType");
        if (type == null || type.isNull()) {
          String at = "spec.rules[" + r + "].http.paths[" + p + "]";
          problems.add(new DecodedValues.Refusal("/spec/rules/" + r + "/http/paths/" + p, at + ": pathType is"
              + " required in networking.k8s.io/v1 (Prefix, Exact or ImplementationSpecific): the API server"
              + " refuses the object"));
        }
      }
    }
  }
}

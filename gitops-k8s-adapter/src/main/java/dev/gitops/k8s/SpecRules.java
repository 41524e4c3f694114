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
 *   <li>An {@code networking.k8s.io/v1} Ingress path names its {@code pathType} (v1beta1 had none);
 *       a rule's {@code host} is a DNS name ({@link #host}).
 *   <li>A PodDisruptionBudget sets {@code minAvailable} or {@code maxUnavailable}, not both.
 *   <li>An amount of pods given as a number or a percentage (a rollout's {@code maxUnavailable} and
 *       {@code maxSurge}, a PodDisruptionBudget's {@code minAvailable} and {@code maxUnavailable})
 *       is a number of at least 0 or digits followed by {@code %} ({@code "1"}, quoted by a
 *       template, is neither), and no more than 100% where it counts pods that may be missing.
 *   <li>A Deployment's rollout keeps a pod: {@code maxUnavailable} and {@code maxSurge} are not
 *       both 0; a {@code Recreate} strategy has no {@code rollingUpdate}. A DaemonSet's rollout
 *       either surges or takes pods down ({@link #daemonSetRollout}).
 *   <li>A Service's fields that only some types take ({@link #service}).
 *   <li>A Deployment's {@code progressDeadlineSeconds} (600 when left out) is more than its
 *       {@code minReadySeconds} (an autoscaler's bounds: {@link AutoscalerRules}).
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
        refuse(problems, "/spec/selector", "spec.selector does not select the labels of spec.template.metadata.labels");
      }
    } else if (key.equals("networking.k8s.io/Ingress") && "networking.k8s.io/v1".equals(node.path("apiVersion").asText())) {
      ingress(spec.path("rules"), problems);
    } else if (key.equals("policy/PodDisruptionBudget") && spec.has("minAvailable") && spec.has("maxUnavailable")
        && !spec.get("minAvailable").isNull() && !spec.get("maxUnavailable").isNull()) {
      refuse(problems, "/spec/maxUnavailable", "spec: minAvailable and maxUnavailable are both set; a"
          + " PodDisruptionBudget takes one of them");
    }
    amounts(key, node, problems);
    bounds(key, spec, problems);
    if (key.equals("/Service")) {
      service(spec, problems);
    }
  }

  /**
   * Fields of a Service that only some types take: a port's {@code nodePort} not on a
   * {@code ClusterIP} Service (the type when left out); {@code externalTrafficPolicy} only on one
   * reachable from outside ({@code NodePort}, {@code LoadBalancer}, or with {@code externalIPs});
   * {@code loadBalancerSourceRanges}, {@code loadBalancerClass} and
   * {@code allocateLoadBalancerNodePorts} only on a
   * {@code LoadBalancer}; a headless Service ({@code clusterIP: None}) neither {@code NodePort}
   * nor {@code LoadBalancer}; an {@code ExternalName} Service names its {@code externalName}.
   */
  private static void service(JsonNode spec, List<DecodedValues.Refusal> problems) {
    String type = spec.path("type").isTextual() ? spec.path("type").asText() : "ClusterIP";
    boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
    if (type.equals("ClusterIP")) {
      JsonNode ports = spec.path("ports");
      for (int i = 0; ports.isArray() && i < ports.size(); i++) {
        JsonNode port = ports.get(i).path("nodePort");
        if (port.isIntegralNumber() && port.asLong() != 0) {
          refuse(problems, "/spec/ports/" + i + "/nodePort", "spec.ports[" + i + "].nodePort: given where the"
              + " Service's type is ClusterIP" + (spec.has("type") ? "" : " (left out)") + ", which takes none");
        }
      }
    }
    boolean reachable = external || type.equals("ClusterIP") && spec.path("externalIPs").size() > 0;
    if (!reachable && spec.path("externalTrafficPolicy").isTextual()) {
      refuse(problems, "/spec/externalTrafficPolicy", "spec.externalTrafficPolicy: given where the Service's type is "
          + type + "; only a NodePort or LoadBalancer Service, or one with externalIPs, takes one");
    }
    if (!type.equals("LoadBalancer")) {
      for (String field : List.of("loadBalancerSourceRanges", "loadBalancerClass", "allocateLoadBalancerNodePorts")) {
        JsonNode v = spec.path(field);
        if (!v.isMissingNode() && !v.isNull() && !(v.isArray() && v.isEmpty())) {
          refuse(problems, "/spec/" + field, "spec." + field + ": given where the Service's type is " + type
              + "; only a LoadBalancer Service takes it");
        }
      }
    }
    if (external && "None".equals(spec.path("clusterIP").asText())) {
      refuse(problems, "/spec/clusterIP", "spec.clusterIP: None (headless) where the Service's type is " + type
          + ", which needs a cluster IP");
    }
    if (type.equals("ExternalName") && spec.path("externalName").asText("").isEmpty()) {
      refuse(problems, "/spec", "spec.externalName: left out where the Service's type is ExternalName, which names"
          + " the host it stands for");
    }
  }

  /**
   * Bounds that tie two fields: a Deployment's {@code progressDeadlineSeconds} (600 when left out)
   * more than its {@code minReadySeconds} (a rollout must be able to make progress before its
   * deadline). An autoscaler's are {@link AutoscalerRules}'.
   */
  private static void bounds(String key, JsonNode spec, List<DecodedValues.Refusal> problems) {
    if (key.equals("apps/Deployment") && spec.path("minReadySeconds").isIntegralNumber()) {
      JsonNode deadline = spec.path("progressDeadlineSeconds");
      long ready = spec.path("minReadySeconds").asLong();
      long limit = deadline.isIntegralNumber() ? deadline.asLong() : deadline.isMissingNode() || deadline.isNull()
          ? DEFAULT_PROGRESS_DEADLINE : Long.MAX_VALUE;
      if (limit <= ready) {
        refuse(problems, deadline.isIntegralNumber() ? "/spec/progressDeadlineSeconds" : "/spec/minReadySeconds",
            "spec.progressDeadlineSeconds: " + limit + (deadline.isIntegralNumber() ? "" : " (left out)")
                + " is not more than minReadySeconds " + ready);
      }
    }
  }

  /** Amounts of pods, by group/Kind: where each is, and whether it may exceed 100%. */
  private static final Map<String, Map<String, Boolean>> AMOUNTS = Map.of(
      "apps/Deployment", Map.of("/spec/strategy/rollingUpdate/maxUnavailable", false,
          "/spec/strategy/rollingUpdate/maxSurge", true),
      "apps/DaemonSet", Map.of("/spec/updateStrategy/rollingUpdate/maxUnavailable", false,
          "/spec/updateStrategy/rollingUpdate/maxSurge", true),
      "apps/StatefulSet", Map.of("/spec/updateStrategy/rollingUpdate/maxUnavailable", false),
      "policy/PodDisruptionBudget", Map.of("/spec/minAvailable", false, "/spec/maxUnavailable", false));
  /** An IPv4 address as an Ingress host would give it. */
  private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  /** The longest DNS name. */
  private static final int MAX_HOST = 253;
  /** A Deployment's {@code progressDeadlineSeconds} when left out. */
  private static final long DEFAULT_PROGRESS_DEADLINE = 600;
  private static final java.util.regex.Pattern PERCENT = java.util.regex.Pattern.compile("([0-9]+)%");

  /** The amounts of pods of {@code node}, a {@code key} (group/Kind), and a Deployment's rollout. */
  private static void amounts(String key, JsonNode node, List<DecodedValues.Refusal> problems) {
    new java.util.TreeMap<>(AMOUNTS.getOrDefault(key, Map.of())).forEach((pointer, beyond100) -> {
      JsonNode v = node.at(pointer);
      String wrong = null;
      if (v.isTextual()) {
        var m = PERCENT.matcher(v.asText());
        wrong = !m.matches() ? Names.quote(v.asText()) + " is neither a number nor a percentage (write a number"
            + " unquoted, or digits and %, as \"25%\")"
            : !beyond100 && new java.math.BigInteger(m.group(1)).compareTo(java.math.BigInteger.valueOf(100)) > 0
            ? Names.quote(v.asText()) + " is more than 100%" : null;
      } else if (v.isIntegralNumber() && v.asLong() < 0) {
        wrong = v.asText() + " is negative";
      }
      if (wrong != null) {
        refuse(problems, pointer, Pointers.dotted(pointer) + ": " + wrong);
      }
    });
    if (key.equals("apps/DaemonSet")) {
      daemonSetRollout(node.path("spec").path("updateStrategy"), problems);
    }
    JsonNode strategy = node.path("spec").path("strategy");
    JsonNode rolling = strategy.path("rollingUpdate");
    if (!key.equals("apps/Deployment") || rolling.isMissingNode() || rolling.isNull()) {
      return;
    }
    if ("Recreate".equals(strategy.path("type").asText())) {
      refuse(problems, "/spec/strategy/rollingUpdate", "spec.strategy.rollingUpdate: given where spec.strategy.type"
          + " is Recreate, which takes none");
    } else if (zero(rolling.get("maxUnavailable")) && zero(rolling.get("maxSurge"))) {
      refuse(problems, "/spec/strategy/rollingUpdate/maxUnavailable", "spec.strategy.rollingUpdate.maxUnavailable:"
          + " 0 where maxSurge is 0 too, so a rollout could never replace a pod");
    }
  }

  /**
   * A DaemonSet's rolling update (its strategy when left out) either surges or takes pods down,
   * exactly one of the two: {@code maxUnavailable} defaults to 1 and {@code maxSurge} to 0, so a
   * {@code maxSurge: 1} alone is refused ("may not be set when maxUnavailable is non-zero"), as
   * are both 0 ({@code ValidateRollingUpdateDaemonSet}, after {@code SetDefaults_DaemonSet}).
   */
  private static void daemonSetRollout(JsonNode strategy, List<DecodedValues.Refusal> problems) {
    JsonNode type = strategy.path("type");
    JsonNode rolling = strategy.path("rollingUpdate");
    if (type.isTextual() && !type.asText().equals("RollingUpdate") || !rolling.isObject()) {
      return; // OnDelete, a type the enum rules refuse, or the defaults (1 and 0)
    }
    JsonNode unavailable = rolling.get("maxUnavailable"); // null when left out: a null field is gone (DecodedValues)
    JsonNode surge = rolling.get("maxSurge");
    boolean takesDown = unavailable == null || nonZero(unavailable);
    boolean surges = surge != null && nonZero(surge);
    String at = "/spec/updateStrategy/rollingUpdate/";
    if (takesDown && surges) {
      refuse(problems, at + "maxSurge", "spec.updateStrategy.rollingUpdate.maxSurge: set where maxUnavailable is "
          + (unavailable == null ? "1 (left out)" : "not 0")
          + ": a DaemonSet's rollout surges or takes pods down, not both (set maxUnavailable: 0 to surge)");
    } else if (!takesDown && !surges) {
      refuse(problems, at + "maxUnavailable", "spec.updateStrategy.rollingUpdate.maxUnavailable: 0 where maxSurge is"
          + " 0" + (surge == null ? " (left out)" : "") + ", so a rollout could never replace a pod");
    }
  }

  /**
   * True for an amount of pods that is not 0 as Go's {@code getIntOrPercentValue} reads it: a
   * number, the digits of a percentage, or text as a number (text that is neither reads 0).
   */
  private static boolean nonZero(JsonNode amount) {
    String text = amount.isTextual() ? amount.asText() : null;
    if (text == null) {
      return amount.isIntegralNumber() && amount.asLong() != 0;
    }
    String digits = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
    return digits.matches("[0-9]+") && !digits.matches("0+");
  }

  /** Adds the refusal of the field at {@code pointer}: {@code what}, and that the server refuses the object. */
  private static void refuse(List<DecodedValues.Refusal> problems, String pointer, String what) {
    problems.add(DecodedValues.Refusal.server(pointer, what));
  }

  /** True when {@code amount} is given and is 0 or 0%. */
  private static boolean zero(JsonNode amount) {
    return amount != null && (amount.isIntegralNumber() && amount.asLong() == 0
        || amount.isTextual() && amount.asText().matches("0+%"));
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

  static boolean matchLabels(JsonNode wanted, JsonNode labels) {
    for (Map.Entry<String, JsonNode> e : wanted.properties()) {
      JsonNode have = labels.get(e.getKey());
      if (have == null || !have.asText().equals(e.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  /** True when every requirement selects {@code labels}; an operator this does not know selects them (the server judges it). */
  static boolean matchExpressions(JsonNode requirements, JsonNode labels) {
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
    for (int r = 0; rules.isArray() && r < rules.size(); r++) { // a map: the schema's problem
      host(rules.get(r).path("host"), r, problems);
      JsonNode paths = rules.get(r).path("http").path("paths");
      for (int p = 0; paths.isArray() && p < paths.size(); p++) {
        JsonNode type = paths.get(p).get("pathType");
        if (type == null || type.isNull()) {
          String at = "spec.rules[" + r + "].http.paths[" + p + "]";
          refuse(problems, "/spec/rules/" + r + "/http/paths/" + p, at + ": pathType is required in"
              + " networking.k8s.io/v1 (Prefix, Exact or ImplementationSpecific)");
        }
      }
    }
  }

  /**
   * An Ingress rule's {@code host}: a DNS name, not an IP address, written as a lowercase RFC 1123
   * subdomain of at most 253 characters ({@code Shop.example.com} and {@code example.com:8443} are
   * refused), or {@code *.} and one (a wildcard stands for the first label only).
   */
  private static void host(JsonNode host, int r, List<DecodedValues.Refusal> problems) {
    if (!host.isTextual() || host.asText().isEmpty()) {
      return;
    }
    String name = host.asText();
    String rest = name.startsWith("*.") ? name.substring(2) : name;
    String wrong = IPV4.matcher(name).matches() || name.contains(":") && !rest.contains(".")
        ? "is an IP address where a rule takes a DNS name"
        : name.length() > MAX_HOST || !Names.SUBDOMAIN.matcher(rest).matches()
        ? "is not a DNS name (a lowercase RFC 1123 subdomain, or *. and one, at most " + MAX_HOST + " characters)"
        : null;
    if (wrong != null) {
      refuse(problems, "/spec/rules/" + r + "/host", "spec.rules[" + r + "].host: " + Names.quote(name) + " " + wrong);
    }
  }
}

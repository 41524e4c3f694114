package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A HorizontalPodAutoscaler's bounds, checked on load: the API server refuses such an object with
 * 422 at the write of its wave, after the earlier waves were written, and the fabric8 mock takes
 * it. From the API server's {@code ValidateHorizontalPodAutoscaler} and {@code validateScalingRules}
 * ({@code pkg/apis/autoscaling/validation}), after {@code SetDefaults_HorizontalPodAutoscalerBehavior}:
 *
 * <ul>
 *   <li>{@code maxReplicas} is at least 1 and at least {@code minReplicas}; {@code minReplicas} is at
 *       least 1, but 0 where an {@code Object} or {@code External} metric is given is left to the
 *       server (it takes it with the alpha feature gate {@code HPAScaleToZero}).
 *   <li>Each of {@code behavior.scaleUp} and {@code scaleDown}: {@code stabilizationWindowSeconds} 0
 *       to 3600; {@code policies}, when given, hold at least one (left out or null, the server's
 *       defaults fill them); each policy's {@code value} is above 0 and its {@code periodSeconds} 1
 *       to 1800, left out being 0. {@code selectPolicy} and a policy's {@code type} are
 *       {@link EnumRules}'.
 * </ul>
 */
final class AutoscalerRules {
  private static final long MAX_WINDOW = 3600;
  private static final long MAX_PERIOD = 1800;

  private AutoscalerRules() {
  }

  /** Adds to {@code problems} what the server would refuse of {@code node}, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    if (!(group + "/" + kind).equals("autoscaling/HorizontalPodAutoscaler")) {
      return;
    }
    JsonNode spec = node.path("spec");
    replicas(spec, problems);
    for (String direction : List.of("scaleUp", "scaleDown")) {
      JsonNode rules = spec.path("behavior").path(direction);
      if (rules.isObject()) {
        scaling(rules, "/spec/behavior/" + direction, problems);
      }
    }
  }

  private static void replicas(JsonNode spec, List<DecodedValues.Refusal> problems) {
    JsonNode min = spec.path("minReplicas");
    JsonNode max = spec.path("maxReplicas");
    if (max.isIntegralNumber() && max.asLong() < 1) {
      refuse(problems, "/spec/maxReplicas", max.asText() + " is less than 1");
    } else if (max.isIntegralNumber() && min.isIntegralNumber() && min.asLong() > max.asLong()) {
      refuse(problems, "/spec/minReplicas", min.asText() + " is more than maxReplicas " + max.asText());
    }
    if (min.isIntegralNumber() && (min.asLong() < 0 || min.asLong() == 0 && !scalesOnObjects(spec.path("metrics")))) {
      refuse(problems, "/spec/minReplicas", min.asText() + " is less than 1" + (min.asLong() == 0
          ? " (scaling to zero takes an Object or External metric and the alpha feature gate HPAScaleToZero)" : ""));
    }
  }

  /** True when a metric of {@code metrics} is of type {@code Object} or {@code External}. */
  private static boolean scalesOnObjects(JsonNode metrics) {
    for (JsonNode metric : metrics) {
      String type = metric.path("type").asText();
      if (type.equals("Object") || type.equals("External")) {
        return true;
      }
    }
    return false;
  }

  /** The scaling rules {@code rules} of one direction, at {@code at}. */
  private static void scaling(JsonNode rules, String at, List<DecodedValues.Refusal> problems) {
    JsonNode window = rules.path("stabilizationWindowSeconds");
    if (window.isIntegralNumber() && (window.asLong() < 0 || window.asLong() > MAX_WINDOW)) {
      refuse(problems, at + "/stabilizationWindowSeconds", window.asText() + " is not 0 to " + MAX_WINDOW + " seconds");
    }
    JsonNode policies = rules.path("policies");
    if (policies.isArray() && policies.isEmpty()) {
      refuse(problems, at + "/policies", "empty, where a scaling rule holds at least one policy (leave policies"
          + " out for the defaults)");
    }
    for (int i = 0; policies.isArray() && i < policies.size(); i++) {
      JsonNode policy = policies.get(i);
      String here = at + "/policies/" + i;
      JsonNode value = policy.path("value");
      if (policy.isObject() && !value.isNull() && (value.isMissingNode() || value.isIntegralNumber() && value.asLong() < 1)) {
        refuse(problems, value.isMissingNode() ? here : here + "/value", value.isMissingNode()
            ? "value left out, which is 0 where a policy's value is above 0" : value.asText() + " is not above 0");
      }
      JsonNode period = policy.path("periodSeconds");
      if (policy.isObject() && !period.isNull() && (period.isMissingNode() || period.isIntegralNumber()
          && (period.asLong() < 1 || period.asLong() > MAX_PERIOD))) {
        refuse(problems, period.isMissingNode() ? here : here + "/periodSeconds", period.isMissingNode()
            ? "periodSeconds left out, which is 0 where a policy's period is 1 to " + MAX_PERIOD + " seconds"
            : period.asText() + " is not 1 to " + MAX_PERIOD + " seconds");
      }
    }
  }

  private static void refuse(List<DecodedValues.Refusal> problems, String pointer, String what) {
    problems.add(DecodedValues.Refusal.serverAt(pointer, what));
  }
}

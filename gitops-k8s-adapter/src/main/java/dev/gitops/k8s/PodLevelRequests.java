package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod-level requests core/v1 {@code SetDefaults_Pod} fills in a Pod's {@code spec.resources}
 * under PodLevelResources (alpha 1.32, beta and on by default from 1.34), for
 * {@link WorkloadDefaults}: {@code defaultPodRequests} ({@code pkg/apis/core/v1/defaults.go}) acts
 * only when the pod's limits are set; then each of cpu and memory its requests lack takes the
 * containers' aggregate request ({@code AggregateContainerRequests} in component-helpers'
 * {@code resource/helpers.go}: the sum over the containers and restartable init containers, at
 * least what each other init container needs beside the restartable ones started before it), and
 * each supported key of the limits (cpu, memory, {@code hugepages-*}) the requests still lack
 * takes the limit. The requests are set only when that leaves them non-empty. It runs after the
 * containers' own requests were filled from their limits, as the server does. A template never
 * gets it. Each value is written as the server prints it ({@link Quantities#serverForm}: the sum of
 * {@code 100m} and {@code 150m} is {@code 250m}, a memory limit of {@code 1024Mi} copied is {@code 1Gi}).
 * Before that, as {@code SetDefaults_Pod} runs it first, {@code defaultHugePagePodLimits} (1.34,
 * kubernetes#131089): when the pod sets any pod-level limit or request, each {@code hugepages-*}
 * key of the containers' aggregate limits ({@code AggregateContainerLimits}, the same sum and
 * maximum over the limits) that the pod neither limits nor requests becomes the pod's limit, which
 * the requests then take (hugepages are never overcommitted, so never aggregated into requests).
 * {@code defaultPodLimits} (cpu and memory limits from the containers') is not in 1.35
 * (kubernetes#137616) and not played. Mutates the spec it is given (a copy). Stateless. Not public API.
 */
final class PodLevelRequests {
  private PodLevelRequests() {}

  /** Fills the pod-level requests of {@code spec}, a Pod's spec, as {@code defaultPodRequests} does. */
  static void fill(ObjectNode spec) {
    if (!(spec.get("resources") instanceof ObjectNode resources)) {
      return;
    }
    hugePageLimits(spec, resources);
    if (!(resources.get("limits") instanceof ObjectNode limits) || limits.isEmpty()) {
      return;
    }
    ObjectNode requests = resources.get("requests") instanceof ObjectNode r ? r.deepCopy() : resources.objectNode();
    aggregate(spec, "requests").forEach((name, sum) -> {
      if (SiblingDefaults.lacks(requests.get(name)) && (name.equals("cpu") || name.equals("memory"))) {
        requests.put(name, Quantities.serverForm(sum.value(), sum.format(), Defaulting.RESOURCE_LIST_SCALE));
      }
    });
    for (Map.Entry<String, JsonNode> limit : limits.properties()) {
      String name = limit.getKey();
      if (SiblingDefaults.lacks(requests.get(name))
          && (name.equals("cpu") || name.equals("memory") || name.startsWith("hugepages-"))) {
        requests.set(name, Quantities.serverForm(limit.getValue(), Defaulting.RESOURCE_LIST_SCALE));
      }
    }
    if (!requests.isEmpty()) {
      resources.set("requests", requests);
    }
  }

  /**
   * {@code defaultHugePagePodLimits}: beside pod-level limits or requests, each hugepages key of the
   * containers' aggregate limits the pod neither requests nor limits takes that aggregate as its limit.
   */
  private static void hugePageLimits(ObjectNode spec, ObjectNode resources) {
    JsonNode requests = resources.path("requests");
    if (resources.path("limits").isEmpty() && requests.isEmpty()) {
      return;
    }
    ObjectNode limits = resources.get("limits") instanceof ObjectNode l ? l.deepCopy() : resources.objectNode();
    aggregate(spec, "limits").forEach((name, sum) -> {
      if (name.startsWith("hugepages-") && SiblingDefaults.lacks(requests.get(name))
          && SiblingDefaults.lacks(limits.get(name))) {
        limits.put(name, Quantities.serverForm(sum.value(), sum.format(), Defaulting.RESOURCE_LIST_SCALE));
      }
    });
    if (!limits.isEmpty()) {
      resources.set("limits", limits);
    }
  }

  /**
   * A quantity's value and the format the server prints it in: a sum keeps its first term's, unless
   * that was zero ({@code Quantity.Add}); a maximum is the larger term, format and all ({@code maxResourceList}).
   */
  private record Amount(BigDecimal value, Quantities.Format format) {
    Amount plus(Amount other) {
      return new Amount(value.add(other.value), value.signum() == 0 ? other.format : format);
    }

    Amount max(Amount other) {
      return other.value.compareTo(value) > 0 ? other : this;
    }
  }

  /**
   * {@code AggregateContainerRequests} (of {@code list} "requests") or {@code AggregateContainerLimits}
   * ("limits") of the spec's containers, by resource name.
   */
  private static Map<String, Amount> aggregate(ObjectNode spec, String list) {
    Map<String, Amount> result = new TreeMap<>();
    for (JsonNode container : spec.path("containers")) {
      add(result, amounts(container, list));
    }
    Map<String, Amount> restartable = new TreeMap<>();
    Map<String, Amount> init = new TreeMap<>();
    for (JsonNode container : spec.path("initContainers")) {
      Map<String, Amount> own = amounts(container, list);
      Map<String, Amount> needs = new TreeMap<>();
      if ("Always".equals(container.path("restartPolicy").asText())) { // a sidecar: runs beside the rest
        add(result, own);
        add(restartable, own);
        needs.putAll(restartable);
      } else {
        add(needs, own);
        add(needs, restartable);
      }
      needs.forEach((name, value) -> init.merge(name, value, Amount::max));
    }
    init.forEach((name, value) -> result.merge(name, value, Amount::max));
    return result;
  }

  private static Map<String, Amount> amounts(JsonNode container, String list) {
    Map<String, Amount> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : container.path("resources").path(list).properties()) {
      BigDecimal value = Quantities.decimal(e.getValue());
      if (value != null) {
        out.put(e.getKey(), new Amount(value, Quantities.format(e.getValue())));
      }
    }
    return out;
  }

  private static void add(Map<String, Amount> into, Map<String, Amount> more) {
    more.forEach((name, value) -> into.merge(name, value, Amount::plus));
  }
}

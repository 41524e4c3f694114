package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gitops.model.ResourceId;
import java.util.List;

/**
 * What the API server's defaulting stores in a workload's field that a write leaves out, where the
 * value depends on a sibling, for {@link SiblingLeftOut#leftOut} (so only a removal of a field
 * {@code gitops} applied is judged by it, never the desired object):
 *
 * <ul>
 *   <li>core/v1 {@code SetDefaults_Container}, in each container and init container of the pod spec
 *       of every built-in kind that holds one ({@link PodRules#podSpec}): an empty
 *       {@code imagePullPolicy} is {@code Always} when the image's tag is {@code latest}, or it names
 *       neither a tag nor a digest ({@code parsers.ParseImageName} takes {@code latest} then), else
 *       {@code IfNotPresent}, also for an image the reference grammar refuses ({@link ImageNames}). A chart's {@code imagePullPolicy: {{ .Values.image.pullPolicy }}}
 *       with the value unset prints a null that is applied and so owned. {@code SetDefaults_Volume}
 *       sets an image volume's {@code pullPolicy} by its {@code reference} the same way (the
 *       ImageVolume gate: a server that stores such a volume has it on; corpus pair 409), under an
 *       image source that is there: an empty one is the nil {@link LeftOutDefaults} puts in place
 *       of a source left out, which gets nothing;
 *   <li>batch/v1 {@code SetDefaults_Job}, on a Job's {@code spec} (a CronJob's {@code jobTemplate}
 *       is not a Job: {@code SetObjectDefaults_CronJob} defaults only its pod spec, so a field left
 *       out there is removed): {@code parallelism} 1, {@code completions} 1 when
 *       {@code parallelism} is nil too, {@code backoffLimit} 6 (the largest int32 beside a
 *       {@code backoffLimitPerIndex}), {@code completionMode} NonIndexed, {@code suspend} and
 *       {@code manualSelector} false, {@code podReplacementPolicy} Failed beside a
 *       {@code podFailurePolicy}, else TerminatingOrFailed;
 *   <li>apps/v1 {@code SetDefaults_StatefulSet}: under an empty {@code updateStrategy.type}, a
 *       {@code rollingUpdate} of partition 0 and maxUnavailable 1 (on 1.35, where the
 *       MaxUnavailableStatefulSet gate is on by default), allocated for the empty type alone, and
 *       filled so under a written RollingUpdate type where it is there (a partition left out beside
 *       a kept {@code maxUnavailable} is stored as 0), never under {@code OnDelete};
 *   <li>apps/v1 {@code SetDefaults_Deployment} and {@code SetDefaults_DaemonSet}: a rolling update
 *       allocated and filled under the RollingUpdate type (an empty type is RollingUpdate) and under
 *       no other, so a {@code rollingUpdate} left out beside {@code type: Recreate} is removed, not
 *       reset to 25% (corpus pairs 456, 457);
 *   <li>core/v1 {@code SetDefaults_Pod}, on a Pod (a template never gets it): an
 *       {@code enableServiceLinks} of true, and in its containers and init containers each
 *       {@code limits} key the {@code requests} lack copied into them, so a chart's
 *       {@code requests:} null beside limits is stored as the limits; and, beside pod-level
 *       resources, the pod-level huge page limits and the requests {@link PodLevelRequests} derives.
 * </ul>
 *
 * A field "lacks" a value as {@link SiblingDefaults#lacks} says (absent, null, {@code ""}, or the
 * missing node {@link LeftOutDefaults} puts in the place of the field it judges); a sibling counts
 * when it holds anything.
 * Never mutates its input. Stateless. Not public API.
 */
final class WorkloadDefaults {
  private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers");

  private WorkloadDefaults() {}

  /** True when {@link #leftOut} may default a field of {@code id}'s kind. */
  static boolean covers(ResourceId id) {
    return PodRules.podSpec(id.group(), id.kind()) != null;
  }

  /** A copy of {@code root}, an object of {@code id}, with the defaults above set where it lacks them; null when none is. */
  static ObjectNode leftOut(ResourceId id, ObjectNode root) {
    String podSpec = PodRules.podSpec(id.group(), id.kind());
    if (podSpec == null || !lacking(root, podSpec, id)) {
      return null;
    }
    ObjectNode out = root.deepCopy();
    if (id.group().equals("batch") && id.kind().equals("Job") && out.get("spec") instanceof ObjectNode spec) {
      job(spec);
    }
    if (bare(id) && out.get("spec") instanceof ObjectNode spec) {
      pod(spec);
    }
    if (statefulSet(id) && out.get("spec") instanceof ObjectNode spec) {
      updateStrategy(spec);
    }
    String rollout = rollout(id);
    if (rollout != null && out.get("spec") instanceof ObjectNode spec) {
      rollingUpdate(spec, rollout, id.kind().equals("Deployment"));
    }
    for (String list : CONTAINER_LISTS) {
      for (JsonNode container : out.at(podSpec + "/" + list)) {
        if (container instanceof ObjectNode c && lacks(c.get("imagePullPolicy"))) {
          c.put("imagePullPolicy", pullPolicy(c.path("image").asText("")));
        }
      }
    }
    for (JsonNode volume : out.at(podSpec + "/volumes")) {
      if (volume.get("image") instanceof ObjectNode image && !image.isEmpty() && lacks(image.get("pullPolicy"))) {
        image.put("pullPolicy", pullPolicy(image.path("reference").asText("")));
      }
    }
    return out;
  }

  /** {@code SetDefaults_Pod}'s service links, requests from limits and pod-level requests, on a Pod's {@code spec}. */
  private static void pod(ObjectNode spec) {
    if (lacks(spec.get("enableServiceLinks"))) {
      spec.put("enableServiceLinks", true);
    }
    for (String list : CONTAINER_LISTS) {
      for (JsonNode container : spec.path(list)) {
        if (container.get("resources") instanceof ObjectNode resources) {
          SiblingDefaults.copyLacking(resources, "limits", "requests");
        }
      }
    }
    PodLevelRequests.fill(spec); // after the containers' requests, as defaultPodRequests runs (pair 452)
  }

  /** True when a container's or image volume's pull policy, or a Job's field, lacks its value, or {@code id} is a bare Pod's. */
  private static boolean lacking(ObjectNode root, String podSpec, ResourceId id) {
    for (String list : CONTAINER_LISTS) {
      for (JsonNode container : root.at(podSpec + "/" + list)) {
        if (lacks(container.get("imagePullPolicy"))) {
          return true;
        }
      }
    }
    for (JsonNode volume : root.at(podSpec + "/volumes")) {
      if (volume.get("image") instanceof ObjectNode image && !image.isEmpty() && lacks(image.get("pullPolicy"))) {
        return true;
      }
    }
    return (bare(id) || statefulSet(id) || rollout(id) != null || id.group().equals("batch") && id.kind().equals("Job"))
        && root.get("spec") instanceof ObjectNode;
  }

  /** The strategy field of a Deployment ({@code strategy}) or a DaemonSet ({@code updateStrategy}); else null. */
  private static String rollout(ResourceId id) {
    if (!id.group().equals("apps")) {
      return null;
    }
    return id.kind().equals("Deployment") ? "strategy" : id.kind().equals("DaemonSet") ? "updateStrategy" : null;
  }

  /**
   * apps/v1 {@code SetDefaults_Deployment} and {@code SetDefaults_DaemonSet} on {@code spec.<field>}:
   * an empty type is RollingUpdate; under RollingUpdate a nil {@code rollingUpdate} is allocated and
   * its nil {@code maxUnavailable} and {@code maxSurge} set (a Deployment's 25% and 25%, a DaemonSet's
   * 1 and 0); under any other type ({@code Recreate}, {@code OnDelete}) nothing is, so a
   * {@code rollingUpdate} a write leaves out stays out (dropped here: validation refuses one beside
   * {@code Recreate}).
   */
  private static void rollingUpdate(ObjectNode spec, String field, boolean deployment) {
    ObjectNode strategy = spec.get(field) instanceof ObjectNode s ? s : spec.putObject(field);
    if (lacks(strategy.get("type"))) {
      strategy.put("type", "RollingUpdate");
    }
    JsonNode rolling = strategy.get("rollingUpdate");
    if (!"RollingUpdate".equals(strategy.get("type").asText())) {
      if (rolling instanceof ObjectNode r) { // the zero a removal puts in a field's place: left out, it stays out
        List<String> zeros = r.properties().stream().filter(e -> e.getValue().isMissingNode())
            .map(java.util.Map.Entry::getKey).toList();
        r.remove(zeros);
        if (r.isEmpty()) {
          strategy.remove("rollingUpdate");
        }
      }
      return;
    }
    ObjectNode filled = rolling instanceof ObjectNode r ? r : strategy.putObject("rollingUpdate");
    if (lacks(filled.get("maxUnavailable"))) {
      filled.set("maxUnavailable", deployment ? TextNode.valueOf("25%") : IntNode.valueOf(1));
    }
    if (lacks(filled.get("maxSurge"))) {
      filled.set("maxSurge", deployment ? TextNode.valueOf("25%") : IntNode.valueOf(0));
    }
  }

  private static boolean statefulSet(ResourceId id) {
    return id.group().equals("apps") && id.kind().equals("StatefulSet");
  }

  /**
   * {@code SetDefaults_StatefulSet}'s rolling update (apps/v1 {@code pkg/apis/apps/v1/defaults.go}): an
   * empty type is RollingUpdate, and only then is a nil {@code rollingUpdate} allocated; under the
   * RollingUpdate type a {@code rollingUpdate} that is there (allocated, or written beside a written
   * type) gets partition 0 and maxUnavailable 1 where it lacks them (MaxUnavailableStatefulSet, on by
   * default since 1.35). Beside a written type a nil one stays nil, so its removal is judged as a
   * removal: the empty object {@link LeftOutDefaults} puts in place of a left-out {@code rollingUpdate}
   * stands for nil there. Under any other type ({@code OnDelete}, where validation refuses a
   * {@code rollingUpdate}) nothing is set, and a field a removal left out stays out.
   */
  private static void updateStrategy(ObjectNode spec) {
    ObjectNode strategy = spec.get("updateStrategy") instanceof ObjectNode s ? s : spec.putObject("updateStrategy");
    JsonNode rolling = strategy.get("rollingUpdate");
    if (lacks(strategy.get("type"))) {
      strategy.put("type", "RollingUpdate");
      if (!(rolling instanceof ObjectNode)) {
        rolling = strategy.putObject("rollingUpdate");
      }
    } else if (!(rolling instanceof ObjectNode r) || r.isEmpty()) {
      return; // nil beside a written type: not allocated
    }
    if (!"RollingUpdate".equals(strategy.get("type").asText()) || !(rolling instanceof ObjectNode filled)) {
      return;
    }
    putLacking(filled, "partition", 0);
    putLacking(filled, "maxUnavailable", 1);
  }

  /** True for a Pod, whose requests SetDefaults_Pod fills from its limits (a template never gets that). */
  private static boolean bare(ResourceId id) {
    return id.group().isEmpty() && id.kind().equals("Pod");
  }

  private static void job(ObjectNode spec) {
    if (lacks(spec.get("completions")) && lacks(spec.get("parallelism"))) {
      spec.put("completions", 1);
    }
    putLacking(spec, "parallelism", 1);
    putLacking(spec, "backoffLimit", lacks(spec.get("backoffLimitPerIndex")) ? 6 : Integer.MAX_VALUE);
    if (lacks(spec.get("completionMode"))) {
      spec.put("completionMode", "NonIndexed");
    }
    if (lacks(spec.get("podReplacementPolicy"))) {
      spec.put("podReplacementPolicy", lacks(spec.get("podFailurePolicy")) ? "TerminatingOrFailed" : "Failed");
    }
    for (String flag : new String[] {"suspend", "manualSelector"}) {
      if (lacks(spec.get(flag))) {
        spec.put(flag, false);
      }
    }
  }

  private static void putLacking(ObjectNode object, String field, int value) {
    if (lacks(object.get(field))) {
      object.put(field, value);
    }
  }

  /**
   * {@code SetDefaults_Container}'s policy for {@code image}: {@code Always} when the tag
   * {@code parsers.ParseImageName} reads ({@link ImageNames#tag}) is {@code latest}, so an image it
   * refuses (an upper-case repository path) gets {@code IfNotPresent}.
   */
  static String pullPolicy(String image) {
    return ImageNames.tag(image).equals("latest") ? "Always" : "IfNotPresent";
  }

  private static boolean lacks(JsonNode v) {
    return SiblingDefaults.lacks(v);
  }
}

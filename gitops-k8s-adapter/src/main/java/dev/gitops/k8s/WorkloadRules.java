package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Numbers, schedules and paths of workloads and Ingresses that the API server refuses, checked on
 * load: the server refuses such an object with 422 at the write of its wave, after the earlier
 * waves were written, and the fabric8 mock takes it. The rules, from the API server's validation
 * (the same in every release from 1.30 on, no feature gate):
 *
 * <ul>
 *   <li>Counts that are never negative: a Deployment's, ReplicaSet's and StatefulSet's
 *       {@code replicas} and {@code minReadySeconds}, a Deployment's and DaemonSet's
 *       {@code revisionHistoryLimit}, a Deployment's {@code progressDeadlineSeconds}, a Job's
 *       (and a CronJob's job template's) {@code parallelism}, {@code completions},
 *       {@code activeDeadlineSeconds}, {@code backoffLimit} and {@code ttlSecondsAfterFinished}, a
 *       CronJob's {@code startingDeadlineSeconds} and history limits, and a probe's seconds and
 *       thresholds. A liveness or startup probe's {@code successThreshold} is 1 (0 is defaulted to 1).
 *   <li>A CronJob's {@code schedule} is five fields or a descriptor ({@code @hourly}, {@code @every 1h},
 *       ...), and names no {@code TZ=} or {@code CRON_TZ=} beside a {@code timeZone}.
 *   <li>An {@code networking.k8s.io/v1} Ingress path of type {@code Exact} or {@code Prefix} is
 *       absolute and has no {@code //}, {@code /./}, {@code /../}, {@code %2f} or {@code %2F}, nor
 *       ends in {@code /.} or {@code /..}; one of type {@code ImplementationSpecific} is empty or absolute.
 *   <li>In a pod spec: a topology spread constraint's {@code maxSkew} is more than 0, and a pod
 *       spreads once per {@code topologyKey} and {@code whenUnsatisfiable}; a container that does not
 *       allow privilege escalation is not privileged nor adds {@code CAP_SYS_ADMIN}.
 * </ul>
 *
 * Only integers, text and booleans are judged: a field of another shape is the schema's problem.
 */
final class WorkloadRules {
  private static final List<String> JOB_COUNTS = List.of("parallelism", "completions", "activeDeadlineSeconds",
      "backoffLimit", "ttlSecondsAfterFinished");
  /** The counts that may not be negative, by group/Kind: where each is. */
  private static final Map<String, List<String>> COUNTS = Map.of(
      "apps/Deployment", List.of("/spec/replicas", "/spec/minReadySeconds", "/spec/revisionHistoryLimit",
          "/spec/progressDeadlineSeconds"),
      "apps/ReplicaSet", List.of("/spec/replicas", "/spec/minReadySeconds"),
      "apps/StatefulSet", List.of("/spec/replicas", "/spec/minReadySeconds"),
      "apps/DaemonSet", List.of("/spec/minReadySeconds", "/spec/revisionHistoryLimit"),
      "batch/Job", JOB_COUNTS.stream().map(c -> "/spec/" + c).toList(),
      "batch/CronJob", Stream.concat(Stream.of("/spec/startingDeadlineSeconds",
          "/spec/successfulJobsHistoryLimit", "/spec/failedJobsHistoryLimit"),
          JOB_COUNTS.stream().map(c -> "/spec/jobTemplate/spec/" + c)).toList());
  private static final List<String> PROBE_COUNTS = List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds",
      "successThreshold", "failureThreshold");
  /** The descriptors robfig/cron's standard parser takes besides {@code @every <duration>}. */
  private static final Set<String> DESCRIPTORS = Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
      "@midnight", "@hourly");
  /** What Go's {@code strings.Fields} splits on: Unicode white space. */
  private static final Pattern SPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final List<String> PATH_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F");
  private static final List<String> PATH_SUFFIXES = List.of("/..", "/.");

  private WorkloadRules() {
  }

  /** Adds to {@code problems} what the server would refuse of {@code node}, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    String key = group + "/" + kind;
    for (String pointer : COUNTS.getOrDefault(key, List.of())) {
      negative(node.at(pointer), pointer, problems);
    }
    if (key.equals("batch/CronJob")) {
      schedule(node.path("spec"), problems);
    } else if (key.equals("networking.k8s.io/Ingress") && "networking.k8s.io/v1".equals(node.path("apiVersion").asText())) {
      ingress(node.path("spec").path("rules"), problems);
    }
    String spec = PodRules.podSpec(group, kind);
    if (spec != null) {
      pod(node.at(spec), spec, problems);
    }
  }

  private static void pod(JsonNode pod, String spec, List<DecodedValues.Refusal> problems) {
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      JsonNode containers = pod.path(list);
      for (int i = 0; containers.isArray() && i < containers.size(); i++) {
        String at = spec + "/" + list + "/" + i;
        if (!list.equals("ephemeralContainers")) { // an ephemeral container takes no probes at all
          probes(containers.get(i), at, problems);
        }
        escalation(containers.get(i).path("securityContext"), at + "/securityContext", problems);
      }
    }
    JsonNode constraints = pod.path("topologySpreadConstraints");
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; constraints.isArray() && i < constraints.size(); i++) {
      JsonNode c = constraints.get(i);
      String at = spec + "/topologySpreadConstraints/" + i;
      if (c.path("maxSkew").isIntegralNumber() && c.path("maxSkew").bigIntegerValue().signum() <= 0) {
        refuse(problems, at + "/maxSkew", c.path("maxSkew").asText() + " is not more than 0");
      }
      if (c.path("topologyKey").isTextual() && c.path("whenUnsatisfiable").isTextual()) {
        String pair = "{" + c.path("topologyKey").asText() + ", " + c.path("whenUnsatisfiable").asText() + "}";
        Integer first = seen.putIfAbsent(pair, i);
        if (first != null) {
          refuse(problems, at, Names.printable(pair) + " repeats element " + first + ": a pod spreads once per"
              + " topologyKey and whenUnsatisfiable");
        }
      }
    }
  }

  /** A probe's seconds and thresholds are not negative; a liveness or startup probe succeeds once. */
  private static void probes(JsonNode container, String at, List<DecodedValues.Refusal> problems) {
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      for (String count : PROBE_COUNTS) {
        negative(container.path(probe).path(count), at + "/" + probe + "/" + count, problems);
      }
      JsonNode once = container.path(probe).path("successThreshold");
      if (!probe.equals("readinessProbe") && once.isIntegralNumber() && once.bigIntegerValue().signum() > 0
          && !once.asText().equals("1")) {
        refuse(problems, at + "/" + probe + "/successThreshold", once.asText() + " where a " + probe
            .replace("Probe", "") + " probe takes 1");
      }
    }
  }

  /** A container that does not allow privilege escalation is neither privileged nor adds CAP_SYS_ADMIN. */
  private static void escalation(JsonNode context, String at, List<DecodedValues.Refusal> problems) {
    if (!context.path("allowPrivilegeEscalation").isBoolean() || context.path("allowPrivilegeEscalation").asBoolean()) {
      return;
    }
    if (context.path("privileged").isBoolean() && context.path("privileged").asBoolean()) {
      refuse(problems, at + "/allowPrivilegeEscalation", "false where the container is privileged, which escalates");
    }
    JsonNode added = context.path("capabilities").path("add");
    for (int i = 0; added.isArray() && i < added.size(); i++) {
      if ("CAP_SYS_ADMIN".equals(added.get(i).textValue())) {
        refuse(problems, at + "/allowPrivilegeEscalation", "false where the container adds CAP_SYS_ADMIN, which"
            + " escalates");
      }
    }
  }

  /**
   * A CronJob's schedule: five fields or a descriptor, as robfig/cron's standard parser takes it;
   * {@code TZ=} or {@code CRON_TZ=} in it beside a {@code timeZone}. (The server refuses a {@code TZ}
   * without a {@code timeZone} too, unless the object it replaces had one: left to the server.)
   */
  private static void schedule(JsonNode spec, List<DecodedValues.Refusal> problems) {
    if (!spec.path("schedule").isTextual()) {
      return;
    }
    String schedule = spec.path("schedule").asText();
    String wrong;
    if (schedule.contains("TZ")) {
      wrong = spec.path("timeZone").isTextual() ? " names a time zone (TZ or CRON_TZ) beside spec.timeZone" : null;
    } else if (schedule.startsWith("@")) {
      wrong = DESCRIPTORS.contains(schedule) || schedule.startsWith("@every ") ? null
          : " is not a descriptor (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every"
              + " and a duration)";
    } else {
      long fields = Arrays.stream(SPACE.split(schedule)).filter(f -> !f.isEmpty()).count();
      wrong = fields == 5 ? null : " has " + fields + " fields where a schedule has 5 (minute, hour, day of month,"
          + " month, day of week) or is a descriptor such as @hourly";
    }
    if (wrong != null) {
      refuse(problems, "/spec/schedule", Names.quote(schedule) + wrong);
    }
  }

  private static void ingress(JsonNode rules, List<DecodedValues.Refusal> problems) {
    for (int r = 0; rules.isArray() && r < rules.size(); r++) {
      JsonNode paths = rules.get(r).path("http").path("paths");
      for (int p = 0; paths.isArray() && p < paths.size(); p++) {
        JsonNode type = paths.get(p).path("pathType");
        JsonNode path = paths.get(p).path("path");
        String at = "/spec/rules/" + r + "/http/paths/" + p;
        if (!type.isTextual() || !(path.isTextual() || path.isMissingNode() || path.isNull())) {
          continue;
        }
        String text = path.asText("");
        String wrong = path(type.asText(), text);
        if (wrong != null) {
          // left out, the path is its element's line; the message names the path still
          problems.add(new DecodedValues.Refusal(path.isTextual() ? at + "/path" : at, Pointers.dotted(at + "/path")
              + ": " + (path.isTextual() ? Names.quote(text) : "left out, so \"\",") + wrong + " where pathType is "
              + type.asText() + ": the API server refuses the object"));
        }
      }
    }
  }

  /** Why {@code path} is not a path of {@code type}, or null (for a type this does not know too). */
  private static String path(String type, String path) {
    if (type.equals("ImplementationSpecific")) {
      return path.isEmpty() || path.startsWith("/") ? null : " is not an absolute path";
    } else if (!type.equals("Exact") && !type.equals("Prefix")) {
      return null;
    } else if (!path.startsWith("/")) {
      return " is not an absolute path";
    }
    for (String sequence : PATH_SEQUENCES) {
      if (path.contains(sequence)) {
        return " contains " + sequence;
      }
    }
    for (String suffix : PATH_SUFFIXES) {
      if (path.endsWith(suffix)) {
        return " ends in " + suffix;
      }
    }
    return null;
  }

  /** Adds a problem when {@code value} is a negative integer. */
  private static void negative(JsonNode value, String pointer, List<DecodedValues.Refusal> problems) {
    if (value.isIntegralNumber() && value.bigIntegerValue().signum() < 0) {
      refuse(problems, pointer, value.asText() + " is negative");
    }
  }

  /** Adds the problem {@code what} at {@code pointer}: a value the API server refuses. */
  private static void refuse(List<DecodedValues.Refusal> problems, String pointer, String what) {
    problems.add(DecodedValues.Refusal.serverAt(pointer, what));
  }
}

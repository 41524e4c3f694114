package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Names inside a pod spec and a Service that the API server requires in a form of their own,
 * checked on load: the server refuses such an object with 422 at the write of its wave, after the
 * earlier waves were written, and the fabric8 mock takes it. The rules, from the API server's
 * validation:
 *
 * <ul>
 *   <li>A container's name (init and ephemeral containers too) and a volume's name are RFC 1123
 *       labels: 1 to 63 lowercase letters, digits and {@code -}, alphanumeric at both ends.
 *   <li>A container port's name, and a Service's {@code targetPort} or a probe's or lifecycle
 *       hook's port given as text, is an IANA service name: 1 to 15 lowercase letters, digits and
 *       {@code -}, at least one letter, no {@code -} at either end or twice in a row
 *       ({@code http-metrics-admin} is too long). A container port, and a probe's or hook's port
 *       given as a number, is 1 to 65535.
 *   <li>A Service's port name is an RFC 1123 label, a Service with more than one port names
 *       every one, and lists a port and protocol ({@code TCP} when left out) once.
 *   <li>A pod's containers, init and ephemeral containers together, have names of their own; so
 *       have its volumes, and one container's mount paths.
 *   <li>An env var takes a {@code value} or a {@code valueFrom} of one source; a volume has at most
 *       one source (none is an {@code emptyDir}, {@code SetDefaults_Volume}).
 *   <li>A container's resource request is at most its limit of the same resource.
 *   <li>A Job's (and CronJob's) pods restart {@code Never} or {@code OnFailure}, set explicitly; a
 *       Deployment's, ReplicaSet's, StatefulSet's, DaemonSet's or ReplicationController's
 *       {@code Always}, without an {@code activeDeadlineSeconds}.
 * </ul>
 *
 * The pod spec is found where each built-in workload keeps it; custom resources are their CRD's.
 */
final class PodRules {
  private static final int MAX_LABEL = 63;
  private static final int MAX_PORT_NAME = 15;
  private static final int MAX_PORT = 65535;
  /** The sources an env var's {@code valueFrom} takes one of. */
  private static final List<String> ENV_SOURCES = List.of("fieldRef", "resourceFieldRef", "configMapKeyRef",
      "secretKeyRef");
  /** Where a container keeps its probes' and lifecycle hooks' handlers. */
  private static final List<String> HANDLERS = List.of("/livenessProbe", "/readinessProbe", "/startupProbe",
      "/lifecycle/postStart", "/lifecycle/preStop");

  private PodRules() {
  }

  /** Adds to {@code problems} the names in {@code node}, a {@code group}/{@code kind}, that the server would refuse. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    String key = group + "/" + kind;
    if (key.equals("/Service")) {
      service(node.path("spec").path("ports"), problems);
      return;
    }
    String spec = podSpec(group, kind);
    if (spec == null) {
      return;
    }
    JsonNode pod = node.at(spec);
    restartPolicy(group, kind, pod, spec, problems);
    unique(pod, spec, problems);
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      JsonNode containers = pod.path(list);
      for (int i = 0; containers.isArray() && i < containers.size(); i++) { // a map: the schema's problem
        String at = spec + "/" + list + "/" + i;
        JsonNode container = containers.get(i);
        check(container.path("name"), at + "/name", PodRules::label, problems);
        resources(container.path("resources"), at + "/resources", problems);
        JsonNode ports = container.path("ports");
        for (int p = 0; ports.isArray() && p < ports.size(); p++) {
          check(ports.get(p).path("name"), at + "/ports/" + p + "/name", PodRules::portName, problems);
          portNumber(ports.get(p).path("containerPort"), at + "/ports/" + p + "/containerPort", problems);
        }
        handlerPorts(container, at, problems);
        env(container.path("env"), at + "/env", problems);
      }
    }
    JsonNode volumes = pod.path("volumes");
    for (int i = 0; volumes.isArray() && i < volumes.size(); i++) {
      check(volumes.get(i).path("name"), spec + "/volumes/" + i + "/name", PodRules::label, problems);
      source(volumes.get(i), spec + "/volumes/" + i, problems);
    }
  }

  /**
   * An env var takes a {@code value} or a {@code valueFrom}, not both, and a {@code valueFrom} one
   * source: a patch that adds a {@code secretKeyRef} to a var that had a value (a Kustomize overlay
   * over a base) makes both, and the server refuses it.
   */
  private static void env(JsonNode vars, String at, List<DecodedValues.Refusal> problems) {
    for (int i = 0; vars.isArray() && i < vars.size(); i++) {
      JsonNode from = vars.get(i).path("valueFrom");
      if (!from.isObject() || from.isEmpty()) {
        continue;
      }
      if (!vars.get(i).path("value").asText("").isEmpty()) {
        refuse(problems, at + "/" + i + "/valueFrom", "given beside a value: an env var takes one of them");
      }
      List<String> sources = ENV_SOURCES.stream().filter(k -> from.path(k).isObject()).toList();
      if (sources.size() > 1) {
        refuse(problems, at + "/" + i + "/valueFrom", "has " + String.join(" and ", sources) + ": it takes one source");
      }
    }
  }

  /**
   * A volume has at most one source ({@code emptyDir}, {@code configMap}, {@code persistentVolumeClaim},
   * ...: every member but its name): a patch that gives a volume another source (a Kustomize
   * overlay turning an {@code emptyDir} into a claim) makes two, and the server refuses it. A volume
   * of none is taken: core/v1 {@code SetDefaults_Volume} makes it an {@code emptyDir} before
   * validation runs ({@code pkg/apis/core/v1/defaults.go}), so the server never refuses one
   * ("must specify a volume type" cannot be reached by a write).
   */
  private static void source(JsonNode volume, String at, List<DecodedValues.Refusal> problems) {
    if (!volume.isObject()) {
      return;
    }
    List<String> sources = new java.util.ArrayList<>();
    volume.properties().forEach(e -> {
      if (!e.getKey().equals("name") && !e.getValue().isNull()) {
        sources.add(e.getKey());
      }
    });
    if (sources.size() > 1) {
      refuse(problems, at, "has " + String.join(" and ", sources) + ": a volume takes one source");
    }
  }

  /**
   * Names a pod holds once: a container's among its containers, init and ephemeral containers
   * together (an init container named as a container is refused too), a volume's among its
   * volumes, and a mount path among one container's mounts. The server refuses a repeat
   * ("Duplicate value", "must be unique") under any way of writing, not only a server-side apply.
   */
  private static void unique(JsonNode pod, String spec, List<DecodedValues.Refusal> problems) {
    Map<String, String> containers = new java.util.HashMap<>();
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      JsonNode items = pod.path(list);
      for (int i = 0; items.isArray() && i < items.size(); i++) { // not a list: the schema's problem
        JsonNode name = items.get(i).path("name");
        String at = list + "[" + i + "]";
        String first = name.isTextual() ? containers.putIfAbsent(name.asText(), at) : null;
        if (first != null) {
          refuse(problems, spec + "/" + list + "/" + i + "/name", Names.quote(name.asText()) + " is also the name of "
              + first + ": containers, init and ephemeral containers of a pod have names of their own");
        }
        unique(items.get(i).path("volumeMounts"), "mountPath", spec + "/" + list + "/" + i + "/volumeMounts",
            "mount paths of a container are unique", problems);
      }
    }
    unique(pod.path("volumes"), "name", spec + "/volumes", "volume names of a pod are unique", problems);
  }

  /** Each element of {@code items} whose {@code key} repeats an earlier one's. */
  private static void unique(JsonNode items, String key, String at, String rule, List<DecodedValues.Refusal> problems) {
    Map<String, Integer> seen = new java.util.HashMap<>();
    for (int i = 0; items.isArray() && i < items.size(); i++) {
      JsonNode value = items.get(i).path(key);
      Integer first = value.isTextual() ? seen.putIfAbsent(value.asText(), i) : null;
      if (first != null) {
        refuse(problems, at + "/" + i + "/" + key, Names.quote(value.asText()) + " repeats element " + first
            + ": " + rule);
      }
    }
  }

  /**
   * A Job's pods (a CronJob's too) restart {@code Never} or {@code OnFailure}: left out, the policy
   * defaults to {@code Always}, which a Job refuses; a workload of {@code apps} (and a
   * ReplicationController) restarts its pods {@code Always}, and its template sets no
   * {@code activeDeadlineSeconds} ("activeDeadlineSeconds in ReplicaSet is not Supported").
   */
  private static void restartPolicy(String group, String kind, JsonNode pod, String spec,
                                    List<DecodedValues.Refusal> problems) {
    JsonNode policy = pod.path("restartPolicy");
    String value = policy.isTextual() ? policy.asText() : null;
    if (group.equals("batch") && !"Never".equals(value) && !"OnFailure".equals(value)) {
      problems.add(new DecodedValues.Refusal(value == null ? spec : spec + "/restartPolicy", Pointers.dotted(spec)
          + ".restartPolicy: " + (value == null ? "left out, so Always," : Names.quote(value))
          + " where a Job's pods take Never or OnFailure: the API server refuses the object"));
    } else if (group.equals("apps") || kind.equals("ReplicationController")) {
      if (value != null && !value.equals("Always")) {
        refuse(problems, spec + "/restartPolicy", Names.quote(value) + " where a workload's pods take Always");
      }
      if (pod.has("activeDeadlineSeconds")) { // a null one is gone already (DecodedValues)
        refuse(problems, spec + "/activeDeadlineSeconds", "set, where a " + kind
            + "'s pods run until replaced (a Pod's or a Job's field)");
      }
    }
  }

  /** The pointer of the pod spec of a {@code group}/{@code kind}, or null for a kind that has none. */
  static String podSpec(String group, String kind) {
    return switch (kind) { // asked per object on the plan's path: no "group/kind" text built
      case "Pod" -> group.isEmpty() ? "/spec" : null;
      case "PodTemplate" -> group.isEmpty() ? "/template/spec" : null;
      case "ReplicationController" -> group.isEmpty() ? "/spec/template/spec" : null;
      case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet" -> group.equals("apps") ? "/spec/template/spec" : null;
      case "Job" -> group.equals("batch") ? "/spec/template/spec" : null;
      case "CronJob" -> group.equals("batch") ? "/spec/jobTemplate/spec/template/spec" : null;
      default -> null;
    };
  }

  /** A request above its limit, for any resource both name. */
  private static void resources(JsonNode resources, String at, List<DecodedValues.Refusal> problems) {
    JsonNode limits = resources.path("limits");
    for (Map.Entry<String, JsonNode> request : resources.path("requests").properties()) {
      JsonNode limit = limits.get(request.getKey());
      BigDecimal r = Quantities.decimal(request.getValue());
      BigDecimal l = limit == null ? null : Quantities.decimal(limit);
      if (r != null && l != null && r.compareTo(l) > 0) {
        String pointer = at + "/requests/" + Pointers.escape(request.getKey());
        problems.add(new DecodedValues.Refusal(pointer, Pointers.dotted(at) + ".requests." + Names.printable(request.getKey())
            + ": " + request.getValue().asText() + " is more than its limit " + limit.asText()
            + ": the API server refuses the object (a request is at most its limit)"));
      }
    }
  }

  private static void service(JsonNode ports, List<DecodedValues.Refusal> problems) {
    Map<String, Integer> seen = new java.util.HashMap<>();
    for (int p = 0; ports.isArray() && p < ports.size(); p++) {
      JsonNode port = ports.get(p);
      String at = "/spec/ports/" + p;
      String protocol = port.path("protocol").asText("TCP");
      Integer first = port.path("port").isIntegralNumber()
          ? seen.putIfAbsent(port.path("port").asText() + "/" + protocol, p) : null;
      if (first != null) { // refused under any way of writing, not only a server-side apply
        refuse(problems, at, "port " + port.path("port").asText() + "/" + protocol + " again (spec.ports[" + first
            + "] has it): a Service lists a port and protocol once");
      }
      if (ports.size() > 1 && (!port.path("name").isTextual() || port.path("name").asText().isEmpty())) {
        refuse(problems, at, "a Service with more than one port names each of them (spec.ports[" + p
            + "].name is required)");
      }
      check(port.path("name"), at + "/name", PodRules::label, problems);
      check(port.path("targetPort"), at + "/targetPort", PodRules::portName, problems);
    }
  }

  /**
   * The ports of a container's probes and lifecycle handlers: a port given as text names a port (an
   * IANA service name, as a container port's name), one given as a number is 1 to 65535.
   */
  private static void handlerPorts(JsonNode container, String at, List<DecodedValues.Refusal> problems) {
    for (String handler : HANDLERS) {
      JsonNode h = container.at(handler);
      for (String action : List.of("httpGet", "tcpSocket")) {
        String pointer = at + handler + "/" + action + "/port";
        check(h.path(action).path("port"), pointer, PodRules::portName, problems);
        portNumber(h.path(action).path("port"), pointer, problems);
      }
      // a gRPC port is a number only: text there is a type the decoding refuses
      portNumber(h.path("grpc").path("port"), at + handler + "/grpc/port", problems);
    }
  }

  /** Adds a problem when {@code value} is a number that is not a port (1 to 65535). */
  private static void portNumber(JsonNode value, String pointer, List<DecodedValues.Refusal> problems) {
    if (value.isNumber() && (!value.canConvertToInt() || value.asInt() < 1 || value.asInt() > MAX_PORT)) {
      refuse(problems, pointer, value.asText() + " is not a port number (1 to " + MAX_PORT + ")");
    }
  }

  /** Adds a problem when {@code value} is text that {@code rule} refuses. */
  private static void check(JsonNode value, String pointer, java.util.function.UnaryOperator<String> rule,
                            List<DecodedValues.Refusal> problems) {
    if (value.isTextual()) {
      String bad = rule.apply(value.asText());
      if (bad != null) {
        refuse(problems, pointer, Names.quote(value.asText()) + bad);
      }
    }
  }

  /** Adds the problem {@code what} at {@code pointer}: a value the API server refuses. */
  private static void refuse(List<DecodedValues.Refusal> problems, String pointer, String what) {
    problems.add(DecodedValues.Refusal.serverAt(pointer, what));
  }

  /** Why {@code name} is not an RFC 1123 label, or null. */
  private static String label(String name) {
    return name.length() <= MAX_LABEL && Names.LABEL.matcher(name).matches() ? null
        : (name.length() > MAX_LABEL ? " (" + name.length() + " characters)" : "") + " is not an RFC 1123 label (1 to "
            + MAX_LABEL + " lowercase letters, digits and '-', beginning and ending with a letter or digit)";
  }

  /** Why {@code name} is not an IANA service name (a port's name), or null. */
  private static String portName(String name) {
    boolean ok = name.length() <= MAX_PORT_NAME && Names.LABEL.matcher(name).matches() && !name.contains("--")
        && name.chars().anyMatch(c -> c >= 'a' && c <= 'z');
    return ok ? null : (name.length() > MAX_PORT_NAME ? " (" + name.length() + " characters)" : "")
        + " is not a port name (1 to " + MAX_PORT_NAME + " lowercase letters, digits and '-', at least one letter,"
        + " no '-' at either end or twice in a row)";
  }
}

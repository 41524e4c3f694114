package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a pod spec's fields point at, and bounds of its own, that the API server refuses, checked on
 * load: the server refuses such an object with 422 at the write of its wave, after the earlier
 * waves were written, and the fabric8 mock takes it. The rules, from the API server's pod
 * validation (the same in every release from 1.30 on, no feature gate nor option):
 *
 * <ul>
 *   <li>A container's (init and ephemeral too) volume mount and volume device name a volume of the
 *       pod ("Not found"); a device's volume is a {@code persistentVolumeClaim} or {@code ephemeral}
 *       one; a container does not name one volume both as a mount and as a device.
 *   <li>A mount has a {@code mountPath}; its {@code subPath} and {@code subPathExpr} are relative and
 *       hold no {@code ..} element.
 *   <li>An env var's {@code fieldRef.fieldPath} is one the downward API gives an env var
 *       ({@code metadata.name}, {@code status.podIP}, ..., or {@code metadata.labels['key']} and
 *       {@code metadata.annotations['key']} with a qualified name as key); its
 *       {@code resourceFieldRef.resource} a container's cpu, memory, ephemeral-storage or hugepages
 *       request or limit.
 *   <li>A toleration with an empty key has operator {@code Exists}, and one with operator
 *       {@code Exists} no value; the pod's
 *       {@code activeDeadlineSeconds} is 1 to 2147483647; with {@code hostNetwork}, a container's
 *       {@code hostPort}, when given, is its {@code containerPort}; a pod has a container.
 * </ul>
 *
 * A StatefulSet's pod spec is judged as the pods the controller makes of it, with a claim volume of
 * each of its {@code volumeClaimTemplates}: the server does not validate a StatefulSet's template as
 * a pod spec, and refuses those pods instead (as it refuses them for {@link PodRules}' rules).
 * Only text, integers and booleans are judged: a field of another shape is the schema's problem.
 */
final class PodSpecRules {
  /** The fields an env var's {@code fieldRef} takes without a subscript ({@code spec.host} is read as {@code spec.nodeName}). */
  private static final Set<String> ENV_FIELDS = Set.of("metadata.name", "metadata.namespace", "metadata.uid",
      "spec.nodeName", "spec.host", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP",
      "status.podIPs");
  /** The resources an env var's {@code resourceFieldRef} takes, besides {@code requests.hugepages-*} and {@code limits.hugepages-*}. */
  private static final Set<String> ENV_RESOURCES = Set.of("limits.cpu", "limits.memory", "limits.ephemeral-storage",
      "requests.cpu", "requests.memory", "requests.ephemeral-storage");
  private static final long MAX_INT32 = Integer.MAX_VALUE;

  private PodSpecRules() {
  }

  /** Adds to {@code problems} what the server would refuse of the pod spec in {@code node}, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    String spec = PodRules.podSpec(group, kind);
    JsonNode pod = spec == null ? null : node.at(spec);
    if (pod == null || !pod.isObject()) {
      return; // no pod spec, or not a mapping: the schema's problem
    }
    JsonNode containers = pod.path("containers");
    if (containers.isMissingNode() || containers.isNull() || containers.isArray() && containers.isEmpty()) {
      problems.add(new DecodedValues.Refusal(containers.isArray() ? spec + "/containers" : spec,
          Pointers.dotted(spec + "/containers") + ": " + (containers.isArray() ? "empty" : "left out")
              + ", where a pod has at least one container: the API server refuses the object"));
    }
    Set<String> volumes = volumeNames(pod.path("volumes"));
    Set<String> claims = group.equals("apps") && kind.equals("StatefulSet")
        ? claimTemplates(node.path("spec").path("volumeClaimTemplates")) : Set.of();
    if (volumes != null) {
      volumes.addAll(claims); // the controller adds a claim volume of each template to the pods it makes
    }
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      JsonNode items = pod.path(list);
      for (int i = 0; items.isArray() && i < items.size(); i++) {
        String at = spec + "/" + list + "/" + i;
        if (volumes != null) {
          mounts(items.get(i), at, volumes, claims, pod.path("volumes"), problems);
        }
        env(items.get(i).path("env"), at + "/env", problems);
      }
    }
    tolerations(pod.path("tolerations"), spec + "/tolerations", problems);
    JsonNode deadline = pod.path("activeDeadlineSeconds");
    if (deadline.isIntegralNumber() && (deadline.bigIntegerValue().signum() < 1 || !deadline.canConvertToLong()
        || deadline.longValue() > MAX_INT32)) {
      refuse(problems, spec + "/activeDeadlineSeconds", deadline.asText() + " is not 1 to " + MAX_INT32);
    }
    if (pod.path("hostNetwork").isBoolean() && pod.path("hostNetwork").asBoolean()) {
      hostPorts(containers, spec + "/containers", problems);
    }
  }

  /** The names of the pod's volumes, or null when {@code volumes} is neither a list nor left out. */
  private static Set<String> volumeNames(JsonNode volumes) {
    if (!volumes.isArray() && !volumes.isMissingNode() && !volumes.isNull()) {
      return null;
    }
    Set<String> names = new HashSet<>();
    volumes.forEach(v -> {
      if (v.path("name").isTextual()) {
        names.add(v.path("name").asText());
      }
    });
    return names;
  }

  /** The names of a StatefulSet's claim templates, each a claim volume of the pods it makes. */
  private static Set<String> claimTemplates(JsonNode templates) {
    Set<String> names = new HashSet<>();
    for (int i = 0; templates.isArray() && i < templates.size(); i++) {
      JsonNode name = templates.get(i).path("metadata").path("name");
      if (name.isTextual()) {
        names.add(name.asText());
      }
    }
    return names;
  }

  /**
   * A container's mounts and devices name volumes of the pod (a device's a claim), none both; a
   * mount has a path, and its sub path is relative with no {@code ..}.
   */
  private static void mounts(JsonNode container, String at, Set<String> volumes, Set<String> claims,
                             JsonNode declared, List<DecodedValues.Refusal> problems) {
    JsonNode mounts = container.path("volumeMounts");
    Set<String> mounted = new HashSet<>();
    for (int m = 0; mounts.isArray() && m < mounts.size(); m++) {
      JsonNode mount = mounts.get(m);
      String here = at + "/volumeMounts/" + m;
      if (!mount.isObject()) {
        continue;
      }
      if (mount.path("name").isTextual()) {
        mounted.add(mount.path("name").asText());
        notFound(mount.path("name").asText(), here + "/name", volumes, problems);
      }
      JsonNode path = mount.path("mountPath");
      if (path.isMissingNode() || path.isNull() || path.isTextual() && path.asText().isEmpty()) {
        problems.add(new DecodedValues.Refusal(path.isTextual() ? here + "/mountPath" : here, Pointers.dotted(here)
            + ".mountPath: " + (path.isTextual() ? "empty" : "left out") + ", where a mount has a path: the API"
            + " server refuses the object"));
      }
      for (String sub : List.of("subPath", "subPathExpr")) {
        String text = mount.path(sub).isTextual() ? mount.path(sub).asText() : "";
        if (text.startsWith("/")) {
          refuse(problems, here + "/" + sub, Names.quote(text) + " is not a relative path");
        } else if (List.of(text.split("/", -1)).contains("..")) {
          refuse(problems, here + "/" + sub, Names.quote(text) + " contains '..'");
        }
      }
    }
    JsonNode devices = container.path("volumeDevices");
    for (int d = 0; devices.isArray() && d < devices.size(); d++) {
      JsonNode name = devices.get(d).path("name");
      String here = at + "/volumeDevices/" + d + "/name";
      if (!name.isTextual()) {
        continue;
      }
      if (mounted.contains(name.asText())) {
        refuse(problems, here, Names.quote(name.asText()) + " is a volume mount of the container too: a volume is"
            + " mounted or a device, not both");
      } else if (!notFound(name.asText(), here, volumes, problems) && !claims.contains(name.asText())
          && !claim(declared, name.asText())) {
        refuse(problems, here, Names.quote(name.asText()) + " is not a persistentVolumeClaim or ephemeral volume,"
            + " which a device (block mode) takes");
      }
    }
  }

  /** Adds a problem when {@code name} is not one of {@code volumes}; whether it added one. */
  private static boolean notFound(String name, String pointer, Set<String> volumes, List<DecodedValues.Refusal> problems) {
    if (volumes.contains(name)) {
      return false;
    }
    List<String> known = volumes.stream().sorted().map(Names::quote).toList();
    refuse(problems, pointer, Names.quote(name) + " names no volume of the pod (" + (known.isEmpty()
        ? "it has none" : "it has " + String.join(", ", known)) + ")");
    return true;
  }

  /** Whether the volume {@code name} of {@code volumes} is a claim or an ephemeral volume (the first of that name). */
  private static boolean claim(JsonNode volumes, String name) {
    for (JsonNode v : volumes) {
      if (name.equals(v.path("name").textValue())) {
        return v.path("persistentVolumeClaim").isObject() || v.path("ephemeral").isObject();
      }
    }
    return true;
  }

  /** An env var's field and resource references name what the downward API gives an env var. */
  private static void env(JsonNode vars, String at, List<DecodedValues.Refusal> problems) {
    for (int i = 0; vars.isArray() && i < vars.size(); i++) {
      JsonNode from = vars.get(i).path("valueFrom");
      String here = at + "/" + i + "/valueFrom";
      JsonNode path = from.path("fieldRef").path("fieldPath");
      if (path.isTextual() && fieldPath(path.asText()) != null) {
        refuse(problems, here + "/fieldRef/fieldPath", Names.quote(path.asText()) + fieldPath(path.asText()));
      }
      JsonNode resource = from.path("resourceFieldRef").path("resource");
      if (resource.isTextual() && !ENV_RESOURCES.contains(resource.asText())
          && !resource.asText().startsWith("requests.hugepages-") && !resource.asText().startsWith("limits.hugepages-")) {
        refuse(problems, here + "/resourceFieldRef/resource", Names.quote(resource.asText()) + " is not a resource"
            + " an env var takes (" + String.join(", ", ENV_RESOURCES.stream().sorted().toList())
            + ", requests.hugepages-<size>, limits.hugepages-<size>)");
      }
    }
  }

  /** Why {@code path} is not a field an env var's {@code fieldRef} takes, or null. */
  private static String fieldPath(String path) {
    if (path.endsWith("']") && path.indexOf("['") > 0) { // a subscript, split as the server splits it
      String field = path.substring(0, path.indexOf("['"));
      String key = path.substring(path.indexOf("['") + 2, path.length() - 2);
      if (!field.equals("metadata.labels") && !field.equals("metadata.annotations")) {
        return " takes a key where only metadata.labels and metadata.annotations take one";
      }
      String lowered = field.equals("metadata.annotations") ? key.toLowerCase(java.util.Locale.ROOT) : key;
      return MetadataRules.qualifiedName(lowered) == null ? null : " names a key that is not a qualified name";
    }
    return ENV_FIELDS.contains(path) ? null : " is not a field an env var takes (" + String.join(", ",
        ENV_FIELDS.stream().filter(f -> !f.equals("spec.host")).sorted().toList())
        + ", metadata.labels['<key>'], metadata.annotations['<key>'])";
  }

  /** A toleration with an empty key tolerates every taint, with operator Exists; one with operator Exists has no value. */
  private static void tolerations(JsonNode tolerations, String at, List<DecodedValues.Refusal> problems) {
    for (int i = 0; tolerations.isArray() && i < tolerations.size(); i++) {
      JsonNode t = tolerations.get(i);
      JsonNode key = t.path("key");
      JsonNode operator = t.path("operator");
      boolean emptyKey = key.isMissingNode() || key.isNull() || key.isTextual() && key.asText().isEmpty();
      boolean textOrLeftOut = operator.isTextual() || operator.isMissingNode() || operator.isNull();
      if (t.isObject() && emptyKey && textOrLeftOut && !"Exists".equals(operator.textValue())) {
        problems.add(DecodedValues.Refusal.server(operator.isTextual() ? at + "/" + i + "/operator" : at + "/" + i,
            Pointers.dotted(at + "/" + i + "/operator") + ": " + (operator.isTextual() ? Names.quote(operator.asText())
                : "left out, so Equal,") + " where the key is empty, which takes operator Exists (every key, every"
                + " value)"));
      }
      if ("Exists".equals(operator.textValue()) && t.path("value").isTextual() && !t.path("value").asText().isEmpty()) {
        refuse(problems, at + "/" + i + "/value", Names.quote(t.path("value").asText())
            + " where the operator is Exists, which takes no value");
      }
    }
  }

  /** With the host's network, a container's host port, when given, is its container port. */
  private static void hostPorts(JsonNode containers, String at, List<DecodedValues.Refusal> problems) {
    for (int c = 0; containers.isArray() && c < containers.size(); c++) {
      JsonNode ports = containers.get(c).path("ports");
      for (int p = 0; ports.isArray() && p < ports.size(); p++) {
        JsonNode host = ports.get(p).path("hostPort");
        JsonNode container = ports.get(p).path("containerPort");
        if (host.isIntegralNumber() && host.bigIntegerValue().signum() != 0 && container.isIntegralNumber()
            && !host.bigIntegerValue().equals(container.bigIntegerValue())) {
          refuse(problems, at + "/" + c + "/ports/" + p + "/hostPort", host.asText() + " where containerPort is "
              + container.asText() + ": with hostNetwork, a host port is the container port");
        }
      }
    }
  }

  /** Adds the problem {@code what} at {@code pointer}: a value the API server refuses. */
  private static void refuse(List<DecodedValues.Refusal> problems, String pointer, String what) {
    problems.add(DecodedValues.Refusal.serverAt(pointer, what));
  }
}

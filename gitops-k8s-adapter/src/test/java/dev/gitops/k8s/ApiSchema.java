package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the test-side API server stand-in and the field-set oracle know of a kind's schema: which
 * lists are keyed (and by what, with key defaults), which are sets, which maps are atomic.
 * Everything else is an atomic list or a granular object, as for the built-in types. Written by
 * hand for the kinds the tests use, from the Kubernetes OpenAPI
 * ({@code x-kubernetes-list-type}, {@code x-kubernetes-list-map-keys}, {@code x-kubernetes-map-type});
 * for custom kinds read from the CRD's {@code openAPIV3Schema}. Deliberately shares nothing with
 * the adapter's own schema table, which it is used to check. Paths are field names, {@code []}
 * standing for "an element of this list".
 */
final class ApiSchema {
  /** How a list merges. */
  enum ListType { ATOMIC, MAP, SET }

  /**
   * A list's type.
   *
   * @param type atomic, keyed or set
   * @param keys the key fields of a keyed list
   * @param defaults key fields' defaults (a port's protocol is TCP when absent)
   */
  record ListInfo(ListType type, List<String> keys, Map<String, JsonNode> defaults) {
    static final ListInfo ATOMIC_LIST = new ListInfo(ListType.ATOMIC, List.of(), Map.of());
    static final ListInfo SET_LIST = new ListInfo(ListType.SET, List.of(), Map.of());

    static ListInfo keyed(String... keys) {
      return new ListInfo(ListType.MAP, List.of(keys), Map.of());
    }

    static ListInfo ports(String key) {
      return new ListInfo(ListType.MAP, List.of(key, "protocol"), Map.of("protocol", TextNode.valueOf("TCP")));
    }
  }

  private static final Map<String, ListInfo> POD_LISTS = Map.ofEntries(
      Map.entry("containers", ListInfo.keyed("name")),
      Map.entry("initContainers", ListInfo.keyed("name")),
      Map.entry("ephemeralContainers", ListInfo.keyed("name")),
      Map.entry("volumes", ListInfo.keyed("name")),
      Map.entry("imagePullSecrets", new ListInfo(ListType.MAP, List.of("name"), Map.of("name", TextNode.valueOf("")))),
      Map.entry("topologySpreadConstraints", ListInfo.keyed("topologyKey", "whenUnsatisfiable")),
      Map.entry("hostAliases", ListInfo.keyed("ip")),
      Map.entry("resourceClaims", ListInfo.keyed("name")),
      Map.entry("schedulingGates", ListInfo.keyed("name")),
      Map.entry("*.ports", ListInfo.ports("containerPort")),
      Map.entry("*.env", ListInfo.keyed("name")),
      Map.entry("*.volumeMounts", ListInfo.keyed("mountPath")),
      Map.entry("*.volumeDevices", ListInfo.keyed("devicePath")),
      Map.entry("*.resources.claims", ListInfo.keyed("name")));
  private static final List<String> POD_ATOMIC_MAPS = List.of("nodeSelector", "imagePullSecrets.[]",
      "*.env.[].valueFrom.fieldRef", "*.env.[].valueFrom.configMapKeyRef",
      "*.env.[].valueFrom.secretKeyRef", "*.env.[].valueFrom.resourceFieldRef",
      "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"); // core/v1 NodeSelector: map-type atomic
  private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers", "ephemeralContainers");

  private final List<String> podSpec;
  private final String kind;
  private final JsonNode crdSchema;
  /** The apiVersion, where a version's schema differs from the others' (autoscaling/v1); else "". */
  private final String apiVersion;

  private ApiSchema(String kind, List<String> podSpec, JsonNode crdSchema, String apiVersion) {
    this.kind = kind;
    this.podSpec = podSpec;
    this.crdSchema = crdSchema;
    this.apiVersion = apiVersion;
  }

  /** The schema of a built-in kind, in the version whose schema most tests use. */
  static ApiSchema builtin(String kind) {
    return builtin("", kind);
  }

  /** The schema of a built-in kind in {@code apiVersion}: autoscaling/v1's scaleTargetRef is atomic, v2's granular. */
  static ApiSchema builtin(String apiVersion, String kind) {
    List<String> pod = switch (kind) {
      case "Pod" -> List.of("spec");
      case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController" ->
          List.of("spec", "template", "spec");
      case "CronJob" -> List.of("spec", "jobTemplate", "spec", "template", "spec");
      case "PodTemplate" -> List.of("template", "spec");
      default -> null;
    };
    return new ApiSchema(kind, pod, null, apiVersion);
  }

  /** The schema of a custom kind: the {@code openAPIV3Schema} of {@code version} in {@code crd}. */
  static ApiSchema custom(JsonNode crd, String version) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (version.equals(v.path("name").asText())) {
        return new ApiSchema(crd.path("spec").path("names").path("kind").asText(), null,
            v.path("schema").path("openAPIV3Schema"), "");
      }
    }
    throw new IllegalArgumentException("CRD serves no version " + version);
  }

  /** The list at {@code path}. */
  ListInfo list(List<String> path) {
    if (crdSchema != null) {
      return crdList(path);
    }
    if (path.equals(List.of("metadata", "finalizers"))) {
      return ListInfo.SET_LIST;
    }
    if (path.equals(List.of("metadata", "ownerReferences"))) {
      return ListInfo.keyed("uid");
    }
    if (kind.equals("ServiceAccount") && path.equals(List.of("secrets"))) {
      return ListInfo.keyed("name"); // core/v1 ServiceAccount.secrets: list-type map, key name
    }
    if (kind.equals("Service") && path.equals(List.of("spec", "ports"))) {
      return ListInfo.ports("port");
    }
    if (kind.equals("CSIDriver") && path.equals(List.of("spec", "volumeLifecycleModes"))
        || kind.equals("ValidatingAdmissionPolicyBinding") && path.equals(List.of("spec", "validationActions"))) {
      return ListInfo.SET_LIST;
    }
    if (kind.endsWith("WebhookConfiguration") && path.equals(List.of("webhooks"))
        || kind.equals("ValidatingAdmissionPolicy") && (path.equals(List.of("spec", "matchConditions"))
        || path.equals(List.of("spec", "variables")))) {
      return ListInfo.keyed("name"); // admissionregistration/v1: list-type map, key name
    }
    String rel = podRelative(path);
    return rel == null ? ListInfo.ATOMIC_LIST : POD_LISTS.getOrDefault(rel, ListInfo.ATOMIC_LIST);
  }

  /** True when the object at {@code path} is one field (an atomic map or struct). */
  boolean atomicMap(List<String> path) {
    if (crdSchema != null) {
      JsonNode s = crdNode(path);
      return s != null && "atomic".equals(s.path("x-kubernetes-map-type").asText());
    }
    String joined = String.join(".", path);
    if (joined.equals("metadata.ownerReferences.[]") || kind.equals("ServiceAccount") && joined.equals("secrets.[]")) {
      return true; // OwnerReference and ObjectReference: map-type atomic
    }
    if ((joined.equals("spec.selector") && !kind.equals("Pod")) || joined.equals("spec.podSelector")) {
      return true; // a LabelSelector (workloads, PDBs, NetworkPolicies) or Service's atomic selector map
    }
    if (joined.equals("spec.jobTemplate.spec.selector") // autoscaling/v2's scaleTargetRef is granular
        || joined.equals("roleRef") || joined.equals("spec.dataSource") || joined.equals("spec.dataSourceRef")) {
      return true;
    }
    if (apiVersion.equals("autoscaling/v1") && joined.equals("spec.scaleTargetRef")) {
      return true; // autoscaling/v1 CrossVersionObjectReference: map-type atomic
    }
    if (kind.equals("ValidatingAdmissionPolicy") && joined.equals("spec.matchConstraints")
        || kind.equals("ValidatingAdmissionPolicyBinding") && joined.equals("spec.matchResources")) {
      return true; // admissionregistration/v1 MatchResources: map-type atomic
    }
    if (kind.equals("Ingress") && joined.equals("spec.defaultBackend.resource")) {
      return true; // core/v1 TypedLocalObjectReference: map-type atomic
    }
    if (kind.equals("RuntimeClass") && joined.equals("scheduling.nodeSelector")) {
      return true; // node.k8s.io/v1 Scheduling.nodeSelector: map-type atomic
    }
    if (joined.equals("webhooks.[].namespaceSelector") || joined.equals("webhooks.[].objectSelector")) {
      return true; // a webhook's LabelSelectors
    }
    if (joined.endsWith("labelSelector") || joined.endsWith("namespaceSelector")) {
      return podRelative(path) != null; // affinity terms and topology spread constraints
    }
    String rel = podRelative(path);
    return rel != null && POD_ATOMIC_MAPS.contains(rel);
  }

  /**
   * {@code path} relative to the pod spec, with the container list and index collapsed to
   * {@code *} ({@code *.env}); null when not inside a pod spec.
   */
  private String podRelative(List<String> path) {
    if (podSpec == null || path.size() <= podSpec.size() || !path.subList(0, podSpec.size()).equals(podSpec)) {
      return null;
    }
    List<String> rest = new ArrayList<>(path.subList(podSpec.size(), path.size()));
    if (rest.size() >= 3 && CONTAINER_LISTS.contains(rest.get(0)) && rest.get(1).equals("[]")) {
      rest = new ArrayList<>(rest.subList(2, rest.size()));
      rest.add(0, "*");
    }
    return String.join(".", rest);
  }

  private ListInfo crdList(List<String> path) {
    JsonNode s = crdNode(path);
    if (s == null) {
      return ListInfo.ATOMIC_LIST;
    }
    switch (s.path("x-kubernetes-list-type").asText("atomic")) {
      case "set":
        return ListInfo.SET_LIST;
      case "map":
        List<String> keys = new ArrayList<>();
        s.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
        Map<String, JsonNode> defaults = new java.util.TreeMap<>();
        for (String k : keys) {
          JsonNode d = s.path("items").path("properties").path(k).get("default");
          if (d != null) {
            defaults.put(k, d);
          }
        }
        return new ListInfo(ListType.MAP, List.copyOf(keys), Map.copyOf(defaults));
      default:
        return ListInfo.ATOMIC_LIST;
    }
  }

  /**
   * True when the server prunes the field at {@code path} of a custom kind: its object's schema
   * declares properties, not this one, and does not preserve unknown fields (the apiVersion, kind
   * and metadata of a root or an embedded resource are always kept).
   */
  boolean pruned(List<String> path) {
    if (crdSchema == null) {
      return false;
    }
    JsonNode parent = path.size() == 1 ? crdSchema : crdNode(path.subList(0, path.size() - 1));
    boolean resource = path.size() == 1 || parent != null && parent.path("x-kubernetes-embedded-resource").asBoolean(false);
    if (resource && List.of("apiVersion", "kind", "metadata").contains(path.get(path.size() - 1))) {
      return false;
    }
    return parent != null && parent.path("properties").size() > 0
        && !parent.path("properties").has(path.get(path.size() - 1))
        && !parent.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
  }

  /**
   * True when the last key of {@code path} is an entry of a map in a custom kind: a key its object's
   * schema does not declare, taken by {@code additionalProperties} or free-form (no schema below,
   * {@code x-kubernetes-preserve-unknown-fields}); kube-openapi's {@code schemaconv} gives such a key
   * no field name, and {@code typed/tofieldset.go} makes every such entry a member of the applier's
   * set. The fields of a root's or an embedded resource's {@code metadata} are {@code ObjectMeta}'s
   * named fields. False for built-in kinds (their maps in this corpus hold scalars, leaves anyway).
   */
  boolean mapEntry(List<String> path) {
    JsonNode s = crdSchema;
    for (int i = 0; s != null && i < path.size(); i++) {
      String segment = path.get(i);
      if (segment.equals("metadata") && (i == 0 || s.path("x-kubernetes-embedded-resource").asBoolean(false))) {
        return path.size() > i + 2;
      }
      if (segment.equals("[]")) {
        s = s.get("items");
      } else if (s.path("properties").has(segment)) {
        s = s.path("properties").get(segment);
      } else if (i == path.size() - 1 || !(s.get("additionalProperties") instanceof ObjectNode values)) {
        return true; // undeclared: a map's key, or a key of a free-form object, below which all is free-form
      } else {
        s = values;
      }
    }
    return false;
  }

  /** The schema node at {@code path} of a custom kind, or null when the schema says nothing of it. */
  JsonNode crdNode(List<String> path) {
    if (crdSchema == null) {
      return null;
    }
    JsonNode s = crdSchema;
    for (String segment : path) {
      if (segment.equals("[]")) {
        s = s.get("items");
      } else if (s.path("properties").has(segment)) {
        s = s.path("properties").get(segment);
      } else {
        s = s.get("additionalProperties");
      }
      if (s == null || !s.isObject()) {
        return null;
      }
    }
    return s;
  }
}

package dev.gitops.benchmarks.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Adds what a Kubernetes API server adds to an applied object: server-owned metadata
 * ({@code uid}, {@code resourceVersion}, {@code generation}, {@code creationTimestamp},
 * {@code managedFields}), the ownership labels, defaulted fields and {@code status}, per kind.
 * Deterministic for a given random source. Not thread-safe (shares the random source).
 */
final class ServerFields {
  static final String OWNER = "gitops";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final SplittableRandom random;

  ServerFields(SplittableRandom random) {
    this.random = random;
  }

  /** Mutates {@code applied} (a fresh copy of what was applied) into what the server returns. */
  ObjectNode serve(ObjectNode applied, long resourceVersion) {
    String kind = applied.path("kind").asText();
    String stamp = timestamp();
    ObjectNode fields = fieldsOf(applied);
    switch (kind) {
      case "Deployment" -> deployment(applied, stamp);
      case "Service" -> service(applied);
      case "CustomResourceDefinition" -> crd(applied, stamp);
      case "Namespace" -> namespace(applied);
      default -> { }
    }
    ObjectNode meta = (ObjectNode) applied.get("metadata");
    ObjectNode labels = meta.withObjectProperty("labels");
    labels.put("app.kubernetes.io/managed-by", OWNER);
    labels.put("gitops.dev/owner", OWNER);
    meta.put("uid", uuid());
    meta.put("resourceVersion", Long.toString(resourceVersion));
    meta.put("generation", 1);
    meta.put("creationTimestamp", stamp);
    ArrayNode managed = meta.putArray("managedFields");
    managed.add(entry(OWNER, "Apply", applied, stamp, fields, null));
    if (applied.has("status")) {
      managed.add(entry("kube-controller-manager", "Update", applied, stamp,
          F.objectNode().set("f:status", fieldsOf((ObjectNode) applied.get("status"))), "status"));
    }
    return applied;
  }

  private void deployment(ObjectNode o, String stamp) {
    ObjectNode spec = o.withObjectProperty("spec");
    putIfAbsent(spec, "replicas", F.numberNode(1));
    putIfAbsent(spec, "progressDeadlineSeconds", F.numberNode(600));
    putIfAbsent(spec, "revisionHistoryLimit", F.numberNode(10));
    if (!spec.has("strategy")) {
      spec.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate")
          .put("maxSurge", "25%").put("maxUnavailable", "25%");
    }
    ObjectNode pod = spec.withObjectProperty("template").withObjectProperty("spec");
    putIfAbsent(pod, "dnsPolicy", F.textNode("ClusterFirst"));
    putIfAbsent(pod, "restartPolicy", F.textNode("Always"));
    putIfAbsent(pod, "schedulerName", F.textNode("default-scheduler"));
    putIfAbsent(pod, "securityContext", F.objectNode());
    putIfAbsent(pod, "terminationGracePeriodSeconds", F.numberNode(30));
    for (JsonNode c : pod.path("containers")) {
      ObjectNode container = (ObjectNode) c;
      putIfAbsent(container, "imagePullPolicy", F.textNode("IfNotPresent"));
      putIfAbsent(container, "resources", F.objectNode());
      putIfAbsent(container, "terminationMessagePath", F.textNode("/dev/termination-log"));
      putIfAbsent(container, "terminationMessagePolicy", F.textNode("File"));
      for (JsonNode p : container.path("ports")) {
        putIfAbsent((ObjectNode) p, "protocol", F.textNode("TCP"));
      }
    }
    o.withObjectProperty("metadata").withObjectProperty("annotations").put("deployment.kubernetes.io/revision", "1");
    int replicas = spec.path("replicas").asInt(1);
    ObjectNode status = o.putObject("status");
    status.put("observedGeneration", 1).put("replicas", replicas).put("updatedReplicas", replicas)
        .put("readyReplicas", replicas).put("availableReplicas", replicas);
    ArrayNode conditions = status.putArray("conditions");
    conditions.add(condition("Available", "MinimumReplicasAvailable",
        "Deployment has minimum availability.", stamp));
    conditions.add(condition("Progressing", "NewReplicaSetAvailable", "ReplicaSet \""
        + o.path("metadata").path("name").asText() + "-" + hex(10) + "\" has successfully progressed.", stamp));
  }

  private void service(ObjectNode o) {
    ObjectNode spec = o.withObjectProperty("spec");
    boolean headless = "None".equals(spec.path("clusterIP").asText());
    String ip = headless ? "None" : "10.96." + random.nextInt(256) + "." + random.nextInt(1, 255);
    putIfAbsent(spec, "clusterIP", F.textNode(ip));
    putIfAbsent(spec, "clusterIPs", F.arrayNode().add(spec.get("clusterIP").asText()));
    putIfAbsent(spec, "internalTrafficPolicy", F.textNode("Cluster"));
    putIfAbsent(spec, "ipFamilies", F.arrayNode().add("IPv4"));
    putIfAbsent(spec, "ipFamilyPolicy", F.textNode("SingleStack"));
    putIfAbsent(spec, "sessionAffinity", F.textNode("None"));
    putIfAbsent(spec, "type", F.textNode("ClusterIP"));
    for (JsonNode p : spec.path("ports")) {
      ObjectNode port = (ObjectNode) p;
      putIfAbsent(port, "protocol", F.textNode("TCP"));
      if (port.has("port")) {
        putIfAbsent(port, "targetPort", port.get("port"));
      }
    }
    o.putObject("status").putObject("loadBalancer");
  }

  private void crd(ObjectNode o, String stamp) {
    ObjectNode spec = o.withObjectProperty("spec");
    if (!spec.has("conversion")) {
      spec.putObject("conversion").put("strategy", "None");
    }
    ObjectNode status = o.putObject("status");
    JsonNode names = spec.path("names");
    ObjectNode accepted = status.putObject("acceptedNames");
    accepted.put("kind", names.path("kind").asText()).put("listKind", names.path("kind").asText() + "List")
        .put("plural", names.path("plural").asText()).put("singular", names.path("singular").asText());
    ArrayNode conditions = status.putArray("conditions");
    conditions.add(condition("NamesAccepted", "NoConflicts", "no conflicts found", stamp));
    conditions.add(condition("Established", "InitialNamesAccepted", "the initial names have been accepted", stamp));
    ArrayNode stored = status.putArray("storedVersions");
    for (JsonNode v : spec.path("versions")) {
      if (v.path("storage").asBoolean()) {
        stored.add(v.path("name").asText());
      }
    }
  }

  private static void namespace(ObjectNode o) {
    o.withObjectProperty("metadata").withObjectProperty("labels").put("kubernetes.io/metadata.name",
        o.path("metadata").path("name").asText());
    o.withObjectProperty("spec").putArray("finalizers").add("kubernetes");
    o.putObject("status").put("phase", "Active");
  }

  private static ObjectNode condition(String type, String reason, String message, String stamp) {
    ObjectNode c = F.objectNode();
    c.put("type", type).put("status", "True").put("lastTransitionTime", stamp)
        .put("lastUpdateTime", stamp).put("reason", reason).put("message", message);
    return c;
  }

  private static ObjectNode entry(String manager, String operation, ObjectNode o, String stamp,
                                  ObjectNode fields, String subresource) {
    ObjectNode e = F.objectNode();
    e.put("manager", manager).put("operation", operation)
        .put("apiVersion", o.path("apiVersion").asText()).put("time", stamp)
        .put("fieldsType", "FieldsV1");
    e.set("fieldsV1", fields);
    if (subresource != null) {
      e.put("subresource", subresource);
    }
    return e;
  }

  /**
   * The FieldsV1 set of an object, as the API server writes it into managedFields: {@code f:} a
   * field, a scalar or an atomic list one leaf; the elements of the keyed lists of the kinds
   * generated ({@link #KEYS}) as {@code k:} entries of their key fields, sorted, a port's
   * defaulted {@code protocol} included, each with {@code .}; a finalizer as a {@code v:} entry.
   */
  static ObjectNode fieldsOf(ObjectNode object) {
    ObjectNode out = F.objectNode();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      if (e.getKey().equals("status") && object.has("apiVersion")) {
        continue;
      }
      out.set("f:" + e.getKey(), fieldsOfValue(e.getKey(), e.getValue()));
    }
    return out;
  }

  /** The keys of the keyed lists the generated kinds have (a port list is keyed by its port and protocol). */
  private static final Map<String, List<String>> KEYS = Map.of("containers", List.of("name"),
      "initContainers", List.of("name"), "ephemeralContainers", List.of("name"), "env", List.of("name"),
      "volumes", List.of("name"), "imagePullSecrets", List.of("name"), "volumeMounts", List.of("mountPath"));

  private static JsonNode fieldsOfValue(String field, JsonNode value) {
    if (value.isObject()) {
      return fieldsOf((ObjectNode) value);
    }
    ObjectNode out = F.objectNode();
    if (!value.isArray() || value.isEmpty()) {
      return out;
    }
    List<String> keys = field.equals("ports")
        ? List.of(value.get(0).has("containerPort") ? "containerPort" : "port", "protocol") : KEYS.get(field);
    if (keys != null) {
      for (JsonNode item : value) {
        ObjectNode key = F.objectNode();
        for (String k : keys) {
          key.set(k, item.has(k) || !k.equals("protocol") ? item.path(k) : F.textNode("TCP"));
        }
        ObjectNode element = fieldsOf((ObjectNode) item);
        element.putObject(".");
        out.set("k:" + key, element);
      }
    } else if (field.equals("finalizers")) {
      value.forEach(v -> out.putObject("v:" + v));
    }
    return out;
  }

  private static void putIfAbsent(ObjectNode o, String field, JsonNode value) {
    if (!o.has(field)) {
      o.set(field, value);
    }
  }

  private String timestamp() {
    return String.format(java.util.Locale.ROOT, "2025-%02d-%02dT%02d:%02d:%02dZ", random.nextInt(1, 13), random.nextInt(1, 29),
        random.nextInt(24), random.nextInt(60), random.nextInt(60));
  }

  private String uuid() {
    return hex(8) + "-" + hex(4) + "-4" + hex(3) + "-a" + hex(3) + "-" + hex(12);
  }

  private String hex(int digits) {
    StringBuilder s = new StringBuilder(digits);
    for (int i = 0; i < digits; i++) {
      s.append(Character.forDigit(random.nextInt(16), 16));
    }
    return s.toString();
  }
}

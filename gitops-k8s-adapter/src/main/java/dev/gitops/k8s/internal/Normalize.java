package dev.gitops.k8s.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The in-place steps of {@code KubernetesNormalizer}, on a private copy. */
public final class Normalize {
  /** Metadata fields the server owns. */
  public static final List<String> SERVER_METADATA = List.of("managedFields", "resourceVersion",
      "uid", "generation", "creationTimestamp", "selfLink", "deletionTimestamp",
      "deletionGracePeriodSeconds");
  /** Annotations that tools and controllers write. */
  public static final List<String> NOISE_ANNOTATIONS = List.of(
      "kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
      "gitops.dev/applied");
  static final Set<String> QUANTITY_MAPS = Set.of("limits", "requests", "hard", "capacity",
      "allocatable", "default", "defaultRequest", "max", "min", "maxLimitRequestRatio");
  static final Set<String> INT_FIELDS = Set.of("port", "targetPort", "containerPort",
      "hostPort", "nodePort", "replicas", "maxSurge", "maxUnavailable", "minAvailable",
      "revisionHistoryLimit", "parallelism", "completions", "backoffLimit", "minReplicas",
      "maxReplicas", "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "weight", "priority",
      "runAsUser", "runAsGroup", "fsGroup", "defaultMode", "mode", "failureThreshold",
      "successThreshold");
  static final Set<String> PORT_LISTS = Set.of("ports");

  private Normalize() {}

  /** Normalises {@code node} in place. */
  public static void object(ResourceId id, ObjectNode node) {
    node.remove("status");
    JsonNode metadata = node.get("metadata");
    if (metadata instanceof ObjectNode m) {
      m.remove(SERVER_METADATA);
      if (m.get("annotations") instanceof ObjectNode a) {
        a.remove(NOISE_ANNOTATIONS);
      }
      removeEmpty(m, "annotations");
      removeEmpty(m, "labels");
    }
    if ("Secret".equals(id.kind()) && id.group().isEmpty()) {
      foldStringData(node);
    }
    walk(node, null);
  }

  private static void removeEmpty(ObjectNode m, String field) {
    JsonNode v = m.get(field);
    if (v != null && (v.isNull() || v.isObject() && v.isEmpty())) {
      m.remove(field);
    }
  }

  /** Folds a Secret's {@code stringData} into base64 {@code data} in place, as the API server does. */
  public static void foldStringData(ObjectNode node) {
    JsonNode stringData = node.get("stringData");
    if (!(stringData instanceof ObjectNode sd)) {
      return;
    }
    ObjectNode data = node.get("data") instanceof ObjectNode d ? d : node.putObject("data");
    sd.fields().forEachRemaining(e -> data.put(e.getKey(), Base64.getEncoder().encodeToString(
        e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
    node.remove("stringData");
  }

  private static void walk(JsonNode node, String field) {
    if (node instanceof ObjectNode obj) {
      List<String> nulls = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        String name = e.getKey();
        if (v.isNull()) {
          nulls.add(name);
        } else if (v.isTextual() && (INT_FIELDS.contains(name) || name.endsWith("Seconds"))
            && v.asText().matches("-?[0-9]{1,9}")) {
          e.setValue(JsonNodeFactory.instance.numberNode(Integer.parseInt(v.asText())));
        } else if (QUANTITY_MAPS.contains(name) && v instanceof ObjectNode q) {
          quantities(q);
        } else if (PORT_LISTS.contains(name) && v instanceof ArrayNode ports) {
          defaultProtocol(ports);
          walk(v, name);
        } else {
          walk(v, name);
        }
      }
      obj.remove(nulls);
    } else if (node instanceof ArrayNode arr) {
      for (JsonNode element : arr) {
        walk(element, field);
      }
    }
  }

  private static void quantities(ObjectNode q) {
    Iterator<Map.Entry<String, JsonNode>> it = q.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String text = v.isNumber() ? v.decimalValue().toPlainString() : v.isTextual() ? v.asText() : null;
      String canonical = text == null ? null : Quantities.canonical(text);
      if (canonical != null) {
        e.setValue(JsonNodeFactory.instance.textNode(canonical));
      }
    }
  }

  private static void defaultProtocol(ArrayNode ports) {
    for (JsonNode p : ports) {
      if (p instanceof ObjectNode port && !port.has("protocol")
          && (port.has("containerPort") || port.has("port"))) {
        port.put("protocol", "TCP");
      }
    }
  }
}

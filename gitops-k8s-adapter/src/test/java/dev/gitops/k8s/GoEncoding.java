package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API server's round trip through Go types does to an object of a built-in kind, for the
 * test-side stand-in: fields tagged {@code omitempty} that hold their zero value ({@code false},
 * {@code 0}, {@code ""}, an empty list or map) are gone, pointers keep their zero, structs keep
 * {@code {}}, and Quantities are written canonical. Knowledge written by hand for the fields the
 * tests use, from the Go API types (k8s.io/api); custom resources are stored as they come.
 */
final class GoEncoding {
  /** Pointer fields and fields without {@code omitempty}: a zero there is kept. */
  private static final Set<String> KEEP_ZERO = Set.of("replicas", "revisionHistoryLimit",
      "progressDeadlineSeconds", "partition", "terminationGracePeriodSeconds", "activeDeadlineSeconds",
      "automountServiceAccountToken", "enableServiceLinks", "shareProcessNamespace", "hostUsers",
      "suspend", "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "startingDeadlineSeconds",
      "backoffLimit", "completions", "parallelism", "ttlSecondsAfterFinished", "defaultMode", "mode",
      "optional", "readOnlyRootFilesystem", "runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup",
      "privileged", "allowPrivilegeEscalation", "immutable", "minReplicas", "priority", "containerPort",
      "port", "targetPort", "weight", "maxSkew", "expirationSeconds", "tolerationSeconds",
      "maxUnavailable", "maxSurge", "averageUtilization", "numberMisscheduled", "currentNumberScheduled",
      "desiredNumberScheduled", "numberReady");
  /** Go maps: an empty one is dropped, and their entries are values, never dropped. */
  private static final Set<String> MAPS = Set.of("labels", "annotations", "matchLabels", "nodeSelector",
      "data", "binaryData", "stringData", "limits", "requests", "hard", "capacity", "parameters");
  /** Lists without {@code omitempty}: kept when empty. */
  private static final Set<String> KEEP_EMPTY_LIST = Set.of("containers");
  /** Maps whose values are Quantities. */
  private static final Set<String> QUANTITY_MAPS = Set.of("limits", "requests", "hard", "capacity");
  /** Quantity-valued fields outside the quantity maps. */
  private static final Set<String> QUANTITY_FIELDS = Set.of("sizeLimit", "averageValue", "value");

  private GoEncoding() {}

  /**
   * {@code object} as the server stores it: zero values dropped where Go drops them, Quantities
   * canonical. Mutates and returns it. {@code kind} decides Service's selector (a map) and RBAC
   * {@code rules} (no {@code omitempty}, stored as protobuf: empty reads back as null).
   */
  static ObjectNode encode(String kind, ObjectNode object) {
    walk(object, List.of());
    if ((kind.equals("ClusterRole") || kind.equals("Role"))
        && (!object.has("rules") || object.get("rules").isEmpty())) {
      object.putNull("rules");
    }
    if (kind.equals("Service") && object.path("spec").get("selector") instanceof ObjectNode s && s.isEmpty()) {
      ((ObjectNode) object.get("spec")).remove("selector");
    }
    return object;
  }

  private static void walk(ObjectNode node, List<String> path) {
    List<String> drop = new ArrayList<>();
    String name = path.isEmpty() ? "" : path.get(path.size() - 1);
    boolean isMap = MAPS.contains(name) && !(name.equals("data") && path.size() > 1);
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      JsonNode v = e.getValue();
      List<String> at = FieldSets.plus(path, key);
      if (isMap) {
        if (QUANTITY_MAPS.contains(name) && v.isValueNode()) {
          String q = CanonicalQuantity.of(v.asText());
          if (q != null) {
            node.put(key, q);
          }
        }
        continue; // a map's entries are values
      }
      if (v instanceof ObjectNode o) {
        walk(o, at);
        if (o.isEmpty() && MAPS.contains(key)) {
          drop.add(key);
        }
      } else if (v instanceof ArrayNode a) {
        for (JsonNode element : a) {
          if (element instanceof ObjectNode o) {
            walk(o, FieldSets.plus(at, "[]"));
          }
        }
        if (a.isEmpty() && !KEEP_EMPTY_LIST.contains(key)) {
          drop.add(key);
        }
      } else if (v.isNull() || (zero(v) && !KEEP_ZERO.contains(key))) {
        drop.add(key);
      } else if (QUANTITY_FIELDS.contains(key) && quantityPosition(path, key)) {
        String q = CanonicalQuantity.of(v.asText());
        if (q != null) {
          node.put(key, q);
        }
      }
    }
    drop.forEach(node::remove);
  }

  /** {@code value} is a Quantity in an HPA metric target only (an env var's value is text). */
  private static boolean quantityPosition(List<String> path, String key) {
    return !key.equals("value") && !key.equals("averageValue") || path.contains("target")
        || path.contains("current");
  }

  private static boolean zero(JsonNode v) {
    return (v.isBoolean() && !v.booleanValue()) || (v.isNumber() && v.doubleValue() == 0)
        || (v.isTextual() && v.textValue().isEmpty());
  }
}

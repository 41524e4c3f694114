package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What server-side apply's prune keeps of an element of a keyed list that {@code gitops} applied and
 * Git dropped, and whether validation takes what it keeps.
 *
 * <p>structured-merge-diff's {@code merge/update.go} {@code prune} removes what the applier's last set
 * held, then adds back what any manager's set holds once named fields are made members
 * ({@code fieldpath/set.go EnsureNamedFieldsAreMembers}: a struct's field, never a list's element),
 * then adds back whatever the last set did not hold (the defaults nobody owns). So a dropped element
 * stays only while another manager owns the element itself ({@code .} in its set: a second applier
 * that named it, or the Update that created it); a manager that only changed a field in it
 * ({@code kubectl set env}, {@code kubectl set image}) keeps nothing, and it goes whole. When it
 * stays, it keeps that manager's fields and the unowned defaults and loses what {@code gitops} alone
 * owned ({@link #kept}), which may leave it without a value validation requires ({@link #lacking}):
 * a container without its image ({@code validateContainerCommon}: "image: Required value"), a volume
 * without a source or a source without its object's name ({@code validateVolumeSource}: "must
 * specify a volume type"; {@code validateConfigMapVolumeSource}, {@code validateSecretVolumeSource}),
 * a webhook without its client config, {@code sideEffects} or {@code admissionReviewVersions}
 * (admissionregistration {@code validateValidatingWebhook}), and below them the one-of groups that
 * need an alternative ({@link OneOfFields#GROUPS}) and the values their members need. The server
 * refuses every apply of such an object (422). Not public API.
 */
final class KeptElements {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Type name to the values validation requires not empty where the OpenAPI does not list them as
   * {@code required} (what it lists, a webhook's {@code clientConfig}, {@code sideEffects} and
   * {@code admissionReviewVersions}, a key selector's {@code key}, a probe action's {@code port}, a
   * claim source's {@code claimName}, comes from the schema: {@link RequiredFields#required}), from
   * kubernetes {@code pkg/apis/core/validation/validation.go}: a container's {@code image}
   * ({@code validateContainerCommon}, which validates regular, init and ephemeral containers alike:
   * "image: Required value"; the OpenAPI leaves it optional so that workload controllers may set
   * it), a configMap volume's {@code name} ({@code validateConfigMapVolumeSource}) and a secret
   * volume's {@code secretName} ({@code validateSecretVolumeSource}), both optional in the OpenAPI.
   */
  private static final Map<String, List<String>> REQUIRED = Map.of(
      "Container", List.of("image"),
      "ConfigMapVolumeSource", List.of("name"),
      "SecretVolumeSource", List.of("secretName"));

  /** Type name to its fields of a type above, beside {@link OneOfFields#CHILDREN}. */
  private static final Map<String, Map<String, String>> BELOW = Map.of(
      "Volume", Map.of("configMap", "ConfigMapVolumeSource", "secret", "SecretVolumeSource",
          "persistentVolumeClaim", "PersistentVolumeClaimVolumeSource", "hostPath", "HostPathVolumeSource",
          "csi", "CSIVolumeSource"),
      "Probe", Map.of("httpGet", "HTTPGetAction", "tcpSocket", "TCPSocketAction", "grpc", "GRPCAction"),
      "LifecycleHandler", Map.of("httpGet", "HTTPGetAction", "tcpSocket", "TCPSocketAction"),
      "EnvVarSource", Map.of("secretKeyRef", "SecretKeySelector", "configMapKeyRef", "ConfigMapKeySelector",
          "fieldRef", "ObjectFieldSelector", "resourceFieldRef", "ResourceFieldSelector"));

  private KeptElements() {}

  /**
   * The managers (sorted, joined by {@code ", "}) that keep the dropped element {@code live} of
   * {@code type} in a shape validation refuses, or null when the prune removes it whole or keeps it
   * valid.
   *
   * @param mine what {@code gitops} applied of the element (missing: never applied, nothing to drop),
   *     and its schema node
   * @param theirs the other managers' sets at the element
   */
  static String refusedBy(String type, JsonNode live, OneOfFields.Mine mine, List<OneOfFields.Owned> theirs) {
    if (mine.last().isMissingNode() || !live.isObject()) {
      return null;
    }
    List<String> keeping = theirs.stream().filter(o -> member(o.set())).map(OneOfFields.Owned::manager)
        .distinct().sorted().toList();
    if (keeping.isEmpty()
        || lacking(type, kept(live, mine.last(), theirs.stream().map(OneOfFields.Owned::set).toList(), mine.schema()),
        mine.schema()) == null) {
      return null;
    }
    return String.join(", ", keeping);
  }

  /**
   * {@code live} as the prune leaves it: a value {@code gitops} applied ({@code last}) that no other
   * set ({@code theirs}) holds goes whole (an element only when no other set holds it itself); a
   * value both hold stays, what is inside it judged alike; a value {@code gitops} never applied stays.
   * Elements are matched to {@code last}'s by the keys {@code schema} gives; a list it does not key
   * stays as it is.
   */
  static JsonNode kept(JsonNode live, JsonNode last, List<JsonNode> theirs, FieldSchema.Node schema) {
    if (last == null || last.isMissingNode() || theirs.stream().anyMatch(JsonNode::isEmpty)) {
      return live;
    }
    if (live.isObject() && last.isObject()) {
      ObjectNode out = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : live.properties()) {
        JsonNode l = last.get(e.getKey());
        List<JsonNode> t = below(theirs, "f:" + e.getKey());
        if (l == null || !t.isEmpty()) {
          out.set(e.getKey(), kept(e.getValue(), l, t, schema == null ? null : schema.field(e.getKey())));
        }
      }
      return out;
    }
    FieldSchema.ListMatch match = schema == null ? null : schema.match();
    if (live.isArray() && last.isArray() && match != null && match.kind() != FieldSchema.ListMatch.Kind.ATOMIC) {
      ArrayNode out = NODES.arrayNode();
      for (JsonNode element : live) {
        int i = ThreeWayPatch.indexOf(last, element, match);
        List<JsonNode> t = entries(theirs, element);
        if (i < 0 || t.stream().anyMatch(KeptElements::member)) {
          out.add(kept(element, i < 0 ? null : last.get(i), t, schema.element(element)));
        }
      }
      return out;
    }
    return live;
  }

  /**
   * Marks in {@code marks} (at a Service's spec {@code actual}) the ports Git dropped ({@code desired}
   * the spec in Git) that another manager keeps without a name while the Service keeps more than one
   * port: whole, named by their key fields ({@code ports: [{"=": {port: 9090, protocol: TCP}, ".":
   * "hotfix"}]}, {@link RequiredFields#KEY}). Validation requires every port of a Service with
   * several to be named ({@code validateServicePort}, {@code requireName}); a port is keyed by
   * {@code port} and {@code protocol}, so the prune keeps it for a manager that applied it
   * ({@code appProtocol}, say) without {@code gitops}'s name, or without any when it never had one (a
   * lone port needs none: Git then adds a second), and the Service is refused on every run.
   *
   * @param owned the other managers' sets at {@code ports}
   * @param mine what {@code gitops} applied of {@code ports}, and its schema node (the list's keys)
   */
  static void servicePorts(JsonNode actual, JsonNode desired, List<OneOfFields.Owned> owned, OneOfFields.Mine mine,
                           ObjectNode marks) {
    FieldSchema.ListMatch match = mine.schema() == null ? null : mine.schema().match();
    if (match == null || match.kind() != FieldSchema.ListMatch.Kind.KEYED || !desired.isObject()) {
      return;
    }
    int staying = desired.path("ports").size();
    ArrayNode kept = NODES.arrayNode();
    for (JsonNode port : actual.path("ports")) {
      if (ThreeWayPatch.indexOf(desired.path("ports"), port, match) >= 0) {
        continue;
      }
      int applied = ThreeWayPatch.indexOf(mine.last(), port, match);
      List<OneOfFields.Owned> theirs = OneOfFields.others(owned).stream().map(o -> new OneOfFields.Owned(o.manager(),
          entry(o.set(), port, match))).filter(o -> o.set() != null).toList();
      List<String> keeping = theirs.stream().filter(o -> member(o.set())).map(OneOfFields.Owned::manager)
          .distinct().sorted().toList();
      if (applied < 0 || !keeping.isEmpty()) {
        staying++;
      }
      if (applied >= 0 && !keeping.isEmpty() && empty(kept(port, mine.last().get(applied),
          theirs.stream().map(OneOfFields.Owned::set).toList(), mine.schema().element(port)).get("name"))) {
        kept.add(RequiredFields.named(NODES.objectNode().put(".", String.join(", ", keeping)), port, match));
      }
    }
    if (staying > 1 && !kept.isEmpty()) {
      marks.set("ports", kept);
    }
  }

  /** The entry of {@code set} for the element {@code element} of a list matched by {@code match}; null when none. */
  private static JsonNode entry(JsonNode set, JsonNode element, FieldSchema.ListMatch match) {
    for (Map.Entry<String, JsonNode> e : set.properties()) {
      JsonNode key = ManagedFields.key(e.getKey());
      if (key != null && OwnedNode.sameKey(key, element, match)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * The first value {@code value} of {@code type} lacks that validation requires, as a path from it
   * ({@code image}, {@code readinessProbe: one of [exec, httpGet, tcpSocket, grpc]},
   * {@code configMap.name}); null when it has them all. What is required is {@link #REQUIRED}'s and
   * what the schema node {@code schema} of the value lists (null: {@link #REQUIRED}'s alone).
   */
  static String lacking(String type, JsonNode value, FieldSchema.Node schema) {
    if (!value.isObject()) {
      return null;
    }
    java.util.Set<String> required = new java.util.LinkedHashSet<>(REQUIRED.getOrDefault(type, List.of()));
    required.addAll(RequiredFields.required(schema));
    for (String f : required) {
      if (empty(value.get(f))) {
        return f;
      }
    }
    List<String> group = OneOfFields.GROUPS.get(type);
    if (group != null && OneOfFields.requiresOne(type) && group.stream().allMatch(m -> empty(value.get(m)))) {
      return "one of " + group;
    }
    Map<String, String> children = new TreeMap<>(OneOfFields.CHILDREN.getOrDefault(type, Map.of()));
    children.putAll(BELOW.getOrDefault(type, Map.of()));
    for (Map.Entry<String, String> c : children.entrySet()) {
      JsonNode v = value.path(c.getKey());
      boolean list = c.getValue().endsWith("[]");
      String t = list ? c.getValue().substring(0, c.getValue().length() - 2) : c.getValue();
      FieldSchema.Node child = schema == null ? null : schema.field(c.getKey());
      for (JsonNode e : list ? v : List.of(v)) {
        String missing = lacking(t, e, child == null || !list ? child : child.element(e));
        if (missing != null) {
          return c.getKey() + (list ? "[name=" + e.path("name").asText() + "]" : "")
              + (missing.startsWith("one of") ? ": " : ".") + missing;
        }
      }
    }
    return null;
  }

  private static boolean empty(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode() || v.isTextual() && v.asText().isEmpty()
        || v.isContainerNode() && v.isEmpty();
  }

  /** True when {@code set} holds the value it is at as a member ({@code .}, or {@code {}} with nothing below). */
  private static boolean member(JsonNode set) {
    return set.isEmpty() || set.has(".");
  }

  private static List<JsonNode> below(List<JsonNode> sets, String f) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode s : sets) {
      if (s.get(f) != null) {
        out.add(s.get(f));
      }
    }
    return out;
  }

  /** The entries of {@code sets} for {@code element}: by its key fields ({@code k:}), or by value ({@code v:}). */
  private static List<JsonNode> entries(List<JsonNode> sets, JsonNode element) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode s : sets) {
      for (Map.Entry<String, JsonNode> e : s.properties()) {
        if (e.getKey().startsWith("v:") ? e.getKey().equals("v:" + element) : keyed(e.getKey(), element)) {
          out.add(e.getValue());
        }
      }
    }
    return out;
  }

  /** True when the {@code k:} entry name {@code entry} names {@code element}: each key field alike, numbers by value. */
  private static boolean keyed(String entry, JsonNode element) {
    JsonNode key = ManagedFields.key(entry);
    if (key == null || !key.isObject() || !element.isObject()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> k : key.properties()) {
      JsonNode have = element.get(k.getKey());
      if (have == null || !(have.equals(k.getValue()) || have.isNumber() && k.getValue().isNumber()
          && have.decimalValue().compareTo(k.getValue().decimalValue()) == 0)) {
        return false;
      }
    }
    return true;
  }
}

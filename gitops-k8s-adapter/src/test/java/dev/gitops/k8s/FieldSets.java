package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tests' own encoder of structured-merge-diff field sets ({@code fieldsV1}), the oracle for
 * what a field manager owns: written from the format's description (kubernetes-sigs/structured-merge-diff,
 * {@code fieldpath} and {@code typed/tofieldset.go}), sharing no code with the adapter's decoder.
 *
 * <p>A field set is a set of paths; a path is a list of segments {@code f:<field>},
 * {@code k:<key fields as JSON, sorted by name>} (an element of a keyed list) or {@code v:<json>}
 * (an element of a set). In {@code fieldsV1} a path that is a member and has children carries
 * {@code ".": {}}.
 */
final class FieldSets {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Fields the server never records as owned. */
  private static final Set<String> STRIPPED_METADATA = Set.of("name", "namespace", "uid", "resourceVersion",
      "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp",
      "deletionGracePeriodSeconds");

  private FieldSets() {}

  /**
   * The paths a manager owns after applying {@code applied}: every scalar, atomic list or map, keyed
   * element, set element, map entry.
   */
  static Set<List<String>> of(JsonNode applied, ApiSchema schema) {
    Set<List<String>> out = new TreeSet<>(FieldSets::compare);
    applied.properties().forEach(e -> {
      String k = e.getKey();
      if (k.equals("apiVersion") || k.equals("kind") || k.equals("status")) {
        return;
      }
      if (k.equals("metadata")) {
        e.getValue().properties().forEach(m -> {
          if (!STRIPPED_METADATA.contains(m.getKey())) {
            walk(m.getValue(), List.of("metadata", m.getKey()), List.of("f:metadata", "f:" + m.getKey()), schema, out);
          }
        });
        return;
      }
      walk(e.getValue(), List.of(k), List.of("f:" + k), schema, out);
    });
    return out;
  }

  private static void walk(JsonNode v, List<String> at, List<String> path, ApiSchema schema,
                           Set<List<String>> out) {
    if (v.isObject()) {
      if (schema.atomicMap(at)) {
        out.add(path);
        return;
      }
      v.properties().forEach(e -> {
        if (!schema.pruned(plus(at, e.getKey()))) { // the server drops it before owning anything
          walk(e.getValue(), plus(at, e.getKey()), plus(path, "f:" + e.getKey()), schema, out);
          if (schema.mapEntry(plus(at, e.getKey()))) { // a map's entry is a member, whatever it holds
            out.add(plus(path, "f:" + e.getKey()));
          }
        }
      });
    } else if (v.isArray()) {
      ApiSchema.ListInfo info = schema.list(at);
      if (info.type() == ApiSchema.ListType.ATOMIC) {
        out.add(path);
        return;
      }
      for (JsonNode e : v) {
        List<String> element = plus(path, segment(e, info));
        if (info.type() == ApiSchema.ListType.MAP) {
          walk(e, plus(at, "[]"), element, schema, out);
        }
        out.add(element);
      }
    } else {
      out.add(path);
    }
  }

  /**
   * The first keyed list or set of {@code applied} holding two elements of one key, as the API
   * server names it ({@code .spec.ports: duplicate entries for key [...]}), or null: a server-side
   * apply of such an object fails ("failed to create typed patch object").
   */
  static String duplicateKey(JsonNode applied, ApiSchema schema) {
    for (Map.Entry<String, JsonNode> e : applied.properties()) {
      if (!e.getKey().equals("metadata") && !e.getKey().equals("status")) {
        String found = duplicateKey(e.getValue(), List.of(e.getKey()), "." + e.getKey(), schema);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String duplicateKey(JsonNode v, List<String> at, String shown, ApiSchema schema) {
    if (v.isObject() && !schema.atomicMap(at)) {
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        String found = duplicateKey(e.getValue(), plus(at, e.getKey()), shown + "." + e.getKey(), schema);
        if (found != null) {
          return found;
        }
      }
    } else if (v.isArray()) {
      ApiSchema.ListInfo info = schema.list(at);
      if (info.type() == ApiSchema.ListType.ATOMIC) {
        return null;
      }
      Set<String> seen = new java.util.HashSet<>();
      for (JsonNode e : v) {
        String segment = segment(e, info);
        if (!seen.add(segment)) {
          return shown + ": duplicate entries for key " + segment;
        }
        String found = info.type() == ApiSchema.ListType.MAP
            ? duplicateKey(e, plus(at, "[]"), shown + "[" + segment + "]", schema) : null;
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** The segment naming {@code element} of a keyed list or set. */
  static String segment(JsonNode element, ApiSchema.ListInfo info) {
    if (info.type() == ApiSchema.ListType.SET) {
      return "v:" + write(element);
    }
    Map<String, JsonNode> key = new TreeMap<>();
    for (String k : info.keys()) {
      JsonNode value = element.get(k);
      if (value == null) {
        value = info.defaults().get(k);
      }
      if (value != null) {
        key.put(k, value);
      }
    }
    ObjectNode json = NODES.objectNode();
    key.forEach(json::set);
    return "k:" + write(json);
  }

  /** The paths of a {@code fieldsV1} tree. */
  static Set<List<String>> paths(JsonNode fieldsV1) {
    Set<List<String>> out = new TreeSet<>(FieldSets::compare);
    collect(fieldsV1, List.of(), out);
    return out;
  }

  private static void collect(JsonNode node, List<String> path, Set<List<String>> out) {
    node.properties().forEach(e -> {
      if (e.getKey().equals(".")) {
        out.add(path);
      } else if (e.getValue().isEmpty()) {
        out.add(plus(path, e.getKey()));
      } else {
        collect(e.getValue(), plus(path, e.getKey()), out);
      }
    });
  }

  /** The {@code fieldsV1} tree of a set of paths. */
  static ObjectNode toFieldsV1(Set<List<String>> paths) {
    ObjectNode root = NODES.objectNode();
    for (List<String> p : paths) {
      ObjectNode at = root;
      for (String segment : p) {
        JsonNode child = at.get(segment);
        at = child instanceof ObjectNode o ? o : at.putObject(segment);
      }
    }
    for (List<String> p : paths) { // a member with children says so with "."
      ObjectNode at = root;
      for (String segment : p) {
        at = (ObjectNode) at.get(segment);
      }
      if (!at.isEmpty() && !at.has(".")) {
        ObjectNode withDot = NODES.objectNode();
        withDot.putObject(".");
        withDot.setAll(at);
        at.removeAll();
        at.setAll(withDot);
      }
    }
    return root;
  }

  /**
   * The field-set path of an RFC 6901 pointer into {@code object}: list indices become the keys
   * of the elements they point at; a pointer into an atomic list stops at the list. Null when the
   * pointer does not resolve.
   */
  static List<String> pathOf(String pointer, JsonNode object, ApiSchema schema) {
    List<String> out = new ArrayList<>();
    List<String> at = new ArrayList<>();
    JsonNode node = object;
    for (String raw : pointer.substring(1).split("/", -1)) {
      String token = raw.replace("~1", "/").replace("~0", "~");
      if (node != null && node.isArray()) {
        ApiSchema.ListInfo info = schema.list(at);
        if (info.type() == ApiSchema.ListType.ATOMIC) {
          return out;
        }
        if (token.equals("-")) {
          return out;
        }
        node = node.get(Integer.parseInt(token));
        if (node == null) {
          return null;
        }
        out.add(segment(node, info));
        at.add("[]");
      } else {
        if (node != null && schema.atomicMap(at)) {
          return out;
        }
        out.add("f:" + token);
        at.add(token);
        node = node == null ? null : node.get(token);
      }
    }
    return out;
  }

  /** {@code list} and then {@code s}, as a new immutable list. */
  static List<String> plus(List<String> list, String s) {
    List<String> out = new ArrayList<>(list.size() + 1);
    out.addAll(list);
    out.add(s);
    return List.copyOf(out);
  }

  /** {@code n} as compact JSON. */
  static String write(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists that server-side apply merges by key ({@code x-kubernetes-list-type: map}: a container's
 * {@code env} by {@code name}, its {@code ports} by {@code containerPort} and {@code protocol}, a
 * Pod's {@code containers} by {@code name}, ...) or as a set of values: an applied object that
 * holds two elements with one key is refused by the API server ("duplicate entries for key
 * [containerPort=8080,protocol="TCP"]", kubernetes/kubernetes#113482), though a create or a
 * client-side apply takes it. Charts and overlays make such lists often enough (a port listed once
 * per name, an env var set twice), and the server refuses it at the write of its wave, after the
 * earlier waves were written. So, for a target that applies server-side, such an object is a
 * problem of the desired state, found before anything is read, naming the list, both elements and
 * their key as the server prints it. A custom resource's server refuses such a list under any write
 * (its strategy's {@code ValidateListSetsAndMaps}, on create and on update), so under JSON Patch its
 * custom resources are judged too. A key field left out counts as its default (a port's
 * {@code protocol} as {@code TCP}), as the server counts it, and so does one written null (a chart's
 * unset {@code protocol:}): the server stores the default in its place, the loader drops a built-in
 * field's null, and the writer leaves out a null key field that has a default ({@link NullKeyFields}).
 * Lists the schema does not know as keyed or a set (a custom resource whose CRD this target has not
 * met yet) are not judged. Thread-safe.
 */
final class DuplicateKeys {
  private DuplicateKeys() {
  }

  /** The objects of {@code desired} holding a keyed list or set with two elements of one key, under {@code schema}. */
  static List<Problem> problems(DesiredState desired, FieldSchema schema) {
    return problems(desired, schema, true);
  }

  /**
   * As {@link #problems(DesiredState, FieldSchema)} for a target applying server-side; else only
   * custom resources, whose server refuses such a list under any write.
   */
  static List<Problem> problems(DesiredState desired, FieldSchema schema, boolean serverSide) {
    List<Problem> problems = new ArrayList<>();
    for (Resource r : desired.resources()) {
      boolean custom = !BuiltinKinds.isBuiltinGroup(r.id().group());
      if (r.content() instanceof Content.Tree tree && (serverSide || custom)) {
        FieldSchema.Node root = schema.root(r.id(), null, tree.node(), null);
        if (root != null) {
          List<String> found = new ArrayList<>();
          walk(root, tree.node(), null, found, custom ? CUSTOM : SERVER_SIDE);
          found.forEach(m -> problems.add(Problem.at(r.origin(), r.id(), m)));
        }
      }
    }
    return problems;
  }

  /**
   * The keys a custom resource's {@code tree} holds twice in a keyed list or set, under its kind's
   * {@code root}: the API server refuses them under any write.
   */
  static List<String> ofCustom(FieldSchema.Node root, JsonNode tree) {
    List<String> found = new ArrayList<>();
    walk(root, tree, null, found, CUSTOM);
    return found;
  }

  private static final String SERVER_SIDE = "the API server refuses a server-side apply of a list with duplicate"
      + " entries for a key; remove one of them or merge them (or write with ApplyStrategy.JSON_PATCH, as kubectl"
      + " apply does, which the server takes)";
  private static final String CUSTOM = "the API server refuses a custom resource whose keyed list or set holds a"
      + " key twice, under any write; remove one of them or merge them";

  private static void walk(FieldSchema.Node node, JsonNode value, FieldAt at, List<String> found, String why) {
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        FieldSchema.Node child = node.field(field.getKey());
        if (child != null) {
          walk(child, field.getValue(), FieldAt.field(at, field.getKey()), found, why);
        }
      }
    } else if (value.isArray()) {
      FieldSchema.ListMatch match = node.match();
      if (match != null && match.kind() != FieldSchema.ListMatch.Kind.ATOMIC) {
        duplicates(match, value, at, found, why);
      }
      for (int i = 0; i < value.size(); i++) {
        FieldSchema.Node element = node.element(value.get(i));
        if (element != null) {
          walk(element, value.get(i), FieldAt.element(at, i), found, why);
        }
      }
    }
  }

  /** Adds a problem for each element of {@code list} whose key an earlier element has. */
  private static void duplicates(FieldSchema.ListMatch match, JsonNode list, FieldAt at, List<String> found,
                                 String why) {
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String key = key(match, list.get(i));
      if (key == null) {
        continue; // not an element the key can be read from: the server's schema check says so
      }
      Integer earlier = first.putIfAbsent(key, i);
      if (earlier != null) {
        String path = at.dotted();
        found.add(path + "[" + earlier + "] and " + path + "[" + i + "] share the key [" + key + "]: " + why);
      }
    }
  }

  /**
   * The key of one element as the server prints it ({@code containerPort=8080,protocol="TCP"}; a
   * set's element as its JSON value), or null when it has none.
   */
  private static String key(FieldSchema.ListMatch match, JsonNode element) {
    if (match.kind() == FieldSchema.ListMatch.Kind.SET) {
      return element.isValueNode() ? element.toString() : null;
    }
    if (!element.isObject()) {
      return null;
    }
    StringBuilder key = new StringBuilder();
    for (int k = 0; k < match.keys().size(); k++) {
      JsonNode v = element.get(match.keys().get(k));
      if (v == null || v.isNull()) {
        v = match.defaults().get(k);
      }
      if (v != null && !v.isNull()) {
        key.append(key.length() == 0 ? "" : ",").append(match.keys().get(k)).append('=').append(v);
      }
    }
    return key.length() == 0 ? null : key.toString();
  }
}

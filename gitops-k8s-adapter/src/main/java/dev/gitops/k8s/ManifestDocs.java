package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks parsed documents for the fields every resource needs and expands list documents. */
final class ManifestDocs {
  private ManifestDocs() {}

  /**
   * A document (or list item) that has apiVersion, kind and name.
   *
   * @param file snapshot path
   * @param line 1-based line
   * @param apiVersion as written
   * @param kind as written
   * @param name {@code metadata.name}
   * @param node the whole object, owned by the entry
   * @param docLine 1-based line where its document starts
   * @param at its JSON pointer in the document: {@code ""}, or {@code /items/<i>} for a list's item
   */
  public record Entry(String file, int line, String apiVersion, String kind, String name,
                      ObjectNode node, int docLine, String at) {}

  /** Adds the entries of one document to {@code out}, problems to {@code problems}. */
  public static void expand(String file, YamlDocuments.Doc doc, List<Entry> out, List<Problem> problems) {
    ObjectNode node = doc.node();
    String kind = text(node, "kind");
    String apiVersion = text(node, "apiVersion");
    if (kind != null && kind.endsWith("List") && node.path("items").isArray()) {
      JsonNode items = node.get("items");
      for (int i = 0; i < items.size(); i++) {
        int line = i < doc.itemLines().size() ? doc.itemLines().get(i) : doc.line();
        if (items.get(i) instanceof ObjectNode item) {
          check(file, line, item, out, problems, doc.line(), "/items/" + i);
        } else {
          problems.add(new Problem(file, line, null, kind + " item " + i + " is not a mapping"));
        }
      }
      return;
    }
    if (kind != null && kind.endsWith("List") && node.path("items").isNull() && node.has("items")
        && text(node.path("metadata"), "name") == null) {
      return; // items: null (a template rendering none) is an empty list, as kubectl decodes it
    }
    if (apiVersion != null && kind != null && isClientSide(apiVersion, kind)) {
      out.add(new Entry(file, doc.line(), apiVersion, kind, "-", node, doc.line(), ""));
      return;
    }
    check(file, doc.line(), node, out, problems, doc.line(), "");
  }

  /**
   * True for documents that configure client-side tools rather than the cluster: anything of
   * group {@code kustomize.config.k8s.io}, {@code apiVersion: builtin} (kustomize transformers) and
   * kapp's {@code kapp.k14s.io} {@code Config}.
   */
  public static boolean isClientSide(String apiVersion, String kind) {
    String group = KindInfo.groupOf(apiVersion);
    return "kustomize.config.k8s.io".equals(group) || "builtin".equals(apiVersion)
        || "kapp.k14s.io".equals(group) && "Config".equals(kind);
  }

  private static void check(String file, int line, ObjectNode node, List<Entry> out,
                            List<Problem> problems, int docLine, String at) {
    String apiVersion = text(node, "apiVersion");
    String kind = text(node, "kind");
    String name = text(node.path("metadata"), "name");
    boolean ok = true;
    if (apiVersion == null) {
      problems.add(new Problem(file, line, null, "missing apiVersion"));
      ok = false;
    }
    if (kind == null) {
      problems.add(new Problem(file, line, null, "missing kind"));
      ok = false;
    }
    if (ok && isClientSide(apiVersion, kind)) {
      out.add(new Entry(file, line, apiVersion, kind, "-", node, docLine, at));
      return;
    }
    if (!node.path("metadata").isObject() && node.has("metadata")) {
      problems.add(new Problem(file, line, null, "metadata must be a mapping"));
      ok = false;
    } else if (name == null) {
      problems.add(new Problem(file, line, null, "missing metadata.name"
          + (kind == null ? "" : " in " + Names.printable(kind))));
      ok = false;
    }
    if (ok) {
      out.add(new Entry(file, line, apiVersion, kind, name, node, docLine, at));
    }
  }

  /** {@code group/kind} to namespaced, for every CustomResourceDefinition among the entries. */
  public static Map<String, Boolean> crdScopes(List<Entry> entries) {
    Map<String, Boolean> scopes = new HashMap<>();
    for (Entry e : entries) {
      if ("CustomResourceDefinition".equals(e.kind())
          && "apiextensions.k8s.io".equals(KindInfo.groupOf(e.apiVersion()))) {
        JsonNode spec = e.node().path("spec");
        String group = spec.path("group").asText("");
        String kind = spec.path("names").path("kind").asText("");
        if (!group.isEmpty() && !kind.isEmpty()) {
          scopes.put(KindInfo.key(group, kind), !"Cluster".equals(spec.path("scope").asText("")));
        }
      }
    }
    return scopes;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isValueNode() || v.isNull()) {
      return null;
    }
    String s = v.asText();
    return s.isBlank() ? null : s;
  }
}

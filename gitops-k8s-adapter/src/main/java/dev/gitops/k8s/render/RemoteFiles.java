package dev.gitops.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.Problem;
import dev.gitops.model.ResourceId;
import dev.gitops.source.YamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.regex.Pattern;

/**
 * The URLs Kustomize would fetch where a kustomization names a file rather than a base. Kustomize
 * loads every such file through one loader, which fetches an {@code http} or {@code https} URL
 * whatever the load restrictor says ({@code FileLoader.Load} and {@code IsRemoteFile} in
 * kustomize's {@code api/internal/loader/fileloader.go}; checked with Kustomize v5.5.0 in
 * {@code kubectl}: a patch's {@code path}, a generator's {@code files}, {@code openapi.path},
 * {@code configurations} and a {@code PatchTransformer}'s {@code path} are all fetched). What such a
 * URL holds is not in the reconciled revision, and from inside a cluster it reaches services no
 * repository author should read: each is a problem at its line unless remote content is allowed.
 *
 * <p>No list of file fields is complete: Kustomize reads a kustomization with Go's
 * {@code encoding/json} (through sigs.k8s.io/yaml), which matches field names regardless of case, so
 * {@code PATCHES:}, {@code Path:} and {@code Files:} are the fields it knows and fetch as they do
 * ({@code KustomizeUnlistedFieldsIT}). So every text value that is a URL, or {@code key=} and a URL,
 * is a problem wherever it stands, but under the fields that hold values, never files (literals,
 * labels, annotations, Helm's inline values, a document's {@code metadata}), named in any case.
 */
final class RemoteFiles {
  /** A URL scheme as Go's {@code url.Parse} reads one (case-insensitive), and the only two Kustomize fetches. */
  private static final Pattern REMOTE = Pattern.compile("(?i)^\\s*https?:.*", Pattern.DOTALL);

  /** Fields that hold values, never files: literals, annotations, labels, inline Helm values. */
  private static final List<String> VALUES = List.of("literals", "annotations", "labels", "commonAnnotations",
      "commonLabels", "valuesInline");

  private RemoteFiles() {}

  /**
   * Every URL among the values of the kustomization {@code data} at {@code file}, but in the fields
   * that name bases and resources ({@link Kustomizations#walk} refuses each entry that is not a file
   * or folder of the snapshot, a URL among them).
   */
  static void inKustomization(String file, byte[] data, List<Problem> problems) {
    for (YamlReader.Document doc : YamlReader.text().read(file, data, new ArrayList<>())) {
      for (Map.Entry<String, JsonNode> f : doc.tree().properties()) {
        if (!Kustomizations.isReferenceField(f.getKey())) {
          String key = f.getKey();
          every(f.getValue(), "/" + key.replace("~", "~0").replace("/", "~1"),
              key.equalsIgnoreCase("metadata") || isValueField(key), (pointer, value) ->
              check(file, "", doc, pointer, value, l -> l, problems));
        }
      }
    }
  }

  /**
   * Every URL among the values of the kustomization or plug-in configuration {@code data} at
   * {@code file} (a plug-in configuration is a file that a kustomization lists under
   * {@code generators}, {@code transformers} or {@code validators}: a built-in plug-in loads its
   * {@code path}, {@code files} and {@code envs} as the kustomization's own fields do).
   */
  static void inPluginConfig(String file, byte[] data, List<Problem> problems) {
    for (YamlReader.Document doc : YamlReader.text().read(file, data, new ArrayList<>())) {
      every(doc.tree(), "", false, (pointer, value) -> check(file, "", doc, pointer, value, l -> l, problems));
    }
  }

  /**
   * As {@link #inPluginConfig} for a plug-in configuration written in place in the kustomization at
   * {@code file} ({@link InlinePlugins}): each problem names the field as {@code prefix} and its path,
   * at the kustomization's line that {@code line} maps the document's line to.
   */
  static void inInlineConfig(String file, String prefix, YamlReader.Document doc, IntUnaryOperator line,
                             List<Problem> problems) {
    every(doc.tree(), "", false, (pointer, value) -> check(file, prefix, doc, pointer, value, line, problems));
  }

  private static void check(String file, String prefix, YamlReader.Document doc, String pointer, String value,
                            IntUnaryOperator line, List<Problem> problems) {
    int eq = value.indexOf('=');
    if (REMOTE.matcher(value).matches() || eq >= 0 && REMOTE.matcher(value.substring(eq + 1)).matches()) {
      String field = prefix + pointer.substring(1).replaceAll("/(\\d+)", "[$1]").replace('/', '.');
      problems.add(new Problem(file, line.applyAsInt(doc.lineOf(pointer)), null, field + " '" + ResourceId.escape(value)
          + "' is a URL, which Kustomize would fetch: remote files are refused (KustomizeLoader.allowingRemote()"
          + " allows them)"));
    }
  }

  private static void every(JsonNode node, String pointer, boolean skip, Found found) {
    if (skip) {
      return;
    }
    if (node.isTextual()) {
      found.at(pointer, node.asText());
    } else if (node.isArray()) {
      for (int n = 0; n < node.size(); n++) {
        every(node.get(n), pointer + "/" + n, false, found);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        String key = f.getKey();
        boolean value = pointer.isEmpty() && key.equalsIgnoreCase("metadata") || isValueField(key);
        every(f.getValue(), pointer + "/" + key.replace("~", "~0").replace("/", "~1"), value, found);
      }
    }
  }

  /** True when {@code key} names a field of values, as Go's JSON decoding matches a name (any case). */
  private static boolean isValueField(String key) {
    for (String v : VALUES) {
      if (v.equalsIgnoreCase(key)) {
        return true;
      }
    }
    return false;
  }

  /** A text value and its JSON pointer. */
  private interface Found {
    void at(String pointer, String value);
  }
}

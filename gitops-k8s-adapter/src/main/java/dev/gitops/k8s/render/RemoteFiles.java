package dev.gitops.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.Problem;
import dev.gitops.model.ResourceId;
import dev.gitops.source.YamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 */
final class RemoteFiles {
  /** A URL scheme as Go's {@code url.Parse} reads one (case-insensitive), and the only two Kustomize fetches. */
  private static final Pattern REMOTE = Pattern.compile("(?i)^\\s*https?:.*", Pattern.DOTALL);
  /** Pointers (with {@code *} for every list entry) of kustomization fields that name files. */
  private static final List<String> FIELDS = List.of("/configurations/*", "/openapi/path", "/patches/*/path",
      "/patchesJson6902/*/path", "/patchesStrategicMerge/*", "/replacements/*/path",
      "/configMapGenerator/*/files/*", "/configMapGenerator/*/envs/*", "/configMapGenerator/*/env",
      "/secretGenerator/*/files/*", "/secretGenerator/*/envs/*", "/secretGenerator/*/env");

  /** Fields of a plug-in configuration that hold values, never files: literals, annotations, labels. */
  private static final Set<String> VALUES = Set.of("literals", "annotations", "labels");

  private RemoteFiles() {}

  /** Every URL among the file fields of the kustomization {@code data} at {@code file}. */
  static void inKustomization(String file, byte[] data, List<Problem> problems) {
    for (YamlReader.Document doc : YamlReader.text().read(file, data, new ArrayList<>())) {
      for (String field : FIELDS) {
        at(doc.tree(), "", field.substring(1).split("/"), 0, (pointer, value) ->
            check(file, doc, pointer, value, field.contains("/files/"), problems));
      }
    }
  }

  /**
   * Every URL among the values of the plug-in configuration {@code data} at {@code file} (a file
   * that a kustomization lists under {@code generators}, {@code transformers} or
   * {@code validators}): a built-in plug-in loads its {@code path}, {@code files} and {@code envs} as
   * the kustomization's own fields do. Its {@code metadata}, generator {@code literals} and
   * transformer {@code annotations} and {@code labels} are values, not files.
   */
  static void inPluginConfig(String file, byte[] data, List<Problem> problems) {
    for (YamlReader.Document doc : YamlReader.text().read(file, data, new ArrayList<>())) {
      every(doc.tree(), "", false, (pointer, value) -> check(file, doc, pointer, value,
          pointer.matches(".*/files/\\d+"), problems));
    }
  }

  private static void check(String file, YamlReader.Document doc, String pointer, String value, boolean keyed,
                            List<Problem> problems) {
    String path = keyed && value.indexOf('=') >= 0 ? value.substring(value.indexOf('=') + 1) : value;
    if (REMOTE.matcher(path).matches()) {
      String field = pointer.substring(1).replaceAll("/(\\d+)", "[$1]").replace('/', '.');
      problems.add(new Problem(file, doc.lineOf(pointer), null, field + " '" + ResourceId.escape(value)
          + "' is a URL, which Kustomize would fetch: remote files are refused (KustomizeLoader.allowingRemote()"
          + " allows them)"));
    }
  }

  /** Calls {@code found} with every text value at {@code parts[i..]} below {@code node} ({@code *}: every entry). */
  private static void at(JsonNode node, String pointer, String[] parts, int i, Found found) {
    if (i == parts.length) {
      if (node.isTextual()) {
        found.at(pointer, node.asText());
      }
      return;
    }
    if (parts[i].equals("*")) {
      for (int n = 0; node.isArray() && n < node.size(); n++) {
        at(node.get(n), pointer + "/" + n, parts, i + 1, found);
      }
    } else if (node.isObject() && node.has(parts[i])) {
      at(node.get(parts[i]), pointer + "/" + parts[i], parts, i + 1, found);
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
        String key = f.getKey().toLowerCase(Locale.ROOT);
        boolean value = pointer.isEmpty() && key.equals("metadata") || VALUES.contains(key);
        every(f.getValue(), pointer + "/" + f.getKey().replace("~", "~0").replace("/", "~1"), value, found);
      }
    }
  }

  /** A text value and its JSON pointer. */
  private interface Found {
    void at(String pointer, String value);
  }
}

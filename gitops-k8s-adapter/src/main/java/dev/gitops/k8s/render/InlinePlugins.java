package dev.gitops.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.Problem;
import dev.gitops.model.ResourceId;
import dev.gitops.source.YamlReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Plug-in configurations written in place: an entry of a kustomization's {@code generators},
 * {@code transformers} or {@code validators} that is the text of one or more resources rather than a
 * path. Kustomize reads an entry as inline when it parses as resources, each with a {@code kind} and,
 * unless a {@code *List}, a {@code metadata.name}, and as a path otherwise
 * ({@code configureExternalGenerators} and {@code configureExternalTransformers} in kustomize's
 * {@code api/internal/target/kusttarget.go}, through {@code NewResMapFromBytes} and
 * {@code RNode.GetValidatedMetadata}). An entry read here as inline is checked as a plug-in
 * configuration file is: every URL among its values is a problem (a built-in plug-in loads its
 * {@code path}, {@code files} and {@code envs} through the same loader that fetches them), and so is
 * a configuration that is no built-in plug-in ({@code apiVersion: builtin}): an exec or container
 * (KRM function) plug-in, which Kustomize without plug-ins refuses too, is refused at its line before
 * Kustomize runs. Text read here as no resource is left to be judged as a path, as Kustomize does.
 */
final class InlinePlugins {
  private InlinePlugins() {}

  /**
   * Checks {@code entry}, the {@code index}th of the plug-in field {@code field} of the kustomization
   * at {@code file}, whose text starts at {@code entryLine}.
   *
   * @return true when Kustomize reads the entry as an inline configuration (its problems added to
   *     {@code problems}); false when it reads it as a path
   */
  static boolean check(String file, byte[] kustomization, int entryLine, String field, int index, String entry,
                       List<Problem> problems) {
    byte[] data = entry.getBytes(StandardCharsets.UTF_8);
    List<Problem> unreadable = new ArrayList<>();
    List<YamlReader.Document> docs = YamlReader.text().read(file, data, unreadable);
    if (!unreadable.isEmpty()) {
      return false; // judged as a path, so refused: never looser than Kustomize
    }
    List<YamlReader.Document> configs = new ArrayList<>();
    for (YamlReader.Document doc : docs) {
      if (doc.tree().isNull()) {
        continue; // an empty document: Kustomize drops it
      }
      if (!isResource(doc.tree())) {
        return false;
      }
      configs.add(doc);
    }
    if (configs.isEmpty()) {
      return false;
    }
    String prefix = field + "[" + index + "]";
    IntUnaryOperator line = lines(kustomization, entryLine, entry);
    for (YamlReader.Document doc : configs) {
      JsonNode tree = doc.tree();
      List<JsonNode> items = isList(tree) ? list(tree.path("items")) : List.of(tree);
      for (int n = 0; n < items.size(); n++) {
        JsonNode config = items.get(n);
        if (!"builtin".equals(config.path("apiVersion").asText(null))) {
          String at = isList(tree) ? "/items/" + n : "";
          problems.add(new Problem(file, line.applyAsInt(doc.lineOf(at)), null, prefix + ": "
              + ResourceId.escape(config.path("apiVersion").asText("(no apiVersion)") + " "
              + config.path("kind").asText("(no kind)")) + " is not a built-in plug-in (apiVersion: builtin): exec"
              + " and container (KRM function) plug-ins are refused"));
        }
      }
      RemoteFiles.inInlineConfig(file, prefix + ".", doc, line, problems);
    }
    return true;
  }

  /** True when Kustomize's {@code GetValidatedMetadata} takes {@code node}: a kind, and a name unless a list. */
  private static boolean isResource(JsonNode node) {
    if (!node.isObject() || !node.path("kind").isTextual() || node.path("kind").asText().isEmpty()) {
      return false;
    }
    if (isList(node)) {
      for (JsonNode item : list(node.path("items"))) {
        if (!isResource(item)) {
          return false;
        }
      }
      return true;
    }
    JsonNode name = node.path("metadata").path("name");
    return name.isTextual() && !name.asText().isEmpty();
  }

  private static boolean isList(JsonNode node) {
    return node.path("kind").asText("").endsWith("List");
  }

  private static List<JsonNode> list(JsonNode items) {
    List<JsonNode> out = new ArrayList<>();
    items.forEach(out::add);
    return out;
  }

  /**
   * Maps a line of {@code entry} to a line of the kustomization: a literal block scalar ({@code |})
   * holds the entry's lines one for one below {@code entryLine}, found by comparing them; any other
   * way of writing it (quoted, folded, flow) is reported at {@code entryLine}.
   */
  private static IntUnaryOperator lines(byte[] kustomization, int entryLine, String entry) {
    String[] file = new String(kustomization, StandardCharsets.UTF_8).split("\r?\n", -1);
    String[] text = entry.split("\n", -1);
    int count = entry.endsWith("\n") ? text.length - 1 : text.length;
    for (int j = 0; j < count; j++) {
      int at = entryLine + j; // the 0-based index of the file's line entryLine + 1 + j
      if (at >= file.length || !file[at].endsWith(text[j]) || !file[at].substring(0,
          file[at].length() - text[j].length()).isBlank()) {
        return l -> entryLine;
      }
    }
    return l -> entryLine + l;
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Problem;
import dev.gitops.source.YamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a YAML (or JSON) stream into documents with the 1-based line each starts on, read by
 * {@link YamlReader#yaml11()} as kubectl reads them (aliases and merge keys resolved; duplicate
 * keys, alias bombs and plain keys kubectl would send as other text refused). Empty and
 * comment-only documents are skipped. The elements of a document's top-level
 * {@code items} array keep their own line.
 */
final class YamlDocuments {
  /**
   * One document.
   *
   * @param node the document, an object
   * @param line 1-based line of its first key
   * @param itemLines lines of the elements of its top-level {@code items} array, in order
   */
  public record Doc(ObjectNode node, int line, List<Integer> itemLines) {}

  private YamlDocuments() {}

  /**
   * Reads every document of {@code data}. A syntax error or duplicate key ends the file: it is
   * added to {@code problems} with its line, and the documents read before it are returned.
   */
  public static List<Doc> read(String file, byte[] data, List<Problem> problems) {
    List<Doc> docs = new ArrayList<>();
    for (YamlReader.Document doc : YamlReader.yaml11().read(file, data, problems)) {
      JsonNode value = doc.tree();
      if (value instanceof ObjectNode node) {
        docs.add(new Doc(node, doc.line(), itemLines(doc)));
      } else if (!(value.isNull() || value.isTextual() && value.asText().isEmpty())) {
        problems.add(new Problem(file, doc.line(), null, "document is not a mapping (found "
            + value.getNodeType().name().toLowerCase(Locale.ROOT) + ")"));
      }
    }
    return docs;
  }

  private static List<Integer> itemLines(YamlReader.Document doc) {
    JsonNode items = doc.tree().get("items");
    if (items == null || !items.isArray()) {
      return List.of();
    }
    List<Integer> lines = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      lines.add(doc.lineOf("/items/" + i));
    }
    return List.copyOf(lines);
  }
}

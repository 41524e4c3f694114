package dev.gitops.k8s;

import dev.gitops.model.Content;
import dev.gitops.source.YamlReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The line of a field in the files of one load, for problems: a file is read again with every
 * node's line ({@link YamlReader#text()}), once, and only when one of its fields has a problem. Not
 * thread-safe: one load's.
 */
final class FieldLines {
  private final Function<String, Content.Bytes> files;
  private final Map<String, List<YamlReader.Document>> read = new HashMap<>();

  /** Lines in the files {@code files} gives by path (null for a file it does not know). */
  FieldLines(Function<String, Content.Bytes> files) {
    this.files = files;
  }

  /** The line of the field at {@code pointer} in entry {@code e}, else of its nearest ancestor; else the entry's. */
  int of(ManifestDocs.Entry e, String pointer) {
    Content.Bytes bytes = files.apply(e.file());
    if (bytes == null) {
      return e.line();
    }
    List<YamlReader.Document> docs = read.computeIfAbsent(e.file(),
        f -> YamlReader.text().read(f, bytes.data(), new ArrayList<>()));
    for (YamlReader.Document d : docs) {
      if (d.line() == e.docLine()) {
        return Math.max(d.lineOf(e.at() + pointer), e.line());
      }
    }
    return e.line();
  }
}

package dev.gitops.k8s.render;

import dev.gitops.k8s.ManifestLoader;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A renderer's output, a multi-document YAML stream, loaded by a {@link ManifestLoader} as if each
 * document were a file of its own (so the plain loading applies unchanged: lists, duplicates,
 * validation, default namespace), then mapped back to where each document came from.
 */
final class RenderedDocs {
  private static final Pattern SYNTHETIC = Pattern.compile("rendered/(\\d{6})\\.yaml:(\\d+)");

  /** Where a document came from, and what to strip from a resource it holds. */
  interface Mapper {
    /** The resource of document {@code doc}, at its real origin (and cleaned). */
    Resource resource(int doc, Resource loaded);

    /** The real place of line {@code line} (1-based, inside the document) of document {@code doc}. */
    dev.gitops.model.Origin at(int doc, int line);
  }

  /**
   * One document of the stream.
   *
   * @param data the document's bytes (never changed once split)
   * @param line 1-based line of the stream it starts on
   */
  record Doc(byte[] data, int line) {}

  private RenderedDocs() {}

  /**
   * Splits a YAML stream at its {@code ---} lines, on the bytes (UTF-8 has no other byte that reads
   * as {@code -} or a line end), leaving out documents that hold only white space.
   */
  static List<Doc> split(byte[] stream) {
    List<Doc> docs = new ArrayList<>();
    int start = 0;
    int startLine = 1;
    int line = 1;
    for (int i = 0; i < stream.length; line++) {
      int nl = indexOf(stream, (byte) '\n', i);
      int end = nl < 0 ? stream.length : nl;
      if (isSeparator(stream, i, end)) {
        add(docs, stream, start, i, startLine);
        start = nl < 0 ? stream.length : nl + 1;
        startLine = line + 1;
      }
      i = nl < 0 ? stream.length : nl + 1;
    }
    add(docs, stream, start, stream.length, startLine);
    return docs;
  }

  /** {@code ---} alone (or before a CR), or followed by a space. */
  private static boolean isSeparator(byte[] s, int from, int to) {
    int n = to - from;
    if (n < 3 || s[from] != '-' || s[from + 1] != '-' || s[from + 2] != '-') {
      return false;
    }
    return n == 3 || s[from + 3] == ' ' || n == 4 && s[from + 3] == '\r';
  }

  private static int indexOf(byte[] s, byte b, int from) {
    for (int i = from; i < s.length; i++) {
      if (s[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static void add(List<Doc> docs, byte[] s, int from, int to, int line) {
    for (int i = from; i < to; i++) {
      byte b = s[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x0b) {
        docs.add(new Doc(Arrays.copyOfRange(s, from, to), line));
        return;
      }
    }
  }

  /**
   * Loads {@code docs} with {@code manifests} and maps every resource and problem back.
   *
   * @throws InvalidDesiredStateException listing every problem, at real places
   */
  static DesiredState load(List<Doc> docs, Revision revision, ManifestLoader manifests, Mapper mapper) {
    Map<String, Content.Bytes> files = new TreeMap<>();
    for (int i = 0; i < docs.size(); i++) {
      files.put(name(i), new Content.Bytes(docs.get(i).data(), FileMode.REGULAR));
    }
    DesiredState loaded;
    try {
      loaded = manifests.load(Snapshot.of(revision, files));
    } catch (InvalidDesiredStateException e) {
      throw new InvalidDesiredStateException(e.problems().stream().map(p -> remap(p, mapper)).toList());
    }
    List<Resource> resources = new ArrayList<>(loaded.size());
    for (Resource r : loaded.resources()) {
      resources.add(mapper.resource(index(r.origin().file()), r));
    }
    try {
      return DesiredState.of(resources, List.of(), List.of());
    } catch (InvalidDesiredStateException e) {
      throw new InvalidDesiredStateException(e.problems().stream().map(p -> remap(p, mapper)).toList());
    }
  }

  private static String name(int doc) {
    return String.format("rendered/%06d.yaml", doc);
  }

  private static int index(String synthetic) {
    return Integer.parseInt(synthetic.substring("rendered/".length(), synthetic.length() - ".yaml".length()));
  }

  private static Problem remap(Problem p, Mapper mapper) {
    String file = p.file();
    int line = p.line();
    if (file.startsWith("rendered/") && file.endsWith(".yaml")) {
      dev.gitops.model.Origin o = mapper.at(index(file), Math.max(line, 1));
      file = o.file();
      line = o.line();
    }
    Matcher m = SYNTHETIC.matcher(p.message());
    StringBuilder message = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(message, Matcher.quoteReplacement(
          mapper.at(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))).toString()));
    }
    m.appendTail(message);
    return new Problem(file, line, p.id(), message.toString());
  }
}

package dev.gitops.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.JsonTrees;
import dev.gitops.model.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads YAML (and JSON) the way every loader of this library does, so that a manifest, a
 * {@code .gitops.yaml} and a loader of your own agree on what a file means:
 *
 * <ul>
 *   <li>Aliases ({@code *name}) stand for a copy of the node anchored {@code &name} before them in
 *       the same document; an alias with no such anchor, or inside the node it names, is an error.
 *   <li>A plain {@code <<} key merges a mapping, or a list of mappings, into the mapping that holds
 *       it (YAML 1.1 merge keys): keys written in the mapping win, then earlier mappings of the list
 *       over later ones. Anything else under {@code <<} is an error; a quoted {@code "<<"} is an
 *       ordinary key.
 *   <li>Limits, each an error naming the file and line: {@value #MAX_ALIASES} aliases per file,
 *       aliases that add {@value #MAX_ALIAS_NODES} nodes per file, all its documents together (an alias
 *       "bomb" of nested aliases, or of many documents each holding a small one, stops there instead of
 *       filling memory), {@value #MAX_CODE_POINTS} code points per file,
 *       nesting {@value #MAX_DEPTH} deep, the copies aliases make counted (a chain of aliases would
 *       otherwise nest without bound and overflow the stack). A mapping key given twice is an error naming both lines.
 *   <li>Time grows with the file's length, however long a line: a scalar or comment of millions of
 *       characters with no space or line break in it is read in one pass, where SnakeYAML's own
 *       reader takes time growing with the square of its length.
 *   <li>A tab separates tokens where YAML, and go-yaml (so kubectl), take one: after a key's {@code :},
 *       an anchor, a tag or a quoted value, inside {@code [...]} and {@code {...}}, after a block scalar's
 *       {@code |} or {@code >}; a tab that indents a line, or follows {@code -} or {@code ?}, is an error
 *       naming its line, as go-yaml refuses it. A tab inside a value is kept.
 *   <li>A character YAML does not allow (a C0 control other than tab and line breaks, DEL, a C1
 *       control other than U+0085) is an error naming its line and its code, as go-yaml refuses it.
 * </ul>
 *
 * <p>An empty plain scalar (a key with nothing after it) is null, as YAML's core schema and go-yaml
 * (so kubectl) read it; a quoted {@code ''} is the empty string. {@link #typed()} types scalars as
 * Jackson reads YAML (numbers, booleans, null) into trees
 * built by {@link JsonTrees#nodeFactory()}; {@link #text()} keeps every scalar as written ({@code 0644} stays
 * {@code "0644"}), for configuration whose values are parsed by their reader.
 *
 * <pre>{@code
 * List<Problem> problems = new ArrayList<>();
 * for (YamlReader.Document doc : YamlReader.typed().read("deploy/web.yaml", bytes, problems)) {
 *   JsonNode replicas = doc.tree().path("spec").path("replicas");
 *   int line = doc.lineOf("/spec/replicas");
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class YamlReader {
  /**
   * Aliases one file may hold, all its documents together (a limit per document let a file of many
   * documents, each just under it, expand many times over).
   */
  public static final int MAX_ALIASES = 1_000;
  /** Nodes that aliases may add to one file, all its documents together, counting every node of each copy. */
  public static final int MAX_ALIAS_NODES = 100_000;
  /** Code points one file may hold (64 Mi). */
  public static final int MAX_CODE_POINTS = 64 * 1024 * 1024;
  /** How deep mappings and sequences may nest. */
  public static final int MAX_DEPTH = 1_000;

  private static final YamlEvents FACTORY = YamlEvents.create();
  private static final YamlReader TYPED = new YamlReader(false, 2, false);
  private static final YamlReader YAML11 = new YamlReader(false, 2, true);
  private static final YamlReader TEXT = new YamlReader(true, Integer.MAX_VALUE, false);

  private final boolean text;
  private final int lineDepth;
  private final boolean yaml11;

  private YamlReader(boolean text, int lineDepth, boolean yaml11) {
    this.text = text;
    this.lineDepth = lineDepth;
    this.yaml11 = yaml11;
  }

  /**
   * Scalars typed as Jackson reads YAML, short strings shared through {@link JsonTrees#nodeFactory()}; lines are
   * kept for the document's top two levels (e.g. {@code /metadata} and {@code /items/3}).
   *
   * @return the shared reader for files other tools read as typed YAML (a kustomization)
   */
  public static YamlReader typed() {
    return TYPED;
  }

  /**
   * {@link #typed()} as YAML 1.1 reads scalars, as go-yaml v2 does and so kubectl and Helm
   * (through sigs.k8s.io/yaml), for files they read: {@code y}, {@code Y}, {@code n} and {@code N}
   * are booleans as {@code yes} and {@code off} are; integers are read as Go's {@code ParseInt} with
   * base 0 reads them after dropping {@code _} ({@code 0o12}, {@code 0X1F}, {@code 012}), else as
   * floats ({@code 08} is 8), and a number beyond Go's types ({@code 1e400}) or with colons
   * ({@code 190:20:30.15}) is text; tags are read as go-yaml reads them ({@code !!str yes} and
   * {@code ! 1} are text, {@code !!binary} its decoded UTF-8 text), and so is a double-quoted
   * {@code \'} ({@code '}). An error at its line, saying what
   * to write instead, where kubectl refuses or would send other than the file says: a plain mapping key
   * such a reader would turn into other text ({@code on:} sent as {@code "true"}, {@code ~:},
   * {@code 0x1F:}, {@code 1.10:}; a quoted key, and one tagged {@code !!str}, is its text), a tag the
   * text does not fit ({@code !!int yes}), a {@code \\u} escape of a UTF-16 surrogate (alone, or one
   * of two that make a pair), a key written above a {@code <<} that gives it too (go-yaml lets the
   * merge override it), a second {@code <<} in one mapping (go-yaml merges it over the first, Kustomize
   * refuses it), and lines kubectl's
   * document splitter refuses or misreads: {@code ---} with more than a comment after it, a directive
   * ({@code %YAML}), a byte order mark starting a line other than the file's first. A file that starts
   * with '{' (after white space) is read as a stream of JSON values, as kubectl reads it: strict JSON,
   * where {@code \/} and a surrogate pair escaped as two {@code \\u} escapes are text.
   *
   * @return the shared reader for Kubernetes manifests
   */
  public static YamlReader yaml11() {
    return YAML11;
  }

  /**
   * {@return the shared reader that keeps every scalar as its text (null stays null) and the line
   * of every node; for configuration files whose values are strings}
   */
  public static YamlReader text() {
    return TEXT;
  }

  /**
   * One document of a file.
   *
   * @param tree the document's value: a mapping, a sequence, a scalar, or null for an empty one
   * @param line 1-based line where it starts
   * @param lines the line of nodes by JSON pointer (see {@link #lineOf(String)})
   */
  public record Document(JsonNode tree, int line, Map<String, Integer> lines) {
    /**
     * Validates and copies.
     *
     * @param tree the document's value; not null (an empty document is a JSON null node)
     * @param line 1-based line where it starts
     * @param lines the line of nodes by JSON pointer; copied
     */
    public Document {
      Objects.requireNonNull(tree, "tree");
      lines = Map.copyOf(lines);
    }

    /**
     * The line of the node at {@code pointer} (e.g. {@code /items/2}), else of its nearest
     * ancestor with a known line (a node copied by an alias has the alias's line).
     *
     * @param pointer a JSON pointer into {@link #tree()}, {@code ""} for the document
     * @return a 1-based line; the document's first line when no ancestor has a known line
     */
    public int lineOf(String pointer) {
      for (String p = pointer; !p.isEmpty(); p = p.substring(0, Math.max(p.lastIndexOf('/'), 0))) {
        Integer at = lines.get(p);
        if (at != null) {
          return at;
        }
      }
      return line;
    }

    /**
     * Builds the JSON pointer of a mapping key, for {@link #lineOf(String)}.
     *
     * @param parent the parent's pointer, {@code ""} for the document root
     * @param key the mapping key, as written
     * @return the JSON pointer of {@code key} under {@code parent} ({@code ~} and {@code /} escaped)
     */
    public static String pointer(String parent, String key) {
      return parent + "/" + key.replace("~", "~0").replace("/", "~1");
    }
  }

  /**
   * Reads every document of {@code data} (UTF-8). The first error ends the file: it is added to
   * {@code problems} with {@code file} and its line, and the documents before it are returned.
   * Bytes that are not UTF-8 (a file saved as Latin-1 or UTF-16) are refused before any document
   * is read, naming the line of the first, as go-yaml refuses them: read leniently, they would
   * become U+FFFD and change a value without a word. The bytes themselves are never shown.
   *
   * @param file the file's path, for problems and lines
   * @param data the file's bytes, UTF-8
   * @param problems where a syntax error or a limit reached (aliases, depth, size) is added
   * @return the documents before the first error, in file order; empty documents included
   */
  public List<Document> read(String file, byte[] data, List<Problem> problems) {
    List<Document> docs = new ArrayList<>();
    int tooLong = data.length > MAX_CODE_POINTS ? lineOverLimit(data) : 0;
    if (tooLong > 0) {
      problems.add(new Problem(file, tooLong, null, "more than " + MAX_CODE_POINTS + " characters"
          + " (YamlReader.MAX_CODE_POINTS, 64 Mi): a file this long is no manifest anyone reviews; split it into"
          + " several files"));
      return docs;
    }
    String source = new String(data, StandardCharsets.UTF_8);
    int notUtf8 = source.indexOf('\uFFFD') < 0 ? 0 : lineNotUtf8(data);
    if (notUtf8 > 0) {
      problems.add(new Problem(file, notUtf8, null, "not UTF-8: this line holds bytes that UTF-8 text never has"
          + (data.length > 1 && (data[0] & 0xFE) == 0xFE && (data[1] & 0xFE) == 0xFE
          ? " (the file starts with a UTF-16 byte order mark)" : "") + "; save the file as UTF-8"));
      return docs;
    }
    if (yaml11 && JsonDocuments.isJson(source)) {
      JsonDocuments.read(file, source, lineDepth, docs, problems);
      return docs;
    }
    YamlErrors.Located split = yaml11 ? Yaml11Lines.problem(source) : null;
    if (split != null) {
      problems.add(new Problem(file, split.line(), null, split.message()));
      return docs;
    }
    YamlTabs tabs = YamlTabs.scan(source);
    List<Problem> found = new ArrayList<>(1);
    parse(file, tabs, docs, found);
    YamlErrors.Located tab = tabs.refusal();
    if (tab == null || !found.isEmpty() && found.get(0).line() < tab.line()) {
      problems.addAll(found);
      return docs;
    }
    problems.add(new Problem(file, tab.line(), null, tab.message())); // go-yaml stops there, SnakeYAML may not
    int before = 0;
    while (before + 1 < docs.size() && docs.get(before + 1).line() <= tab.line()) {
      before++;
    }
    return new ArrayList<>(docs.subList(0, before));
  }

  /**
   * Adds the documents of a text read as {@code tabs} wrote it (its lines with the tabs go-yaml reads as
   * white space made spaces and go-yaml's escapes SnakeYAML does not know rewritten), to {@code docs},
   * and its first error to {@code problems}, its column counted in the text as written.
   */
  private void parse(String file, YamlTabs tabs, List<Document> docs, List<Problem> problems) {
    String scanned = tabs.text();
    try (YamlEvents.Parser parser = FACTORY.parser(scanned)) {
      try {
        JsonToken token;
        // one for the file: documents of one each would multiply it
        YamlAnchors.Budget aliases = new YamlAnchors.Budget();
        while ((token = parser.nextToken()) != null) {
          YamlTree tree = new YamlTree(parser, text ? null : JsonTrees.nodeFactory(), lineDepth, yaml11, aliases);
          int line = parser.line();
          JsonNode node = tree.value(token, "", 0, line);
          docs.add(new Document(node, line, tree.lines()));
        }
      } catch (YamlTree.Refused e) {
        problems.add(new Problem(file, e.line(), null, e.getMessage()));
      } catch (JsonProcessingException e) {
        if (e.getCause() instanceof ReaderException r) { // it has no mark: Jackson's is the last token's
          problems.add(new Problem(file, lineOf(scanned, r.getPosition()), null, notAllowed(r.getCodePoint())));
          return;
        }
        JsonLocation where = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        int line = Math.max(where.getLineNr(), 0); // a limit of the parser's own comes without one
        YamlErrors.Located error = YamlErrors.describe(e, scanned, line, tabs::column); // marks count in scanned
        problems.add(new Problem(file, error.line(), null, error.message()));
      }
    } catch (IOException e) {
      problems.add(new Problem(file, 0, null, "cannot read: " + e.getMessage()));
    }
  }

  /**
   * The 1-based line of {@code data}'s character past {@link #MAX_CODE_POINTS}, 0 when it has no more:
   * counted on the bytes (every byte but a UTF-8 continuation byte starts one), before the text is
   * made or parsed, whose trees would take many times the file's size.
   */
  private static int lineOverLimit(byte[] data) {
    int line = 1;
    int chars = 0;
    for (byte b : data) {
      if ((b & 0xC0) != 0x80 && ++chars > MAX_CODE_POINTS) {
        return line;
      }
      line += b == '\n' ? 1 : 0;
    }
    return 0;
  }

  /**
   * The 1-based line of the first bytes of {@code data} that are no UTF-8 character, 0 when it is
   * all UTF-8 (a U+FFFD written as such is a character): decoded leniently, such bytes would become
   * U+FFFD and a value would change without a word, where go-yaml (so kubectl) refuses the file.
   */
  private static int lineNotUtf8(byte[] data) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(data);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        int line = 1;
        for (int i = 0; i < in.position(); i++) {
          line += data[i] == '\n' ? 1 : 0;
        }
        return line;
      }
      if (result.isUnderflow()) {
        return 0;
      }
      out.clear();
    }
  }

  /** The 1-based line of the code point at {@code position}, lines broken as SnakeYAML breaks them. */
  private static int lineOf(String source, int position) {
    int line = 1;
    for (int i = 0, end = source.offsetByCodePoints(0, position); i < end; i++) {
      char c = source.charAt(i);
      boolean loneReturn = c == '\r' && source.charAt(i + 1) != '\n'; // i + 1 <= end, in the text
      line += c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029' || loneReturn ? 1 : 0;
    }
    return line;
  }

  private static String notAllowed(int codePoint) {
    return String.format(Locale.ROOT, "invalid YAML: character U+%04X is not allowed in a YAML file; write it as an "
        + "escape (\\u%04X) inside double quotes", codePoint, codePoint);
  }

  @Override
  public String toString() {
    return "YamlReader[" + (text ? "text" : yaml11 ? "yaml11" : "typed") + "]";
  }
}

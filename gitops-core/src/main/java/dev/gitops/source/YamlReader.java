package dev.gitops.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.JsonTrees;
import dev.gitops.model.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 *   <li>Limits, each an error naming the file and line: {@value #MAX_ALIASES} aliases per document,
 *       aliases that add {@value #MAX_ALIAS_NODES} nodes per document (an alias "bomb" of nested
 *       aliases stops there instead of filling memory), {@value #MAX_CODE_POINTS} code points per file,
 *       nesting {@value #MAX_DEPTH} deep. A mapping key given twice is an error naming both lines.
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
  /** Aliases one document may hold. */
  public static final int MAX_ALIASES = 1_000;
  /** Nodes that aliases may add to one document, counting every node of each copy. */
  public static final int MAX_ALIAS_NODES = 100_000;
  /** Code points one file may hold (64 Mi). */
  public static final int MAX_CODE_POINTS = 64 * 1024 * 1024;
  /** How deep mappings and sequences may nest. */
  public static final int MAX_DEPTH = 1_000;

  private static final YamlEvents FACTORY = YamlEvents.create();
  private static final YamlReader TYPED = new YamlReader(false, 2);
  private static final YamlReader TEXT = new YamlReader(true, Integer.MAX_VALUE);

  private final boolean text;
  private final int lineDepth;

  private YamlReader(boolean text, int lineDepth) {
    this.text = text;
    this.lineDepth = lineDepth;
  }

  /**
   * Scalars typed as Jackson reads YAML, short strings shared through {@link JsonTrees#nodeFactory()}; lines are
   * kept for the document's top two levels (e.g. {@code /metadata} and {@code /items/3}).
   *
   * @return the shared reader for manifests
   */
  public static YamlReader typed() {
    return TYPED;
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
   *
   * @param file the file's path, for problems and lines
   * @param data the file's bytes, UTF-8
   * @param problems where a syntax error or a limit reached (aliases, depth, size) is added
   * @return the documents before the first error, in file order; empty documents included
   */
  public List<Document> read(String file, byte[] data, List<Problem> problems) {
    List<Document> docs = new ArrayList<>();
    String source = new String(data, StandardCharsets.UTF_8);
    try (YamlEvents.Parser parser = FACTORY.parser(source)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        YamlTree tree = new YamlTree(parser, text ? null : JsonTrees.nodeFactory(), lineDepth);
        int line = parser.currentTokenLocation().getLineNr();
        JsonNode node = tree.value(token, "", 0, line);
        docs.add(new Document(node, line, tree.lines()));
      }
    } catch (YamlTree.Refused e) {
      problems.add(new Problem(file, e.line(), null, e.getMessage()));
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      int line = where == null ? 0 : Math.max(where.getLineNr(), 0);
      problems.add(new Problem(file, line, null, YamlTree.describe(e, source, line)));
    } catch (IOException e) {
      problems.add(new Problem(file, 0, null, "cannot read: " + e.getMessage()));
    }
    return docs;
  }

  @Override
  public String toString() {
    return "YamlReader[" + (text ? "text" : "typed") + "]";
  }
}

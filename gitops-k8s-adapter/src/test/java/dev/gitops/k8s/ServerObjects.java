package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The corpus in {@code src/test/resources/server-objects/}: pairs of a manifest and the object as a
 * real API server returns it, with the verdict a diff must reach (the format is in that folder's
 * README). Read with plain Jackson YAML, so that a test of the adapter's own YAML reading never
 * depends on the adapter.
 */
public final class ServerObjects {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String FOLDER = "server-objects";

  private ServerObjects() {}

  /** What a diff of {@link Pair#manifest()} against {@link Pair#live()} must conclude. */
  public enum Verdict {
    /** The plan is empty. */
    IN_SYNC,
    /** The plan updates the object with exactly {@link Pair#changes()}. */
    OUT_OF_SYNC,
    /** Applying fails on a field-manager conflict at exactly {@link Pair#conflicts()}. */
    CONFLICT;

    static Verdict parse(String file, String text) {
      return switch (text) {
        case "in-sync" -> IN_SYNC;
        case "out-of-sync" -> OUT_OF_SYNC;
        case "conflict" -> CONFLICT;
        default -> throw new IllegalArgumentException(file + ": verdict must be in-sync, out-of-sync or conflict: " + text);
      };
    }
  }

  /**
   * One change the diff must report.
   *
   * @param op {@code add}, {@code remove} or {@code replace}
   * @param path RFC 6901 pointer; list elements by their index in the live list, {@code -} when new
   */
  public record Change(String op, String path) {
    /** Validates. */
    public Change {
      if (!List.of("add", "remove", "replace").contains(op)) {
        throw new IllegalArgumentException("op must be add, remove or replace: " + op);
      }
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * A field the manifest sets to a value another manager owns.
   *
   * @param path RFC 6901 pointer
   * @param manager the field manager that owns it
   */
  public record Conflict(String path, String manager) {}

  /**
   * One pair of the corpus.
   *
   * @param file the file name
   * @param description what the pair shows
   * @param sources where its facts come from
   * @param owner the reconciler's name ({@code gitops.dev/owner})
   * @param strategy {@code SERVER_SIDE} or {@code JSON_PATCH}
   * @param manifest the object as in Git
   * @param live the object as a GET returns it
   * @param crd the CustomResourceDefinition of a custom kind, or null
   * @param verdict the verdict
   * @param changes for {@link Verdict#OUT_OF_SYNC}: every change, no other
   * @param conflicts for {@link Verdict#CONFLICT}: every conflicting field
   * @param hidden counts {@code explain()} must show per rule ({@code zero-value}, {@code quantity},
   *     {@code server-appended}, {@code other-manager}); rules not named are not checked
   */
  public record Pair(String file, String description, List<String> sources, String owner,
                     ApplyStrategy strategy, ObjectNode manifest, ObjectNode live, ObjectNode crd,
                     Verdict verdict, List<Change> changes, List<Conflict> conflicts,
                     Map<String, Integer> hidden) {
    @Override
    public String toString() {
      return file;
    }
  }

  /** Every pair, sorted by file name. */
  public static List<Pair> all() {
    Path dir = folder();
    try (Stream<Path> files = Files.list(dir)) {
      List<Pair> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
        out.add(read(f));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The folder on disk. */
  static Path folder() {
    try {
      return Path.of(Objects.requireNonNull(ServerObjects.class.getClassLoader().getResource(FOLDER),
          FOLDER + " not on the test class path").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One pair. */
  static Pair read(Path file) throws IOException {
    String name = file.getFileName().toString();
    JsonNode doc = YAML.readTree(file.toFile());
    Verdict verdict = Verdict.parse(name, required(name, doc, "verdict").asText());
    List<String> sources = new ArrayList<>();
    required(name, doc, "sources").forEach(s -> sources.add(s.asText()));
    List<Change> changes = new ArrayList<>();
    doc.path("changes").forEach(c -> changes.add(new Change(c.path("op").asText(), c.path("path").asText())));
    List<Conflict> conflicts = new ArrayList<>();
    doc.path("conflicts").forEach(c -> conflicts.add(new Conflict(c.path("path").asText(),
        c.path("manager").asText())));
    Map<String, Integer> hidden = new TreeMap<>();
    doc.path("hidden").properties().forEach(e -> hidden.put(e.getKey(), e.getValue().asInt()));
    return new Pair(name, required(name, doc, "description").asText(), List.copyOf(sources),
        doc.path("owner").asText("web"), ApplyStrategy.valueOf(doc.path("strategy").asText("SERVER_SIDE")),
        (ObjectNode) required(name, doc, "manifest"), (ObjectNode) required(name, doc, "live"),
        doc.get("crd") instanceof ObjectNode crd ? crd : null, verdict, List.copyOf(changes),
        List.copyOf(conflicts), Map.copyOf(hidden));
  }

  private static JsonNode required(String file, JsonNode doc, String key) {
    JsonNode v = doc.get(key);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(file + ": missing " + key);
    }
    return v;
  }
}

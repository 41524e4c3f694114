package dev.gitops.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.EnumNamingStrategies;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.EnumNaming;
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

  /** What a diff of {@link Pair#manifest()} against {@link Pair#live()} must conclude ({@code in-sync} in a file). */
  @EnumNaming(EnumNamingStrategies.KebabCaseStrategy.class)
  public enum Verdict {
    /** The plan is empty. */
    IN_SYNC,
    /** The plan updates the object with exactly {@link Pair#changes()}. */
    OUT_OF_SYNC,
    /** Applying fails on a field-manager conflict at exactly {@link Pair#conflicts()}. */
    CONFLICT
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
   * One pair of the corpus, as its file holds it (a missing required key, an unknown key or verdict
   * fails the read).
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
   *     {@code server-appended}, {@code other-manager}, {@code allocated}); rules not named are not checked
   * @param body what was applied: {@code as-written} (the manifest with every null, as kubectl
   *     sends it; the default) or {@code loaded} (what {@link KubernetesTarget} sends: the manifest
   *     as {@link ManifestLoader} reads it, a built-in field's null dropped, and a keyed list's null
   *     key field with a default left out)
   * @param written true when the target wrote the manifest, as it is, before this read
   *     ({@link WrittenContent}); default false
   */
  public record Pair(String file, String description, List<String> sources, String owner,
                     ApplyStrategy strategy, ObjectNode manifest, ObjectNode live, ObjectNode crd,
                     Verdict verdict, List<Change> changes, List<Conflict> conflicts,
                     Map<String, Integer> hidden, String body, Boolean written) {
    /** Owner {@code web}, strategy {@code SERVER_SIDE}, body {@code as-written} unless given; no changes, conflicts, hidden counts unless given. */
    public Pair {
      body = Objects.requireNonNullElse(body, "as-written");
      if (!List.of("as-written", "loaded").contains(body)) {
        throw new IllegalArgumentException("body must be as-written or loaded: " + body);
      }
      for (Object required : new Object[] {description, sources, manifest, live, verdict}) {
        Objects.requireNonNull(required, "description, sources, manifest, live and verdict are required");
      }
      sources = List.copyOf(sources);
      owner = Objects.requireNonNullElse(owner, "web");
      strategy = Objects.requireNonNullElse(strategy, ApplyStrategy.SERVER_SIDE);
      changes = changes == null ? List.of() : List.copyOf(changes);
      conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
      hidden = hidden == null ? Map.of() : Map.copyOf(hidden);
      written = Boolean.TRUE.equals(written);
    }

    /** True when nobody owns the live object yet (no ownership label): the plan adopts it. */
    public boolean adopted() {
      return live.path("metadata").path("labels").path(KubernetesTarget.OWNER_LABEL).isMissingNode();
    }

    /** The pair's number, the digits its file name starts with ({@code 07}, {@code 100}). */
    public String number() {
      return file.substring(0, file.indexOf('-'));
    }

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
    ObjectNode doc = (ObjectNode) YAML.readTree(file.toFile());
    try {
      return YAML.treeToValue(doc.put("file", file.getFileName().toString()), Pair.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file.getFileName() + ": " + e.getOriginalMessage(), e);
    }
  }
}

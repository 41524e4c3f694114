package dev.gitops.benchmarks.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Real-world Kubernetes objects read from the shared fixtures, grouped by kind: the templates the
 * {@link StateGenerator} copies and varies.
 *
 * <p>Only the kinds the generator uses are kept ({@link #KINDS}); every template list is in a fixed
 * order (file path, then document index), so the same fixtures give the same generated states.
 * Immutable after construction; the trees must not be modified (the generator copies them).
 */
public final class Templates {
  /** The kinds taken from the fixtures, with the apiVersion each must have. */
  public static final Map<String, String> KINDS = Map.of(
      "Deployment", "apps/v1",
      "Service", "v1",
      "ConfigMap", "v1",
      "ServiceAccount", "v1",
      "Role", "rbac.authorization.k8s.io/v1",
      "RoleBinding", "rbac.authorization.k8s.io/v1",
      "CustomResourceDefinition", "apiextensions.k8s.io/v1");

  private static final Set<String> SUFFIXES = Set.of(".yaml", ".yml", ".json");

  private final Map<String, List<JsonNode>> byKind;

  private Templates(Map<String, List<JsonNode>> byKind) {
    this.byKind = byKind;
  }

  /**
   * Reads every YAML and JSON document under {@code fixtures} and keeps those of {@link #KINDS}.
   * Files a YAML parser rejects are skipped (the fixtures include a few deliberately odd ones).
   *
   * @param fixtures the {@code shared/fixtures/k8s} directory
   * @return the templates
   * @throws UncheckedIOException when the directory cannot be listed
   * @throws IllegalStateException when a kind has no template at all
   */
  public static Templates load(Path fixtures) {
    ObjectMapper yaml = new YAMLMapper();
    Map<String, List<JsonNode>> byKind = new TreeMap<>();
    KINDS.keySet().forEach(k -> byKind.put(k, new ArrayList<>()));
    for (Path file : files(fixtures)) {
      for (JsonNode doc : documents(yaml, file)) {
        String kind = doc.path("kind").asText();
        if (KINDS.containsKey(kind) && KINDS.get(kind).equals(doc.path("apiVersion").asText())
            && doc.path("metadata").path("name").isTextual()) {
          byKind.get(kind).add(doc);
        }
      }
    }
    byKind.forEach((kind, list) -> {
      if (list.isEmpty()) {
        throw new IllegalStateException("no " + kind + " in " + fixtures);
      }
    });
    byKind.replaceAll((k, v) -> List.copyOf(v));
    return new Templates(Map.copyOf(byKind));
  }

  /**
   * The templates of one kind.
   *
   * @param kind one of {@link #KINDS}
   * @return the templates in their fixed order, never empty
   */
  public List<JsonNode> of(String kind) {
    List<JsonNode> list = byKind.get(kind);
    if (list == null) {
      throw new IllegalArgumentException("no templates of kind " + kind);
    }
    return list;
  }

  private static List<Path> files(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> SUFFIXES.stream().anyMatch(s -> p.getFileName().toString().endsWith(s)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> documents(ObjectMapper yaml, Path file) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && doc.isObject()) {
          docs.add(doc);
        }
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return docs;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Templates[");
    byKind.forEach((k, v) -> s.append(k).append('=').append(v.size()).append(' '));
    return s.append(']').toString();
  }
}

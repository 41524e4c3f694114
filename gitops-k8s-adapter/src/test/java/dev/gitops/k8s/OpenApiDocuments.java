package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Kubernetes 1.35 OpenAPI v3 documents of {@code ../shared/k8s-openapi/v3}, read once for the
 * tests that hold the adapter's hand-written tables to them (a test that asks for them is skipped
 * when they are not there). Deliberately no more than reading: each test walks them its own way.
 */
final class OpenApiDocuments {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static List<JsonNode> documents;

  private OpenApiDocuments() {
  }

  /** Every document, parsed, in the order of the file names. */
  static synchronized List<JsonNode> all() {
    if (documents == null) {
      List<JsonNode> read = new ArrayList<>();
      try (Stream<Path> files = Files.list(Fixtures.shared("k8s-openapi/v3"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          read.add(JSON.readTree(file.toFile()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      documents = List.copyOf(read);
    }
    return documents;
  }

  /** Every component schema of every document, by its name ({@code io.k8s.api.core.v1.Pod}). */
  static Map<String, JsonNode> schemas() {
    Map<String, JsonNode> out = new HashMap<>();
    all().forEach(d -> d.path("components").path("schemas").properties().forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /** The name of the schema {@code property} refers to, itself or through {@code allOf}; null when none. */
  static String ref(JsonNode property) {
    JsonNode ref = property.has("$ref") ? property.get("$ref") : null;
    for (JsonNode part : property.path("allOf")) {
      ref = ref == null && part.has("$ref") ? part.get("$ref") : ref;
    }
    return ref == null ? null : ref.asText().substring(ref.asText().lastIndexOf('/') + 1);
  }

  /** The schema {@code property} refers to ({@link #ref}), or {@code property} itself. */
  static JsonNode deref(Map<String, JsonNode> schemas, JsonNode property) {
    String ref = ref(property);
    return ref == null ? property : schemas.get(ref);
  }

  /** The schema of {@code group}/{@code kind} at {@code version}, or null. */
  static JsonNode kind(Map<String, JsonNode> schemas, String group, String kind, String version) {
    for (JsonNode s : schemas.values()) {
      for (JsonNode gvk : s.path("x-kubernetes-group-version-kind")) {
        if (gvk.path("group").asText().equals(group) && gvk.path("kind").asText().equals(kind)
            && gvk.path("version").asText().equals(version)) {
          return s;
        }
      }
    }
    return null;
  }
}

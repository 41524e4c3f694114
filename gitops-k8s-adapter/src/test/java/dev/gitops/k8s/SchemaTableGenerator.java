package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * Generates the adapter's table of built-in schemas ({@link BuiltinSchemas#RESOURCE}) from the
 * Kubernetes OpenAPI v3 documents ({@code ../shared/k8s-openapi/v3}, one per API group version,
 * with a README naming their Kubernetes version):
 *
 * <ol>
 *   <li>merges the {@code components.schemas} of every document (a name means the same schema in
 *       every document);
 *   <li>starts from the kinds (schemas with {@code x-kubernetes-group-version-kind} and an
 *       {@code ObjectMeta} {@code metadata}) and keeps every schema they reach, except what only
 *       their {@code status} reaches (status is never compared);
 *   <li>trims each schema to the keys {@link SchemaCompiler} reads: shapes, {@code $ref}s,
 *       {@code required}, fields' {@code default}s, list types and keys, atomic maps, patch merge keys,
 *       formats, {@code oneOf} types; descriptions and everything else go;
 *   <li>writes one header line ({@code {"kubernetes":"1.35",...}}) and one line per schema,
 *       sorted by name, keys sorted: the same documents give the same bytes.
 * </ol>
 *
 * Run it with {@code -Dgitops.schema.write=true} on {@code SchemaTableTest} (see the adapter's
 * README), or as a program: {@code SchemaTableGenerator <openapi-dir> <table-file>}.
 */
public final class SchemaTableGenerator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final Set<String> SHAPE = Set.of("$ref", "type", "format", "required",
      "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-patch-merge-key",
      "x-kubernetes-patch-strategy", "x-kubernetes-int-or-string",
      "x-kubernetes-preserve-unknown-fields", "x-kubernetes-map-type");

  private SchemaTableGenerator() {}

  /** Writes the table of the documents in {@code args[0]} to the file {@code args[1]}. */
  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[1]), generate(Path.of(args[0])), StandardCharsets.UTF_8);
  }

  /** The table of the documents in {@code dir} ({@code v3/} beside a {@code README.md}). */
  public static String generate(Path dir) throws IOException {
    Map<String, JsonNode> all = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir.resolve("v3"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode doc = JSON.readTree(f.toFile());
        doc.path("components").path("schemas").properties().forEach(e -> all.putIfAbsent(e.getKey(), e.getValue()));
      }
    }
    Map<String, JsonNode> kept = new TreeMap<>();
    Deque<String> todo = new ArrayDeque<>();
    all.forEach((name, schema) -> {
      if (KindSchemas.isObjectKind(schema)) {
        todo.add(name);
      }
    });
    while (!todo.isEmpty()) {
      String name = todo.poll();
      JsonNode schema = all.get(name);
      if (kept.containsKey(name) || schema == null) {
        continue;
      }
      ObjectNode trimmed = trim(schema, false);
      if (KindSchemas.isObjectKind(schema)) {
        trimmed.set("x-kubernetes-group-version-kind", schema.get("x-kubernetes-group-version-kind"));
        if (trimmed.get("properties") instanceof ObjectNode p) {
          p.remove("status");
        }
      }
      kept.put(name, trimmed);
      refs(trimmed, todo);
    }
    StringBuilder out = new StringBuilder();
    ObjectNode header = NODES.objectNode();
    header.put("kubernetes", version(dir));
    header.put("from", "the Kubernetes OpenAPI v3 documents, ../shared/k8s-openapi/v3 (see its README)");
    header.put("generator", "gitops-k8s-adapter/src/test/java/dev/gitops/k8s/SchemaTableGenerator.java");
    out.append(canonical(header)).append('\n');
    for (Map.Entry<String, JsonNode> e : kept.entrySet()) {
      ObjectNode line = NODES.objectNode();
      line.put("name", e.getKey());
      line.set("schema", e.getValue());
      out.append(canonical(line)).append('\n');
    }
    return out.toString();
  }

  /** {@code schema} with only what the compiler reads; {@code field} keeps a field's default. */
  private static ObjectNode trim(JsonNode schema, boolean field) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : schema.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (SHAPE.contains(k) || (field && k.equals("default"))) {
        out.set(k, v);
      } else if (k.equals("properties")) {
        ObjectNode props = out.putObject("properties");
        v.properties().forEach(p -> props.set(p.getKey(), trim(p.getValue(), true)));
      } else if (k.equals("items") || (k.equals("additionalProperties") && v.isObject())) {
        out.set(k, trim(v, false));
      } else if (k.equals("additionalProperties")) {
        out.set(k, v);
      } else if (k.equals("allOf") || k.equals("oneOf")) {
        ArrayNode list = out.putArray(k);
        v.forEach(s -> list.add(trim(s, false)));
      }
    }
    return out;
  }

  private static void refs(JsonNode schema, Deque<String> todo) {
    String ref = schema.isObject() && schema.has("$ref") ? SchemaCompiler.ref(schema) : null;
    if (ref != null) {
      todo.add(ref);
    }
    for (JsonNode child : schema) {
      if (child.isContainerNode()) {
        refs(child, todo);
      }
    }
  }

  private static String version(Path dir) throws IOException {
    Matcher m = java.util.regex.Pattern.compile("Kubernetes version: ([0-9.]+)\\.?")
        .matcher(Files.readString(dir.resolve("README.md")));
    if (!m.find()) {
      throw new IOException(dir.resolve("README.md") + " names no Kubernetes version");
    }
    String v = m.group(1);
    return v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
  }

  private static String canonical(JsonNode node) throws IOException {
    return JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
  }

  /** The kinds a table lists, for tests. */
  static List<String> kinds(String table) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    for (String line : table.split("\n")) {
      JsonNode schema = JSON.readTree(line).path("schema");
      for (JsonNode gvk : schema.path("x-kubernetes-group-version-kind")) {
        out.add(gvk.path("group").asText() + "/" + gvk.path("version").asText() + "/" + gvk.path("kind").asText());
      }
    }
    return out;
  }
}

package dev.gitops.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas the samples jar ships (dev/gitops/samples/schema/), checked by networknt's
 * validator: a document is checked against the schema its {@code "format"} names.
 */
final class Schemas {
  private static final String BASE = "https://gitops.dev/schema/";
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      b -> b.schemaIdResolvers(r -> r.mapPrefix(BASE, "classpath:dev/gitops/samples/schema/")));
  private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Schemas() {}

  /** The validator's complaints about {@code json} under the schema of format {@code format}. */
  static List<Error> errors(String format, String json) {
    Schema schema = SCHEMAS.computeIfAbsent(format, f -> REGISTRY.getSchema(SchemaLocation.of(BASE + f + ".schema.json")));
    return schema.validate(json, InputFormat.JSON);
  }

  /**
   * Checks {@code json} against the schema its {@code "format"} names.
   *
   * @return the document, parsed
   * @throws AssertionError naming every violation, or when it names no known format
   */
  static JsonNode check(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + e.getMessage() + "\n" + json, e);
    }
    String format = root.path("format").asText();
    if (!List.of("gitops-plan", "gitops-saved-plan", "gitops-apply-report").contains(format)) {
      throw new AssertionError("no known \"format\": " + format);
    }
    List<Error> errors = errors(format, json);
    if (!errors.isEmpty()) {
      throw new AssertionError(format + " violates its schema: " + errors + "\n" + json);
    }
    return root;
  }
}

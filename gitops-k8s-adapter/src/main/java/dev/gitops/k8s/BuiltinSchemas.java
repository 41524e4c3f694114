package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The schemas of the built-in kinds shipped with the adapter: the table {@value #RESOURCE},
 * generated from the Kubernetes OpenAPI v3 documents (see {@code SchemaTableGenerator} in the
 * tests, which also checks that the table is what the documents give) and read once, on first
 * use. Its first line names the Kubernetes version; each further line is one named schema,
 * {@code {"name": ..., "schema": ...}}, trimmed to what the diff reads. Not public API.
 */
final class BuiltinSchemas {
  /** The table's resource name, next to this class. */
  public static final String RESOURCE = "builtin-schemas.jsonl";

  /** The table read and compiled. */
  record Table(String kubernetesVersion, KindSchemas kinds) {}

  private static final class Holder {
    static final Table TABLE = load();
  }

  private BuiltinSchemas() {}

  /** The Kubernetes version the table was generated from ({@code 1.35}). */
  public static String kubernetesVersion() {
    return Holder.TABLE.kubernetesVersion();
  }

  /** The built-in kinds. */
  static KindSchemas kinds() {
    return Holder.TABLE.kinds();
  }

  /** The field {@code metadata} of the built-in kinds ({@code ObjectMeta}), or null. */
  static SchemaField objectMeta() {
    SchemaField namespace = kinds().find("", "Namespace", "v1", true);
    return namespace == null ? null : namespace.type().fields.get("metadata");
  }

  private static Table load() {
    try (InputStream in = BuiltinSchemas.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the adapter's jar");
      }
      return read(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a table: the header line, then one named schema per line. */
  static Table read(Reader text) throws IOException {
    BufferedReader lines = new BufferedReader(text);
    JsonNode header = Json.parse(lines.readLine());
    Map<String, JsonNode> schemas = new HashMap<>();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (!line.isBlank()) {
        JsonNode entry = Json.parse(line);
        schemas.put(entry.path("name").asText(), entry.get("schema"));
      }
    }
    return new Table(header.path("kubernetes").asText(),
        KindSchemas.EMPTY.plus(KindSchemas.ofDocument(schemas, true)));
  }
}

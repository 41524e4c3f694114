package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * The record of what the library last applied to an object, kept in one annotation on the object
 * itself: base64 of the gzip of the canonical JSON. Secret values are replaced by their SHA-256
 * digests before recording (the three-way patch needs only which fields were set). The largest CRD
 * of the fixtures (484 KB of JSON) records in 104 KB, well under the API server's 256 KiB limit
 * for all annotations together.
 */
final class AppliedRecord {
  /** The largest record written; beyond it apply fails and asks for server-side apply. */
  public static final int MAX_BYTES = 200 * 1024;

  private AppliedRecord() {}

  /** The annotation value recording {@code applied}; {@code secret} masks data values first. */
  public static String encode(JsonNode applied, boolean secret) {
    JsonNode record = secret ? maskSecret(applied) : applied;
    return Base64.getEncoder().encodeToString(Gzip.of(Json.canonical(record)));
  }

  /** The recorded object, or null when {@code value} is not a record this library wrote. */
  public static JsonNode decode(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(
        Base64.getDecoder().decode(value)))) {
      return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      return null;
    }
  }

  private static JsonNode maskSecret(JsonNode applied) {
    ObjectNode copy = applied.deepCopy();
    for (String field : new String[] {"data", "stringData"}) {
      if (copy.get(field) instanceof ObjectNode values) {
        values.fields().forEachRemaining(e -> e.setValue(values.textNode(digest(e.getValue().asText()))));
      }
    }
    return copy;
  }

  private static String digest(String value) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return "sha256:" + HexFormat.of().formatHex(d.digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}

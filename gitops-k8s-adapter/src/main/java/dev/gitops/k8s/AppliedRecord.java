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
import java.util.function.Function;
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
    return encode(applied, secret, null);
  }

  /** As {@link #encode(JsonNode, boolean)}, remembering the record in {@code written} (or null). */
  static String encode(JsonNode applied, boolean secret, Written written) {
    byte[] json = Json.canonical(secret ? maskSecret(applied) : applied);
    String record = Base64.getEncoder().encodeToString(Gzip.of(json));
    if (written != null) {
      written.put(record, json);
    }
    return record;
  }

  /**
   * What was applied last as the JSON Patch strategy takes it: this library's record, {@code decode}d
   * from its annotation; on an object nobody owns without one, what plain {@code kubectl apply}
   * recorded ({@link ManagedFields#kubectlRecord}), as kubectl's next apply would take it: the
   * "original" of its three-way patch ({@code k8s.io/kubectl/pkg/cmd/apply/patcher.go},
   * {@code GetOriginalConfiguration}), so what it holds and Git left out goes, as server-side apply's
   * hand-over removes it ({@code csaupgrade}); null when there is neither.
   */
  static JsonNode lastApplied(ObjectNode live, Function<String, JsonNode> decode) {
    JsonNode last = decode.apply(live.path("metadata").path("annotations").path(Labels.APPLIED).asText(null));
    return last != null || !LiveObservation.adoptable(live) ? last : ManagedFields.kubectlRecord(live);
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

  /**
   * The records the targets of one cluster wrote lately, each as its JSON, by annotation text: the
   * first read of an object after a target wrote it decodes its record without base64 and gzip (a
   * cold apply reads the objects of its earlier waves again, in the stale-plan check of each later
   * wave). A text names its content, so a record found here decodes as {@link #decode} would decode
   * it. Forgets a record once decoded, and the oldest beyond {@value #MAX_BYTES} bytes (records
   * never read again, as those of a last wave until the next run, go first); a record larger than a
   * quarter of that is not kept. Thread-safe.
   */
  static final class Written {
    static final int MAX_BYTES = 4 << 20;
    private final java.util.LinkedHashMap<String, byte[]> json = new java.util.LinkedHashMap<>();
    private long bytes; // guarded by json
    private long hits; // guarded by json

    private void put(String record, byte[] canonical) {
      if (size(record, canonical) > MAX_BYTES / 4) {
        return;
      }
      synchronized (json) {
        byte[] before = json.put(record, canonical);
        bytes += size(record, canonical) - (before == null ? 0 : size(record, before));
        for (var eldest = json.entrySet().iterator(); bytes > MAX_BYTES && eldest.hasNext(); ) {
          var e = eldest.next();
          bytes -= size(e.getKey(), e.getValue());
          eldest.remove();
        }
      }
    }

    /** As {@link AppliedRecord#decode}: the JSON kept for {@code record} when there is, else decoded. */
    JsonNode decode(String record) {
      byte[] canonical;
      synchronized (json) {
        canonical = record == null ? null : json.remove(record);
        if (canonical != null) {
          bytes -= size(record, canonical);
          hits++;
        }
      }
      return canonical == null ? AppliedRecord.decode(record)
          : Json.parse(new String(canonical, StandardCharsets.UTF_8));
    }

    /** The bytes a kept record takes: its text (two bytes a char, at most) and its JSON. */
    private static long size(String record, byte[] canonical) {
      return 2L * record.length() + canonical.length;
    }

    /** How many decodes found their record kept. */
    long hits() {
      synchronized (json) {
        return hits;
      }
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

package dev.gitops.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gitops.model.FileMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests in the {@code sha256:<hex>} form. Not part of the public API. */
public final class Digests {
  private Digests() {}

  /**
   * The mapper of {@link #canonicalJson}, made on first use: a digest of bytes (every file
   * target's, and a Git cache's name) needs none of Jackson's 370 classes.
   */
  private static final class Canonical {
    static final ObjectMapper MAPPER = new ObjectMapper(SortedJson.factory())
        .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  }

  /** A new SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** {@code sha256:<hex>} of the digest's current state. */
  public static String format(MessageDigest digest) {
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  /** True for {@code sha256:} and 64 lower-case hex digits, as {@link #format} writes them. */
  public static boolean isSha256(String s) {
    int prefix = "sha256:".length();
    if (s.length() != prefix + 64 || !s.startsWith("sha256:")) {
      return false;
    }
    for (int i = prefix; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** Digest of bytes alone. */
  public static String ofBytes(byte[] data) {
    MessageDigest d = sha256();
    d.update(data);
    return format(d);
  }

  /** Digest of file bytes and mode. */
  public static String ofBytes(byte[] data, FileMode mode) {
    MessageDigest d = sha256();
    d.update(data);
    d.update(mode.toString().getBytes(StandardCharsets.UTF_8));
    return format(d);
  }

  /**
   * Digest of a large file from its size, the SHA-256 of its bytes ({@code sha256:<hex>}) and its
   * mode, so that it can be computed without the bytes.
   */
  public static String ofLarge(long size, String sha256, FileMode mode) {
    MessageDigest d = sha256();
    d.update(("large " + size + " " + sha256 + " ").getBytes(StandardCharsets.US_ASCII));
    d.update(mode.toString().getBytes(StandardCharsets.UTF_8));
    return format(d);
  }

  /** Digest of a tree's canonical JSON (object keys sorted). */
  public static String ofTree(JsonNode node) {
    return ofBytes(canonicalJson(node));
  }

  /** Canonical JSON bytes: object keys sorted at every level, no whitespace. */
  public static byte[] canonicalJson(JsonNode node) {
    byte[] direct = SortedJson.write(node);
    if (direct != null) {
      return direct;
    }
    try {
      Object plain = Canonical.MAPPER.treeToValue(node, Object.class);
      return Canonical.MAPPER.writeValueAsBytes(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** True when {@code data} decodes as UTF-8 and has no NUL byte. */
  public static boolean looksLikeText(byte[] data) {
    for (byte b : data) {
      if (b == 0) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}

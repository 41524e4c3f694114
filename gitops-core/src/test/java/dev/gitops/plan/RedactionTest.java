package dev.gitops.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.gitops.GitOpsException;
import dev.gitops.diff.RedactionKey;
import dev.gitops.internal.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 10: a plan's redaction markers are keyed. Whoever reads a saved plan without the
 * deployer's key cannot confirm a guess of a short secret by digesting it as the marker was made.
 */
class RedactionTest {
  private static final Pattern MARKER = Pattern.compile("\"redacted\": \"([a-z0-9-]+:[0-9a-f]{64})\"");

  /** The plan's JSON with its key-dependent digests (markers and the fingerprint over them) replaced. */
  static String keyless(String json) {
    return json.replaceAll("hmac-sha256:[0-9a-f]{64}", "hmac-sha256:(keyed)")
        .replaceFirst("\"fingerprint\": \"sha256:[0-9a-f]{64}\"", "\"fingerprint\": \"sha256:(over keyed markers)\"");
  }

  private static List<String> markers(String json) {
    List<String> out = new ArrayList<>();
    Matcher m = MARKER.matcher(json);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The digest an attacker can compute offline for a guess: SHA-256 over id, path and value. */
  private static String unkeyed(String id, String path, String guess) {
    MessageDigest d = Digests.sha256();
    d.update((id + "\n" + path + "\n").getBytes(StandardCharsets.UTF_8));
    d.update(Digests.canonicalJson(TextNode.valueOf(guess)));
    return Digests.format(d);
  }

  @Test
  void aGuessedSecretCannotBeConfirmedFromThePlanWithoutTheKey() {
    String json = SamplePlan.plan().toJson();
    String guess = unkeyed("Secret/default/db", "/data/password", SamplePlan.SECRET_CREATED);
    List<String> markers = markers(json);
    assertFalse(markers.isEmpty(), json);
    assertFalse(json.contains(guess.substring("sha256:".length())), "the right guess matches no marker");
    markers.forEach(m -> assertTrue(m.startsWith(RedactionKey.PREFIX), m));
  }

  @Test
  void markersDependOnTheKeyAndAreStableUnderOne() {
    RedactionKey before = RedactionKey.current();
    try {
      RedactionKey.use(RedactionKey.of("the first installation key"));
      Plan plan = SamplePlan.plan();
      String first = plan.toJson();
      assertEquals(first, SamplePlan.plan().toJson(), "same key, same markers, same fingerprint");
      RedactionKey.use(RedactionKey.of("the other installation key"));
      String other = SamplePlan.plan().toJson();
      assertNotEquals(markers(first), markers(other));
      assertEquals(keyless(first), keyless(other), "only the digests differ");
      assertEquals(plan.fingerprint(), Plan.fromJson(first).fingerprint(),
          "a plan read under another key keeps its markers and checks against itself");
    } finally {
      RedactionKey.use(before);
    }
  }

  @Test
  void aDigestIsTheHmacOfTheLengthPrefixedPartsFromAnyThread() throws Exception {
    String secret = "a key of enough length";
    byte[] id = "Secret/default/db".getBytes(StandardCharsets.UTF_8);
    byte[] value = "hunter2".getBytes(StandardCharsets.UTF_8);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    for (byte[] part : List.of(id, value)) {
      mac.update(java.nio.ByteBuffer.allocate(4).putInt(part.length).array());
      mac.update(part);
    }
    String expected = RedactionKey.PREFIX + java.util.HexFormat.of().formatHex(mac.doFinal());
    RedactionKey key = RedactionKey.of(secret);
    assertEquals(expected, key.digest(id, value));
    assertEquals(expected, key.digest(id, value), "the second digest starts from the key, not the first's state");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<String>> digests = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        byte[] other = ("value-" + i).getBytes(StandardCharsets.UTF_8);
        digests.add(pool.submit(() -> key.digest(id, other)));
        digests.add(pool.submit(() -> key.digest(id, value)));
      }
      for (int i = 0; i < digests.size(); i += 2) {
        assertEquals(expected, digests.get(i + 1).get());
        assertNotEquals(expected, digests.get(i).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aShortKeyIsRefusedAndNoKeyIsEverPrinted() {
    GitOpsException e = assertThrows(GitOpsException.class, () -> RedactionKey.of("hunter2"));
    assertEquals("the redaction key must be at least 16 characters (it is 7)", e.getMessage());
    assertEquals("RedactionKey[hidden]", RedactionKey.of("a key of enough length").toString());
  }
}

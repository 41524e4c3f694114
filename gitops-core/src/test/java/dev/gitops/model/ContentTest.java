package dev.gitops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void treesCompareAndDigestByValueWhateverTheKeyOrder() throws Exception {
    Content a = Content.tree(JSON.readTree("{\"a\":1,\"b\":{\"c\":[1,2]}}"));
    Content b = Content.tree(JSON.readTree("{\"b\":{\"c\":[1,2]},\"a\":1}"));
    assertEquals(a, b);
    assertEquals(a.digest(), b.digest());
    assertNotEquals(a.digest(), Content.tree(JSON.readTree("{\"a\":1,\"b\":{\"c\":[2,1]}}")).digest());
  }

  @Test
  void aTreeIsCopiedFromTheNodeItWasBuiltFrom() {
    ObjectNode node = JSON.createObjectNode().put("replicas", 2);
    Content.Tree tree = Content.tree(node);
    node.put("replicas", 3);
    assertEquals(2, tree.node().get("replicas").asInt());
  }

  @Test
  void bytesAreCopiedInAndOutAndComparedWithTheirMode() {
    byte[] data = "secret=1\n".getBytes(StandardCharsets.UTF_8);
    Content.Bytes file = Content.bytes(data, FileMode.REGULAR);
    data[0] = 'X';
    file.data()[0] = 'Y';
    assertEquals('s', file.data()[0]);
    assertEquals(file, Content.bytes("secret=1\n".getBytes(StandardCharsets.UTF_8), FileMode.REGULAR));
    assertNotEquals(file, file.withMode(FileMode.of(0600)));
    assertNotEquals(file.digest(), file.withMode(FileMode.of(0600)).digest());
    assertTrue(file.isText());
    assertFalse(Content.bytes(new byte[] {0, 1}, FileMode.REGULAR).isText());
  }

  @Test
  void toStringNeverPrintsTheData() throws Exception {
    Content.Bytes file = Content.bytes("password=hunter2".getBytes(StandardCharsets.UTF_8), FileMode.REGULAR);
    assertEquals("Bytes[16 bytes, 0644]", file.toString());
    Content tree = Content.tree(JSON.readTree("{\"data\":{\"password\":\"hunter2\"}}"));
    assertFalse(tree.toString().contains("hunter2"));
    Resource r = Resource.of(ResourceId.file("etc/pw"), file, new Origin("pw", 1));
    assertEquals("File//etc/pw (pw:1)", r.toString());
  }

  @Test
  void resourceEqualityIgnoresOriginAndReadsMetadata() {
    Resource a = Fixtures.configMap("web", Map.of("k", "v"), Map.of("team", "blue"));
    assertEquals(a, a.withOrigin(Origin.UNKNOWN));
    assertEquals(Map.of("team", "blue"), a.annotations());
    assertEquals(Map.of("x", "y"), Fixtures.file("a", "b").withAnnotations(Map.of("x", "y")).annotations());
  }

  @Test
  void fingerprintIsTheVersionWhenThereIsOneElseTheDigest() {
    Resource r = Fixtures.configMap("web", "1");
    assertEquals("version:42", new Observed(r, "me", "42", null).fingerprint());
    assertEquals(r.content().digest(), Observed.of(r, "me").fingerprint());
    assertTrue(Observed.of(r, "").toString().endsWith("(unowned)"));
  }
}

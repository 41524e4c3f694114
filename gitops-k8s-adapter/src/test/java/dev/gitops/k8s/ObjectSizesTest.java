package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.target.Scope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Objects too large for the API server (3 MiB of a write's body) or for etcd (its
 * {@code --max-request-bytes}, 1.5 MiB by default) are refused by a target's checks, after its read
 * and before the plan, naming file, line, resource and sizes, never a value.
 */
class ObjectSizesTest {
  private static final ActualState NOTHING = ActualState.of(List.of());

  private static DesiredState load(String yaml) {
    return new ManifestLoader().load(Snapshot.of(Revision.of("0".repeat(40)),
        Map.of("app.yaml", Content.bytes(yaml.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR))));
  }

  /** A custom resource whose {@code spec.payload} holds {@code bytes} characters of {@code text}'s kind. */
  private static String blob(int bytes, boolean random) {
    return """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: example.com/v1
        kind: Blob
        metadata: {name: big, namespace: shop}
        spec:
          payload: "%s"
        """.formatted(text(bytes, random));
  }

  /** {@code n} letters: the same one, or random ones (which no compression shrinks much). */
  private static String text(int n, boolean random) {
    if (!random) {
      return "a".repeat(n);
    }
    Random r = new Random(42);
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append((char) ('a' + r.nextInt(26)));
    }
    return s.toString();
  }

  private static List<String> problems(KubernetesTarget.Options options, DesiredState desired) {
    DesiredChecks checks = new DesiredChecks(null, KubernetesDiff.options(KubernetesSchema.builtin()), options, null);
    try {
      checks.read(Scope.owned("web"), desired, s -> NOTHING);
      return List.of();
    } catch (InvalidDesiredStateException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }

  @Test
  void theJsonMeasuredIsTheJsonTheClientWrites() throws Exception {
    JsonNode tree = Json.MAPPER.readTree("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","labels":{},"annotations":{"x":"q\\"uo\\\\te"}},
         "data":{"t":"tab\\tnew\\nline\\u0001ctl","u":"é€😀","n":[1,-2.5,1e300,true,false,null,[],{}]}}
        """);
    ObjectSizes.Size size = ObjectSizes.of(ResourceId.of("ConfigMap", "default", "a"), tree, null);
    assertEquals(Json.MAPPER.writeValueAsBytes(tree).length, size.json());
    assertEquals(Json.write(tree).getBytes(StandardCharsets.UTF_8).length, size.json());
  }

  @Test
  void aCustomResourceOverEtcdsDefaultIsRefusedWithFileLineResourceAndSizes() {
    List<String> found = problems(KubernetesTarget.Options.defaults(), load(blob(2_000_000, false)));

    assertEquals(1, found.size(), found.toString());
    String p = found.get(0);
    // its JSON, 2,000,112 bytes, and "f:metadata":{}, "f:spec":{}, "f:payload":{} of its field set, 40
    assertEquals("app.yaml:5: example.com/Blob/shop/big: at least 2000152 bytes as the API server stores it (its"
        + " JSON, and the fields server-side apply records): more than the 1572864 etcd takes in one request by"
        + " default (--max-request-bytes), so the write would fail with \"etcdserver: request is too large\"; split"
        + " the object, or raise KubernetesTarget.Options.withEtcdMaxRequestBytes when this cluster's etcd takes"
        + " more", p);
    assertFalse(p.contains("aaaa"), "never the value: " + p);
  }

  @Test
  void aClusterWhoseEtcdTakesMoreTakesItButNeverPastTheApiServersBodyLimit() {
    KubernetesTarget.Options raised = KubernetesTarget.Options.defaults().withEtcdMaxRequestBytes(8L << 20);
    assertEquals(List.of(), problems(raised, load(blob(2_000_000, false))));
    assertEquals(List.of(), problems(KubernetesTarget.Options.defaults().withEtcdMaxRequestBytes(0),
        load(blob(2_000_000, false))), "0: no check of etcd's limit");

    List<String> found = problems(raised, load(blob(3_200_000, false)));
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).matches("app\\.yaml:5: example\\.com/Blob/shop/big: 3200\\d\\d\\d bytes of JSON in a write's"
        + " body: the API server reads at most 3145728 \\(3 MiB\\) of one and answers 413; .*"), found.get(0));
  }

  @Test
  void justUnderTheLimitIsTaken() {
    assertEquals(List.of(), problems(KubernetesTarget.Options.defaults(), load(blob(1_500_000, false))));
  }

  /**
   * A built-in kind is stored in protobuf, without its field names: only its text counts, and a
   * Secret's data decoded. 1.2 MB of base64 is 0.9 MB stored.
   */
  @Test
  void aBuiltinKindCountsItsTextAndASecretsDataDecoded() {
    String secret = """
        apiVersion: v1
        kind: Secret
        metadata: {name: keys, namespace: shop}
        data:
          a: %s
          b: %s
        """;
    String half = java.util.Base64.getEncoder().encodeToString(text(450_000, true).getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(), problems(KubernetesTarget.Options.defaults(), load(secret.formatted(half, half))));
    List<String> found = problems(KubernetesTarget.Options.defaults().withEtcdMaxRequestBytes(800_000),
        load(secret.formatted(half, half)));
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).startsWith("app.yaml:1: Secret/shop/keys: at least 900"), found.get(0));
    assertTrue(found.get(0).contains("(its text, in protobuf, and the fields server-side apply records)"), found.get(0));
    assertFalse(found.get(0).contains(half.substring(0, 16)), "never the value");
  }

  @Test
  void underJsonPatchTheRecordCountsWithTheAnnotations() {
    String yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: notes
          namespace: shop
          annotations:
            long: "%s"
        data:
          more: "%s"
        """.formatted(text(250_000, false), text(60_000, true));
    KubernetesTarget.Options jsonPatch = KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH);
    assertEquals(List.of(), problems(KubernetesTarget.Options.defaults(), load(yaml)), "no record under server-side apply");

    List<String> found = problems(jsonPatch, load(yaml));
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).matches("app\\.yaml:1: ConfigMap/shop/notes: metadata\\.annotations: 250004 bytes, and"
        + " \\d+ more with the last-applied record of JSON_PATCH: the API server takes at most 262144 \\(256 KiB\\)"
        + " in all and refuses the object; .*"), found.get(0));
  }

  @Test
  void underJsonPatchARecordTooLargeIsRefusedBeforeTheFirstWrite() {
    KubernetesTarget.Options jsonPatch = KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH);
    List<String> found = problems(jsonPatch, load(blob(400_000, true)));
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).matches("app\\.yaml:5: example\\.com/Blob/shop/big: its last-applied record takes \\d+"
        + " bytes \\(compressed\\), more than the 204800 that JSON_PATCH records; use ApplyStrategy\\.SERVER_SIDE"),
        found.get(0));
  }
}

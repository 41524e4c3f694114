package dev.gitops.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.internal.Digests;
import dev.gitops.internal.diff.SecretValues;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Wave;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprintsTest {
  /** The definition: SHA-256 over length-prefixed UTF-8 fields, one digest update per field. */
  private static String reference(String owner, List<Wave> waves) {
    PlanJsonWriter writer = new PlanJsonWriter(SecretValues.with(List.of()));
    MessageDigest d = Digests.sha256();
    field(d, "gitops-plan-1");
    field(d, owner);
    for (Wave w : waves) {
      field(d, "wave " + w.index() + " " + w.actions().size());
      for (Action a : w.actions()) {
        if (a instanceof Action.NoOp noop) {
          field(d, "noop");
          field(d, noop.id().toString());
        } else {
          field(d, a.kind().word());
          field(d, writer.canonicalAction(a));
        }
      }
    }
    return Digests.format(d);
  }

  private static void field(MessageDigest d, String text) {
    field(d, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void field(MessageDigest d, byte[] bytes) {
    int n = bytes.length;
    d.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    d.update(bytes);
  }

  @Test
  void bufferedFingerprintIsTheDigestOfTheLengthPrefixedFields() {
    List<Action> noops = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      ResourceId id = new ResourceId(i % 2 == 0 ? "" : "apps", "Deployment", "ns-" + i, "web-" + i);
      noops.add(new Action.NoOp(id, ResourceDiff.none(id)));
    }
    ResourceId odd = ResourceId.of("ConfigMap", "prod", "café-ñ-名前");
    noops.add(new Action.NoOp(odd, ResourceDiff.none(odd)));
    ResourceId longName = ResourceId.of("ConfigMap", "prod", "x".repeat(20_000));
    noops.add(new Action.NoOp(longName, ResourceDiff.none(longName)));
    ObjectNode big = JsonNodeFactory.instance.objectNode();
    big.put("apiVersion", "v1").put("kind", "ConfigMap").putObject("metadata").put("name", "big");
    big.putObject("data").put("blob", "y".repeat(40_000));
    Action create = new Action.Create(Resource.of(ResourceId.of("ConfigMap", "prod", "big"),
        Content.tree(big)));
    List<Wave> waves = List.of(new Wave(0, noops), new Wave(1, List.of(create)));

    String fingerprint = Fingerprints.of("gitops", waves, List.of());

    assertEquals(reference("gitops", waves), fingerprint);
    assertNotEquals(fingerprint, Fingerprints.of("other", waves, List.of()));

    // The same fields written while planning (in another order than the waves read them).
    IdFields ids = new IdFields(1);
    int[] steps = new int[noops.size()];
    for (int i = noops.size() - 1; i >= 0; i--) {
      steps[i] = ids.size();
      ids.add(noops.get(i).id());
    }
    WaveBuilder.Ordered ordered = new WaveBuilder.Ordered(waves, Arrays.asList(steps, null));
    assertEquals(fingerprint, Fingerprints.of("gitops", ordered, ids, List.of()));
  }
}

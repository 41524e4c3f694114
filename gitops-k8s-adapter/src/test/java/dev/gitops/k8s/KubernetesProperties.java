package dev.gitops.k8s;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import dev.gitops.model.ResourceId;
import java.util.Iterator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Laws of the three-way patch, the normaliser and quantities, over small generated trees. */
class KubernetesProperties {
  private static final String[] KEYS = {"a", "b", "c", "x/y", "replicas", "port"};
  private static final ResourceId ID = new ResourceId("apps", "Deployment", "ns", "web");

  /** A small random object tree: up to 4 keys a level, depth up to 3, ints, strings, nulls. */
  static ObjectNode tree(long seed) {
    return object(new Random(seed), 0);
  }

  private static ObjectNode object(Random r, int depth) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      String k = KEYS[r.nextInt(KEYS.length)];
      int kind = r.nextInt(depth >= 2 ? 3 : 5);
      switch (kind) {
        case 0 -> o.put(k, r.nextInt(4));
        case 1 -> o.put(k, "v" + r.nextInt(3));
        case 2 -> o.put(k, Integer.toString(r.nextInt(3)));
        default -> o.set(k, object(r, depth + 1));
      }
    }
    return o;
  }

  @Test
  void patchTakesLiveToEverythingDesiredSetsAndRemovesWhatLeftIt() {
    qt().withExamples(1000).forAll(longs().all(), longs().all(), longs().all())
        .check((d, a, l) -> {
          ObjectNode desired = tree(d);
          ObjectNode live = tree(a);
          ObjectNode last = tree(l);
          JsonNode result = JsonPatch.apply(ThreeWayPatch.of(desired, live, last, null), live);
          return ThreeWayPatch.subsetEquals(desired, result) && removed(desired, last, result)
              && kept(desired, last, live, result);
        });
  }

  @Test
  void aSecondPatchIsEmpty() {
    qt().withExamples(1000).forAll(longs().all(), longs().all(), longs().all())
        .check((d, a, l) -> {
          ObjectNode desired = tree(d);
          JsonNode once = JsonPatch.apply(ThreeWayPatch.of(desired, tree(a), tree(l), null), tree(a));
          return ThreeWayPatch.of(desired, once, desired, null).isEmpty();
        });
  }

  @Test
  void normalisingIsIdempotent() {
    KubernetesNormalizer n = new KubernetesNormalizer();
    qt().withExamples(1000).forAll(longs().all()).check(seed -> {
      JsonNode once = n.normalize(ID, tree(seed));
      return n.normalize(ID, once).equals(once);
    });
  }

  @Test
  void quantitiesInBinaryAndDecimalUnitsAgree() {
    qt().withExamples(1000).forAll(integers().between(0, 100_000)).check(i ->
        Quantities.canonical(i + "Gi").equals(Quantities.canonical((i * 1024L) + "Mi"))
            && Quantities.canonical(i + "").equals(Quantities.canonical((i * 1000L) + "m"))
            && Quantities.canonical(i + "k").equals(Quantities.canonical(i + "e3")));
  }

  /** Top-level keys last applied and no longer desired are gone (nested: same law, recursively). */
  private static boolean removed(JsonNode desired, JsonNode last, JsonNode result) {
    for (Iterator<String> it = last.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!desired.has(k) && result.has(k)) {
        return false;
      }
      if (desired.path(k).isObject() && last.get(k).isObject() && result.path(k).isObject()
          && !removed(desired.get(k), last.get(k), result.get(k))) {
        return false;
      }
    }
    return true;
  }

  /** Top-level keys only the live object has (never applied, not desired) are kept as they were. */
  private static boolean kept(JsonNode desired, JsonNode last, JsonNode live, JsonNode result) {
    for (Iterator<String> it = live.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!desired.has(k) && !last.has(k) && !live.get(k).equals(result.get(k))) {
        return false;
      }
    }
    return true;
  }
}

package dev.gitops.benchmarks.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.benchmarks.RepoRoot;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StateGeneratorTest {
  private static Templates templates;

  @BeforeAll
  static void loadFixtures() {
    Optional<Path> fixtures = RepoRoot.k8sFixtures();
    assumeTrue(fixtures.isPresent(), "shared/fixtures/k8s not found above user.dir: skipping");
    templates = Templates.load(fixtures.get());
  }

  @Test
  void sameSeedGivesEqualStates() {
    StateGenerator generator = new StateGenerator(templates);
    GeneratedStates a = generator.generate(600, 10, 7L, true);
    GeneratedStates b = generator.generate(600, 10, 7L, true);
    assertEquals(a.desired(), b.desired());
    assertEquals(a.actual(), b.actual());
    assertEquals(a.strippedActual(), b.strippedActual());
    assertEquals(a.compactJsonBytes(), b.compactJsonBytes());
  }

  @Test
  void idOrderIsTheOrderThePlanMeetsThePairsIn() {
    GeneratedStates s = new StateGenerator(templates).generate(800, 0, 5L, true);
    int[] order = s.idOrder();
    int k = 0;
    boolean[] seen = new boolean[order.length];
    for (Resource r : s.desired().resources()) {
      assertSame(((Content.Tree) r.content()).node(), s.desiredTrees().get(order[k]));
      assertFalse(seen[order[k]], "index " + order[k] + " twice");
      seen[order[k++]] = true;
    }
    assertEquals(order.length, k);
    boolean shuffled = false;
    for (int i = 0; i < order.length; i++) {
      shuffled |= order[i] != i;
    }
    assertTrue(shuffled, "generation order is random by id, so id order differs from it");
  }

  @Test
  void otherSeedGivesOtherStates() {
    StateGenerator generator = new StateGenerator(templates);
    assertNotEquals(generator.generate(300, 0, 1L, false).actual(),
        generator.generate(300, 0, 2L, false).actual());
  }

  @Test
  void onePercentChangedDiffersInExactlyThatManyStrippedPairs() {
    GeneratedStates s = new StateGenerator(templates).generate(1000, 10, 3L, true);
    assertEquals(1000, s.desired().size());
    assertEquals(1000, s.actual().size());
    assertEquals(10, s.changed());
    int differing = 0;
    for (int i = 0; i < s.desiredTrees().size(); i++) {
      assertNotSame(s.desiredTrees().get(i), s.strippedActual().get(i));
      differing += s.desiredTrees().get(i).equals(s.strippedActual().get(i)) ? 0 : 1;
    }
    assertEquals(10, differing);
  }

  @Test
  void actualSideCarriesServerPopulatedFieldsAsTheKubernetesTargetReadsThem() {
    GeneratedStates s = new StateGenerator(templates).generate(400, 0, 5L, false);
    boolean sawDeploymentDefaults = false;
    for (Observed o : s.actual().observed()) {
      JsonNode tree = ((Content.Tree) o.resource().content()).node();
      JsonNode meta = tree.path("metadata");
      assertTrue(meta.path("uid").isTextual() && meta.path("creationTimestamp").isTextual(),
          o.toString());
      // As KubernetesTarget reads: status and managedFields are served but not kept.
      assertFalse(meta.has("managedFields") || tree.has("status"), o.toString());
      assertEquals(meta.path("resourceVersion").asText(), o.version());
      assertEquals("gitops", o.owner());
      sawDeploymentDefaults |= o.id().kind().equals("Deployment")
          && tree.path("spec").path("progressDeadlineSeconds").isInt()
          && tree.path("spec").path("template").path("spec").path("dnsPolicy").isTextual();
    }
    assertTrue(sawDeploymentDefaults, "no Deployment with server defaults");
    for (Resource r : s.desired().resources()) {
      JsonNode tree = ((Content.Tree) r.content()).node();
      JsonNode meta = tree.path("metadata");
      assertFalse(meta.has("managedFields") || meta.has("uid") || meta.has("resourceVersion"),
          r.toString());
    }
  }
}

package dev.gitops.benchmarks.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScalingGoalTest {
  private static Results results(double plan10k, double equals10k, double plan100k, double equals100k) {
    Results r = new Results();
    r.time("plan", 10_000, 0, plan10k, 0);
    r.time("jsonNodeEquals", 10_000, 0, equals10k, 0);
    r.time("plan", 100_000, 0, plan100k, 0);
    r.time("jsonNodeEquals", 100_000, 0, equals100k, 0);
    return r;
  }

  @Test
  void growthOfTheLowerBoundItselfIsNotCountedAgainstThePlan() {
    // The lower bound grows 16x under load, the plan with it: the same 1.6x ratio at both sizes.
    var goal = EngineBenchmarks.scaling(results(32, 20, 512, 320));
    assertEquals(1.0, goal.ratio(), 1e-9);
    assertTrue(goal.met(), goal::line);
  }

  @Test
  void growthOfOurOwnWorkIsAMiss() {
    // The plan is 1.6x its bound at 10,000 but 2.0x at 100,000: 1.25x growth of our own work.
    var goal = EngineBenchmarks.scaling(results(32, 20, 400, 200));
    assertEquals(1.25, goal.ratio(), 1e-9);
    assertFalse(goal.met(), goal::line);
    assertEquals("scaling: plan/JsonNode.equals at 100,000 vs at 10,000 objects: 2.00x vs 1.60x"
        + " = 1.25x (goal <= 1.1x) MISS", goal.line());
  }
}

package dev.gitops.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GoalTest {
  @Test
  void lineHasTheFormatTheRunScriptCollects() {
    assertEquals("plan 10,000 objects (0% changed): 41.20 ms vs JsonNode.equals 20.60 ms = 2.00x (goal <= 2x) PASS",
        Goal.ofMillis("plan 10,000 objects (0% changed)", 41.2, "JsonNode.equals", 20.6, 2).line());
  }

  @Test
  void ratioOverTheLimitIsAMiss() {
    assertEquals("load: 1.50 s vs yaml 1.00 s = 1.50x (goal <= 1.3x) MISS",
        Goal.ofMillis("load", 1500, "yaml", 1000, 1.3).line());
  }

  @Test
  void sizesAndDurationsPrintWithReadableUnits() {
    assertEquals("812 us", Goal.millis(0.812));
    assertEquals("3.05 s", Goal.millis(3050));
    assertEquals("1.5 GiB", Goal.bytes(1.5 * 1024 * 1024 * 1024));
  }

  @Test
  void negativeRatioIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Goal("x", "1", "2", -1, 2));
  }
}

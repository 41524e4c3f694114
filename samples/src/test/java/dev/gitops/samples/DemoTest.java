package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
  @Test
  void demoRunsToTheEndAndNeverPrintsTheSecret(@TempDir Path tmp) {
    Cli demo = Cli.run("demo", "--workdir", tmp.toString());
    assertEquals(0, demo.exit(), demo::toString);
    assertTrue(demo.out().contains("-- 5."), demo::toString);
    assertTrue(demo.out().contains("workers = 4"), "the commit was applied: " + demo);
    assertTrue(demo.out().contains("drift found"), demo::toString);
    assertTrue(demo.out().contains("workers = 2"), "the push deploy went back to v1: " + demo);
    assertTrue(demo.out().contains(", 0 of them writes."), demo::toString);
    assertFalse(demo.out().contains("s3cr3t-demo-value") || demo.err().contains("s3cr3t-demo-value"),
        "a Secret value was printed: " + demo);
  }
}

package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.gitops.ssh.FilesTarget;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C (SIGINT, sent with kill(1) to a real {@code gitops push}) while a step is in flight: the step
 * finishes, the lock is released, the report says what was applied, and the process exits 130 with no
 * stack trace, as terraform stops.
 */
class InterruptedPushIT extends RepoAndSite {
  /** SIGINT ignored here is ignored in the child too (exec keeps it), and then the JVM never sees it. */
  private static boolean sigintIgnored() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
      }
    }
    return false;
  }

  @Test
  void ctrlCFinishesTheStepInFlightReleasesTheLockReportsAndExits130() throws Exception {
    assumeFalse(sigintIgnored(), "SIGINT is ignored by this process, so by the command it starts");
    Path entered = fifo("entered");
    Path release = fifo("release");
    Path finished = tmp.resolve("finished");
    repo.write("site/app.conf", "workers = 2\n").write("site/.gitops.yaml", "handlers:\n  - name: hold\n"
        + "    command: \"echo in > '" + entered + "'; cat '" + release + "' > /dev/null; touch '" + finished + "'\"\n"
        + "    watch: [\"*.conf\"]\n").commit("one");
    Path out = tmp.resolve("out.txt");
    Process child = new ProcessBuilder(Cli.inChildJvm(args("push", "--yes"))).redirectOutput(out.toFile()).start();
    List<String> err = new ArrayList<>();
    try (BufferedReader stderr = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
      if (!handlerEntered(entered, child)) {
        fail("the push ended before its handler ran: " + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start().waitFor());
      for (String line = stderr.readLine(); line != null; line = stderr.readLine()) {
        err.add(line);
        if (line.startsWith("Interrupted: finishing the steps in flight")) {
          break; // the command took the signal while the handler still runs
        }
      }
      try (RandomAccessFile w = new RandomAccessFile(release.toFile(), "rw")) { // O_RDWR: never blocks
        w.write("go\n".getBytes(StandardCharsets.UTF_8));
      }
      stderr.lines().forEach(err::add);
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the command ended");
    String all = "exit " + child.exitValue() + "\n--- out\n" + Files.readString(out) + "--- err\n" + String.join("\n", err);
    assertEquals(130, child.exitValue(), all);
    assertTrue(Files.exists(finished), "the step in flight ran to its end: " + all);
    assertEquals(java.util.Optional.empty(), FilesTarget.local(site).lockedBy(), "the lock is released: " + all);
    assertTrue(Files.readString(out).contains("Applied: 2 applied"), "the report says what was applied: " + all);
    assertTrue(err.contains("Interrupted: stopped after the steps in flight; the lock is released."), all);
    assertFalse(all.contains("\tat ") || all.contains("Exception"), "no stack trace: " + all);
  }
}

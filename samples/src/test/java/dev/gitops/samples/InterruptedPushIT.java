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
 * stack trace, as terraform stops. A second signal while the step still runs ends the process at once
 * (terraform's second interrupt), with the signal's exit code, the lock left and named for {@code gitops unlock}.
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

  private Path release;
  private Path finished;
  private Path out;

  /** Starts {@code gitops push --yes} whose one step's handler holds until {@link #releaseHandler()}; returns once it runs. */
  private Process pushHeldInItsHandler() throws Exception {
    assumeFalse(sigintIgnored(), "SIGINT is ignored by this process, so by the command it starts");
    Path entered = fifo("entered");
    release = fifo("release");
    finished = tmp.resolve("finished");
    repo.write("site/app.conf", "workers = 2\n").write("site/.gitops.yaml", "handlers:\n  - name: hold\n"
        + "    command: \"echo in > '" + entered + "'; cat '" + release + "' > /dev/null; touch '" + finished + "'\"\n"
        + "    watch: [\"*.conf\"]\n").commit("one");
    out = tmp.resolve("out.txt");
    Process child = new ProcessBuilder(Cli.inChildJvm(args("push", "--yes"))).redirectOutput(out.toFile()).start();
    if (!handlerEntered(entered, child)) {
      fail("the push ended before its handler ran: " + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return child;
  }

  private void releaseHandler() throws Exception {
    try (RandomAccessFile w = new RandomAccessFile(release.toFile(), "rw")) { // O_RDWR: never blocks
      w.write("go\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void kill(String signal, Process child) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start().waitFor());
  }

  /** Reads {@code stderr} into {@code err} up to the line that says the command took the first signal. */
  private static void untilInterrupted(BufferedReader stderr, List<String> err) throws Exception {
    for (String line = stderr.readLine(); line != null; line = stderr.readLine()) {
      err.add(line);
      if (line.startsWith("Interrupted: finishing the steps in flight")) {
        return; // the command took the signal while the handler still runs
      }
    }
  }

  private String all(Process child, List<String> err) throws Exception {
    return "exit " + child.exitValue() + "\n--- out\n" + Files.readString(out) + "--- err\n" + String.join("\n", err);
  }

  @Test
  void ctrlCFinishesTheStepInFlightReleasesTheLockReportsAndExits130() throws Exception {
    Process child = pushHeldInItsHandler();
    List<String> err = new ArrayList<>();
    try (BufferedReader stderr = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
      kill("INT", child);
      untilInterrupted(stderr, err);
      releaseHandler();
      stderr.lines().forEach(err::add);
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the command ended");
    String all = all(child, err);
    assertEquals(130, child.exitValue(), all);
    assertTrue(Files.exists(finished), "the step in flight ran to its end: " + all);
    assertEquals(java.util.Optional.empty(), FilesTarget.local(site).lockedBy(), "the lock is released: " + all);
    assertTrue(Files.readString(out).contains("Applied: 2 applied"), "the report says what was applied: " + all);
    assertTrue(err.contains("Interrupted: stopped after the steps in flight; the lock is released."), all);
    assertFalse(all.contains("\tat ") || all.contains("Exception"), "no stack trace: " + all);
  }

  @Test
  void aSecondCtrlCEndsTheCommandAtOnceWith130LeavingTheLockForUnlock() throws Exception {
    secondSignalEndsTheCommandAtOnce("INT", 130);
  }

  @Test
  void aSecondSigtermEndsTheCommandAtOnceWith143() throws Exception {
    secondSignalEndsTheCommandAtOnce("TERM", 143);
  }

  /** First SIGINT, then {@code second} while the step still runs: the process ends with {@code code}, not waiting. */
  private void secondSignalEndsTheCommandAtOnce(String second, int code) throws Exception {
    Process child = pushHeldInItsHandler();
    List<ProcessHandle> handler = child.descendants().toList(); // outlives the command, until released
    List<String> err = new ArrayList<>();
    try (BufferedReader stderr = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
      kill("INT", child);
      untilInterrupted(stderr, err);
      kill(second, child);
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the command ended with its step still held: " + err);
      stderr.lines().forEach(err::add);
      String all = all(child, err);
      assertEquals(code, child.exitValue(), all);
      assertFalse(Files.exists(finished), "the step in flight did not end first: " + all);
      assertEquals(child.pid(), FilesTarget.local(site).lockedBy().orElseThrow().pid(), "the lock is left: " + all);
      assertTrue(err.contains("Two interrupts received. Exiting immediately. Note that data loss may have occurred."), all);
      assertTrue(all.contains("the target's lock is left behind: once no deploy runs, release it with: gitops unlock"
          + " --force --target dir:" + site + " --owner web"), all);
      assertFalse(Files.readString(out).contains("Applied:"), "no report: " + all);
      assertFalse(all.contains("\tat ") || all.contains("Exception"), "no stack trace: " + all);
    } finally {
      releaseHandler(); // the orphaned handler ends, before the test's folder goes
      for (ProcessHandle process : handler) {
        process.onExit().get(60, TimeUnit.SECONDS);
      }
      if (child.isAlive()) { // a second signal it did not hear
        child.destroyForcibly().waitFor();
      }
    }
  }
}

package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Outcome;
import dev.gitops.model.Handler;
import dev.gitops.model.Origin;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Handlers are bounded on every host: past the target's handler timeout the host ends the
 * handler's whole process group (what it started in the background too), the step fails naming the
 * timeout, and the handler is not started again. Run over every kind of {@link Host} by
 * {@link FilesTargetSuite}.
 */
interface HandlerTimeoutContract extends FilesTargetContract {

  /**
   * True while process {@code pid} runs and nothing ends it: false once it is gone, a zombie (it
   * only waits to be reaped), or holds a pending TERM or KILL (delivered, it dies when next
   * scheduled — on a busy machine that can be after the handler's step has returned).
   */
  private static boolean running(long pid) throws Exception {
    Path proc = Path.of("/proc/" + pid);
    try {
      String stat = Files.readString(proc.resolve("stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state == 'Z' || state == 'X') {
        return false;
      }
      long ending = (1L << (15 - 1)) | (1L << (9 - 1));
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("SigPnd:") || line.startsWith("ShdPnd:")) {
          if ((Long.parseUnsignedLong(line.substring(7).strip(), 16) & ending) != 0) {
            return false;
          }
        }
      }
      return true;
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
  }

  @Test
  default void aHandlerPastItsTimeoutIsEndedWithWhatItStartedAndNotRunAgain() throws Exception {
    FilesTarget bounded = FilesTarget.of(files().host(), root().toString(),
        FilesTarget.Options.defaults().withHandlerTimeout(Duration.ofSeconds(1)));
    String command = "echo started >> runs.txt; sh -c 'echo $$ > child.pid; exec sleep 30' & "
        + "echo $$ > handler.pid; wait";
    Action.Run run = new Action.Run(new Handler("slow", command, List.of("**"), Origin.UNKNOWN),
        List.of(ResourceId.file("x")));
    ApplyReport report = Reconcile.apply(bounded,
        new Plan(OWNER, "", List.of(new Wave(0, List.of(run))), "sha256:test"));

    assertEquals(Outcome.Kind.FAILED, report.outcomes().get(0).kind(), report::toString);
    String message = report.failures().get(0).cause().getMessage();
    assertTrue(message.contains("handler slow timed out after PT1S on " + files().host().describe()
        + ": its process group was ended"), message);
    assertEquals(List.of("started"), Files.readAllLines(root().resolve("runs.txt")), "started once, not retried");
    for (String pidFile : List.of("handler.pid", "child.pid")) {
      long pid = Long.parseLong(Files.readString(root().resolve(pidFile)).strip());
      assertFalse(running(pid), pidFile + ": " + pid + " still runs");
    }
  }

  /** Runs {@code command} as handler {@code name} with a handler timeout of {@code timeout}. */
  private ApplyReport runHandler(String name, String command, Duration timeout) {
    FilesTarget bounded = FilesTarget.of(files().host(), root().toString(),
        FilesTarget.Options.defaults().withHandlerTimeout(timeout));
    Action.Run run = new Action.Run(new Handler(name, command, List.of("**"), Origin.UNKNOWN),
        List.of(ResourceId.file("x")));
    return Reconcile.apply(bounded, new Plan(OWNER, "", List.of(new Wave(0, List.of(run))), "sha256:test"));
  }

  /** The pid the handler wrote to {@code file} in the root. */
  private long pid(String file) throws Exception {
    return Long.parseLong(Files.readString(root().resolve(file)).strip());
  }

  @Test
  default void aChildTheHandlerLeftInTheBackgroundIsEndedWithItAndHoldsNothingUp() throws Exception {
    // the child keeps the handler's standard output and error open for two minutes: a read of them
    // to their end would wait that long (over SSH, the channel stays open while a process holds them)
    String command = "sh -c 'echo $$ > child.pid; exec sleep 120' & "
        + "while [ ! -s child.pid ]; do sleep 0.05; done; echo reloaded";
    ApplyReport report = runHandler("reload", command, Duration.ofSeconds(2));

    assertEquals(Outcome.Kind.APPLIED, report.outcomes().get(0).kind(), report::toString);
    assertEquals("reloaded", ((Outcome.Applied) report.outcomes().get(0)).detail());
    assertFalse(running(pid("child.pid")), "the child the handler left runs on");
  }

  @Test
  default void aChildThatLeftTheHandlersProcessGroupHoldsNothingUp() throws Exception {
    // setsid: a session and process group of its own, so no signal to the handler's group reaches it
    String command = "setsid sh -c 'echo $$ > child.pid; exec sleep 120' & "
        + "while [ ! -s child.pid ]; do sleep 0.05; done; echo reloaded";
    try {
      ApplyReport report = runHandler("reload", command, Duration.ofSeconds(2));

      assertEquals(Outcome.Kind.APPLIED, report.outcomes().get(0).kind(), report::toString);
      assertEquals("reloaded", ((Outcome.Applied) report.outcomes().get(0)).detail());
      // found by the run's mark in its environment: locally by LocalHost, remotely by the wrapper (/proc)
      assertFalse(running(pid("child.pid")), "every process the run left is stopped: it runs on");
    } finally {
      if (Files.exists(root().resolve("child.pid"))) {
        ProcessHandle.of(pid("child.pid")).ifPresent(ProcessHandle::destroyForcibly); // when the test failed
      }
    }
  }
}

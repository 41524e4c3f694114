package dev.gitops.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.ssh.FileTreeLoader;
import dev.gitops.ssh.FilesTarget;
import dev.gitops.target.Health;
import dev.gitops.target.TargetException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Once a signal stopped the command, no step starts, health waits end, and the lock stays reachable. */
class SignalStopTest {
  @TempDir Path site;

  @Test
  void afterASignalNoStepStartsAndTheExitCodeIs130() {
    StringWriter err = new StringWriter();
    Binding binding = new Binding(FilesTarget.local(site), FileTreeLoader.root(), ApplyOptions.defaults(), List.of());
    try (SignalStop stop = new SignalStop(new PrintWriter(err, true), "unlock", code -> fail("halted"))) {
      Binding guarded = stop.guard(binding);
      assertTrue(guarded.target().lockable("web").isPresent(), "the lock passes through the guard");
      assertEquals(0, stop.exit(0));
      stop.close(); // the command ended: the hook (run below as a signal would) returns at once
      stop.stop();
      Action step = new Action.Delete(ResourceId.file("a.txt"), "");
      TargetException e = assertThrows(TargetException.class, () -> guarded.target().applyWithDetail(step, "web"));
      assertTrue(e.getMessage().contains(SignalStop.NOT_APPLIED), e::getMessage);
      assertEquals(Health.Status.UNKNOWN, guarded.target().health(ResourceId.file("a.txt")).status(), "a health wait ends");
      assertEquals(130, stop.exit(0));
      assertEquals(130, stop.exit(1));
    }
    assertTrue(err.toString().contains("Interrupted: stopped after the steps in flight; the lock is released."), err::toString);
  }

  @Test
  void aSecondSignalWhileTheCommandRunsSaysWhatIsLeftAndHaltsWithThatSignalsCode() {
    StringWriter err = new StringWriter();
    List<Integer> halts = new ArrayList<>();
    SignalStop stop = new SignalStop(new PrintWriter(err, true), SignalStop.unlock("dir:/srv/site", "web"), halts::add);
    stop.forced(2);
    stop.forced(15);
    assertEquals(List.of(130, 143), halts);
    String said = SignalStop.FORCED + System.lineSeparator() + "The steps in flight may be cut short and the target's"
        + " lock is left behind: once no deploy runs, release it with: gitops unlock --force --target dir:/srv/site"
        + " --owner web" + System.lineSeparator();
    assertEquals(said + said, err.toString());

    stop.close(); // the command ended (a second signal while the hook returns): nothing more to say
    stop.forced(2);
    assertEquals(List.of(130, 143, 130), halts);
    assertEquals(said + said, err.toString());
  }
}

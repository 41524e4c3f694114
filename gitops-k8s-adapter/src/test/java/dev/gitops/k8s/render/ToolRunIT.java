package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.DesiredState;
import dev.gitops.source.LoaderContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A render tool that leaves processes behind: every one of them is stopped when the tool exits or
 * times out, and none that holds the tool's stdout makes the read wait past the timeout.
 */
class ToolRunIT {
  private static final String CONFIG_MAP = "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: web\\n'";
  private static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir Path bin;

  @AfterEach
  void killLeftovers() throws IOException {
    try (var pids = Files.list(bin)) {
      pids.filter(p -> p.getFileName().toString().endsWith(".pid")).forEach(p -> pid(p).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  @Test
  void aBackgroundChildThatLetGoOfTheOutputIsStoppedWhenTheToolExits() throws IOException {
    Path script = Tools.script(bin, "bg.sh", "sleep 600 >/dev/null 2>&1 </dev/null & echo $! > " + bin + "/bg.pid\n"
        + CONFIG_MAP);
    DesiredState state = assertTimeoutPreemptively(BOUND, () -> CommandRenderer.of(List.of(script.toString())).load(
        LoaderContract.snapshot()));
    assertEquals(1, state.size());
    assertStopped("bg.pid");
  }

  @Test
  void aBackgroundChildHoldingTheOutputNeitherBlocksTheReadNorSurvives() throws IOException {
    Path script = Tools.script(bin, "hold.sh", "sleep 600 & echo $! > " + bin + "/hold.pid\n" + CONFIG_MAP);
    DesiredState state = assertTimeoutPreemptively(BOUND, () -> CommandRenderer.of(List.of(script.toString()))
        .withTimeout(Duration.ofSeconds(120)).load(LoaderContract.snapshot()));
    assertEquals(1, state.size());
    assertStopped("hold.pid");
  }

  @Test
  void aDaemonInItsOwnSessionWhoseParentExitedIsStoppedToo() throws IOException {
    Path script = Tools.script(bin, "daemon.sh", "setsid sh -c 'sleep 600 >/dev/null 2>&1 </dev/null & echo $! > "
        + bin + "/daemon.pid'\n" + CONFIG_MAP);
    DesiredState state = assertTimeoutPreemptively(BOUND, () -> CommandRenderer.of(List.of(script.toString())).load(
        LoaderContract.snapshot()));
    assertEquals(1, state.size());
    assertStopped("daemon.pid");
  }

  @Test
  void aTimeoutStopsAnOrphanHoldingTheOutputAndReturnsAtTheTimeout() throws IOException {
    Path script = Tools.script(bin, "slow.sh", "(setsid sleep 600 & echo $! > " + bin + "/orphan.pid)\n"
        + "echo $$ > " + bin + "/slow.pid\nexec sleep 600");
    RenderException e = assertThrows(RenderException.class, () -> assertTimeoutPreemptively(BOUND,
        () -> CommandRenderer.of(List.of(script.toString())).withTimeout(Duration.ofMillis(1500))
            .load(LoaderContract.snapshot())));
    assertTrue(e.getMessage().contains("slow.sh did not finish within 1500 ms"), e.getMessage());
    assertStopped("orphan.pid");
    assertStopped("slow.pid");
  }

  private void assertStopped(String pidFile) {
    Optional<ProcessHandle> left = pid(bin.resolve(pidFile));
    assertTrue(Files.exists(bin.resolve(pidFile)), "the script never wrote " + pidFile);
    left.ifPresent(h -> {
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // checked below
      }
      assertFalse(h.isAlive(), "process " + h.pid() + " outlived the render");
    });
  }

  private static Optional<ProcessHandle> pid(Path file) {
    try {
      return ProcessHandle.of(Long.parseLong(Files.readString(file).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}

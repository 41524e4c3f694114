package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exit status a command reports on its standard error ({@link ExitReport}): what the
 * remote {@code sh} writes, run here as an SSH server runs our line, whatever the command does to
 * its shell, and what is read back from it.
 */
class ExitReportTest {
  /** Runs {@code argv} as {@link SystemSshHost} sends it, through {@code sh -c LINE} with the report's header. */
  private static Host.Result run(ExitReport report, List<String> argv, String stdin) throws IOException {
    return Processes.run(List.of("sh", "-c", Shell.LINE), report.header(argv), stdin.getBytes(StandardCharsets.UTF_8),
        Duration.ofMinutes(1), "sh", ExitReport.room(Integer.MAX_VALUE));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void theStatusIsReportedWhateverTheCommandDoesToItsShell() throws IOException {
    String[][] cases = {
        {"0", "cat"},
        {"7", "cat; exit 7"},
        {"255", "cat; exit 255"},
        {"5", "exec sh -c 'cat; exit 5'"},
        {"4", "trap 'echo trapped' EXIT; cat; exit 4"},
        {"3", "exec 2>/dev/null; cat; exit 3"},
    };
    for (String[] c : cases) {
      ExitReport report = ExitReport.next();
      Host.Result raw = run(report, List.of("sh", "-c", c[1] + "\n", "name"), "input");
      Host.Result r = report.result(raw, Integer.MAX_VALUE);
      assertEquals(Integer.parseInt(c[0]), raw.exitCode(), c[1] + ": the shell exits with it");
      assertEquals(Integer.parseInt(c[0]), r.exitCode(), c[1] + ": reported");
      assertEquals(text(raw.stdout()), text(r.stdout()));
      assertEquals("", text(r.stderr()), c[1] + ": only the report was on standard error");
    }
    ExitReport exec = ExitReport.next();
    Host.Result r = exec.result(run(exec, List.of("false"), ""), Integer.MAX_VALUE);
    assertEquals(1, r.exitCode(), "an exec'd program's status");
  }

  @Test
  void theCommandsOwnStandardErrorIsKeptAsItWas() throws IOException {
    ExitReport report = ExitReport.next();
    Host.Result r = report.result(run(report, List.of("sh", "-c", "printf 'no newline' >&2; exit 9"), ""), 4);
    assertEquals(9, r.exitCode());
    assertEquals("line", text(r.stderr()), "its last 4 bytes, the report taken off");
  }

  @Test
  void wordsPrintedAfterTheReportLeaveItTheStatus() throws IOException {
    // a ForceCommand wrapper that runs the command, then prints on standard error and exits 0
    ExitReport report = ExitReport.next();
    Host.Result raw = run(report, List.of("sh", "-c", "echo own >&2; exit 3"), "");
    byte[] wrapped = (text(raw.stderr()) + "audit: session logged\n").getBytes(StandardCharsets.UTF_8);
    Host.Result r = report.result(new Host.Result(0, raw.stdout(), wrapped), Integer.MAX_VALUE);
    assertEquals(3, r.exitCode(), "the command's status, not the wrapper's");
    assertEquals("own\naudit: session logged\n", text(r.stderr()), "the report alone taken off");
  }

  @Test
  void noReportIsNoStatus() throws IOException {
    ExitReport report = ExitReport.next();
    Host.Result raw = run(report, List.of("sh", "-c", "echo out"), "");
    String said = text(raw.stderr());
    byte[] out = raw.stdout();
    for (String err : new String[] {"", "said nothing of it\n", "gitops-exit-0123 0\n",
        said.substring(0, said.length() - 1), said.replace(" 0", " x")}) {
      assertNull(report.result(new Host.Result(255, out, err.getBytes(StandardCharsets.UTF_8)), 100), err);
    }
    assertNull(ExitReport.next().result(raw, 100), "another command's tag");
    ExitReport killed = ExitReport.next();
    Host.Result shell = run(killed, List.of("sh", "-c", "kill -TERM $$"), "");
    assertNull(killed.result(shell, 100), "the shell that reports was killed: " + shell.output());
  }
}

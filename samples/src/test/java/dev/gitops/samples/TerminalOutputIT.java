package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real {@code gitops push} on a pseudo-terminal (util-linux {@code script}): the live counter's escape
 * sequences go to standard error only when standard error is that terminal, and never with
 * {@code NO_COLOR} or {@code --no-color}.
 */
class TerminalOutputIT extends RepoAndSite {
  private static final Path SCRIPT = Path.of("/usr/bin/script");
  private static final String ESC = "\u001b[";

  @BeforeEach
  void commit() throws Exception {
    assumeTrue(Files.isExecutable(SCRIPT), "util-linux script(1) makes the terminal");
    for (int i = 0; i < 3; i++) {
      repo.write("site/f" + i + ".txt", i + "\n");
    }
    repo.commit("one");
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** Runs a push on a terminal, with {@code redirect} after it (e.g. {@code 2> FILE}); returns what the terminal showed. */
  private String pushOnATerminal(Map<String, String> env, String redirect, String... more) throws Exception {
    List<String> command = Cli.inChildJvm(args(Cli.join(new String[] {"push", "--yes"}, more)));
    String line = command.stream().map(TerminalOutputIT::quote).collect(Collectors.joining(" ")) + " " + redirect;
    ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "-qec", line, "/dev/null").redirectErrorStream(true);
    pb.environment().remove("CI");
    pb.environment().remove("NO_COLOR");
    pb.environment().put("TERM", "xterm");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String shown = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), shown);
    return shown;
  }

  @Test
  void theCounterDrawsOnlyOnATerminalThatWantsIt() throws Exception {
    String shown = pushOnATerminal(Map.of(), "");
    assertTrue(shown.contains("\r" + ESC + "K"), "a terminal gets the live counter (the control case): " + shown);
    Files.walk(site).sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(site)).forEach(p -> p.toFile().delete());

    Path err = tmp.resolve("err.txt");
    String toFile = pushOnATerminal(Map.of(), "2> " + quote(err.toString()));
    String log = Files.readString(err);
    assertFalse(log.contains(ESC), "standard error is a file, whatever standard output is: " + log);
    assertTrue(log.contains("applied create File//f0.txt"), log);
    assertFalse(toFile.contains(ESC), toFile);
  }

  @Test
  void noColorAndItsOptionTurnTheCounterOff() throws Exception {
    String variable = pushOnATerminal(Map.of("NO_COLOR", "1"), "");
    assertFalse(variable.contains(ESC), variable);
    assertTrue(variable.contains("applied create File//f0.txt"), variable);
    repo.write("site/f0.txt", "changed\n").commit("two");
    String option = pushOnATerminal(Map.of(), "", "--no-color");
    assertFalse(option.contains(ESC), option);
    assertTrue(option.contains("applied update File//f0.txt"), option);
  }
}

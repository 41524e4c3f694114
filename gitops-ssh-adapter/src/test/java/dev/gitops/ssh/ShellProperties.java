package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an SSH server does with our command line, {@code <login shell> -c LINE}, run here with every
 * login shell installed (sh, dash, bash, zsh, ksh, mksh, fish, tcsh, csh; {@code .ci/run} installs fish,
 * tcsh and zsh), the header and a rest on standard input through a pipe as a channel gives them: the
 * command gets exactly the arguments given, whatever their bytes, then exactly the rest of standard
 * input, and its exit status comes back. The oracle is the command printing its arguments, not our
 * quoting.
 */
class ShellProperties {
  /** What shells read otherwise: backslashes, quotes, newlines, history, expansions, globs, non-ASCII. */
  private static final String[] PIECES = {"\\", "'", "\"", "\n", "\r", "\t", " ", "!", "$", "$(", ")", "`", "${",
      "}", "{a,b}", "*", "?", "[x]", "#", "~", "%", "^", "&", "|", ";", "<", ">", "\\'", "\\\\", "a", "-", "é", "日",
      "\u001b", "''", "'\\''", "!!", "\\n", "$n", "$c", "=", "\u00a0"};
  private static final List<String> SHELLS = List.of("sh", "dash", "bash", "zsh", "ksh", "mksh", "fish", "tcsh",
      "csh");
  private static final String ECHO = "for a; do printf '%s\\0' \"$a\"; done; cat; exit 7";
  private static final byte[] REST = "the command's own input\n\\'!\n".getBytes(StandardCharsets.UTF_8);

  private static List<String> installed() {
    List<String> found = new ArrayList<>();
    for (String shell : SHELLS) {
      if (SystemSshHost.onPath(shell)) {
        found.add(shell);
      }
    }
    return found;
  }

  private static String argument(List<Integer> pieces) {
    StringBuilder s = new StringBuilder();
    pieces.forEach(i -> s.append(PIECES[i]));
    return s.toString();
  }

  /** Runs the echo under {@code shell} as a script ({@code sh -c}, run in place) or, with {@code env}, exec'd. */
  private static Host.Result run(String shell, List<String> args, boolean exec) {
    List<String> command = new ArrayList<>(exec ? List.of("env", "sh", "-c", ECHO, "gitops-echo")
        : List.of("sh", "-c", ECHO, "gitops-echo"));
    command.addAll(args);
    try {
      return Processes.run(List.of(shell, "-c", Shell.LINE), Shell.header(command), REST, Duration.ofMinutes(1),
          shell, Integer.MAX_VALUE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String expected(List<String> args) {
    StringBuilder s = new StringBuilder();
    args.forEach(a -> s.append(a).append('\0'));
    return s + new String(REST, StandardCharsets.UTF_8);
  }

  @Test
  void everyLoginShellRunsTheCommandWithExactlyItsArgumentsAndInput() {
    List<String> shells = installed();
    assertTrue(shells.contains("sh"), "sh is everywhere");
    for (String shell : shells) {
      qt().withExamples(12).withShrinkCycles(200)
          .forAll(lists().of(lists().of(integers().between(0, PIECES.length - 1)).ofSizeBetween(0, 12))
              .ofSizeBetween(0, 4))
          .check(pieces -> {
            List<String> args = pieces.stream().map(ShellProperties::argument).toList();
            for (boolean exec : new boolean[] {false, true}) {
              Host.Result r = run(shell, args, exec);
              if (r.exitCode() != 7 || !expected(args).equals(new String(r.stdout(), StandardCharsets.UTF_8))) {
                return false;
              }
            }
            return true;
          });
    }
  }

  @Test
  void aLongArgumentAndAMultiLineScriptArriveWhole() {
    String big = "x\\'\n!".repeat(20_000); // 100,000 bytes: csh refuses words far shorter on a command line
    for (String shell : installed()) {
      Host.Result r = run(shell, List.of(big, TreeRead.SCRIPT), false);
      assertEquals(7, r.exitCode(), shell + ": " + r.output());
      assertEquals(expected(List.of(big, TreeRead.SCRIPT)), new String(r.stdout(), StandardCharsets.UTF_8), shell);
    }
  }

  @Test
  void aHeaderCutShortRunsNothing() throws IOException {
    byte[] header = Shell.header(List.of("sh", "-c", "echo ran; touch \"$1\"", "x", "/nonexistent/never"));
    for (int cut : new int[] {0, 1, header.length / 2, header.length - 1}) {
      Host.Result r = Processes.run(List.of("sh", "-c", Shell.LINE), java.util.Arrays.copyOf(header, cut),
          new byte[0], Duration.ofMinutes(1), "sh", Integer.MAX_VALUE);
      assertEquals("", new String(r.stdout(), StandardCharsets.UTF_8), "cut at " + cut);
      assertTrue(r.exitCode() != 0, "cut at " + cut);
    }
  }
}

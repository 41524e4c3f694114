package dev.gitops.samples.cli;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard error, where the live progress counter goes, is a person's terminal that takes
 * escape sequences: not when it is redirected (a CI log, {@code 2> file}), nor with {@code TERM=dumb},
 * {@code CI} set, {@code NO_COLOR} set (no-color.org: no escape sequences wanted in what is kept), or
 * {@code --no-color}.
 */
final class Terminal {
  private Terminal() {}

  /** True when the live counter may draw on standard error ({@code noColor}: {@code --no-color} was given). */
  static boolean isInteractive(boolean noColor) {
    String noColorVariable = System.getenv("NO_COLOR");
    if (noColor || (noColorVariable != null && !noColorVariable.isEmpty()) || "dumb".equals(System.getenv("TERM"))
        || System.getenv("CI") != null) {
      return false;
    }
    Boolean stderr = stderrIsTerminal();
    return stderr != null ? stderr : consoleIsTerminal();
  }

  /**
   * Whether file descriptor 2 is a terminal, where {@code /proc} says (Linux); null elsewhere. Java 17
   * has no isatty(2) for standard error: {@link System#console()} speaks for standard input and output.
   */
  private static Boolean stderrIsTerminal() {
    Path fd = Path.of("/proc/self/fd/2");
    try {
      String target = Files.readSymbolicLink(fd).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  /**
   * True when there is a console that is a terminal. On Java 22 and later {@code System.console()}
   * exists even when redirected, so its {@code isTerminal()} is asked too (looked up, as Java 17 has no
   * such method).
   */
  private static boolean consoleIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // Java 17..21: a console exists only on a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}

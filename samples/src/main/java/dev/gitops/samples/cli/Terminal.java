package dev.gitops.samples.cli;

import java.lang.reflect.Method;

/** Whether this process talks to a person at a terminal (for the live progress counter). */
final class Terminal {
  private Terminal() {}

  /**
   * True when there is a console that is a terminal, and {@code TERM} is not {@code dumb}. On Java 22
   * and later {@code System.console()} exists even when redirected, so its {@code isTerminal()} is
   * asked too (looked up, as Java 17 has no such method).
   */
  static boolean isInteractive() {
    java.io.Console console = System.console();
    if (console == null || "dumb".equals(System.getenv("TERM")) || System.getenv("CI") != null) {
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

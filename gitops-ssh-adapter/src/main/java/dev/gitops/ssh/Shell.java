package dev.gitops.ssh;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting of an argument vector for a remote command line. Not part of the public API. */
final class Shell {
  private Shell() {}

  /** Each argument in single quotes ({@code '} written as {@code '\''}), joined by spaces. */
  public static String join(List<String> argv) {
    return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }

  /** One argument in single quotes. */
  public static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}

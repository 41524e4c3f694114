package dev.gitops.ssh;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How an argument vector reaches a remote host whatever the account's login shell. An SSH server
 * runs an exec request's command line as {@code <login shell> -c <line>}, and only POSIX shells (sh,
 * dash, bash, ksh, zsh) read single quotes as POSIX says: inside them fish takes {@code \\} for one
 * backslash and {@code \'} for a quote, tcsh and csh refuse a newline ("Unmatched '.") and expand
 * {@code !} as history. So the line is always {@link #LINE}, a constant every one of those shells reads
 * as the same three words (no newline, backslash, {@code !} or {@code $} outside single quotes), and
 * the command itself, quoted for {@code sh}, travels as the first line of the command's standard input
 * ({@link #header}), ahead of the command's own: {@code sh}'s {@code read} takes that line and not a
 * byte more (a shell's {@code read} takes a pipe a byte at a time, where {@code head} and {@code dd}
 * with a block size read ahead or cost a process more), and {@code eval} runs it. A header cut short
 * (the connection dropped) lacks its newline, so {@code read} fails and nothing runs. Not part of the
 * public API.
 */
final class Shell {
  /**
   * The command line of every exec request: {@code sh} takes the command from the first line of
   * standard input and runs it.
   */
  static final String LINE = "sh -c 'IFS= read -r c || exit; eval \"$c\"'";
  /**
   * Ahead of the command: {@code n} is made a newline, taken from {@code IFS} (which a POSIX shell
   * sets to space, tab, newline when it starts), since the header is one line.
   */
  private static final String NEWLINE = "n=${IFS#??}; n=${n%\"${n#?}\"}; unset c; ";

  private Shell() {}

  /**
   * The first line of standard input that makes {@link #LINE} run {@code argv}, every newline in it
   * written {@code '"$n"'}, then a newline. A script, {@code sh -c SCRIPT NAME ARG...}, runs in the
   * shell that read it, as {@code set -- ARG...; eval SCRIPT} ({@code $0} is {@code sh}, not
   * {@code NAME}): a second {@code sh} would cost a process start per command. Any other command is
   * {@code exec}'d with its arguments quoted by {@link #join}.
   *
   * @throws IllegalArgumentException when an argument holds a NUL byte, which no command line can carry
   */
  static byte[] header(List<String> argv) {
    return line(command(argv));
  }

  /**
   * As {@link #header(List)}, the command run in a subshell, after which the shell that read it writes
   * {@code TAG STATUS} and a newline to standard error and exits with that status: the status arrives
   * with the output even when the SSH exit-status message does not ({@link ExitReport}), whatever the
   * command does to its shell ({@code exit}, {@code exec}, traps, redirections).
   *
   * @param tag a word of letters, digits and {@code -}
   * @throws IllegalArgumentException when an argument holds a NUL byte, which no command line can carry
   */
  static byte[] header(List<String> argv, String tag) {
    return line("(" + command(argv) + "); s=$?; printf '%s %s\\n' " + tag + " \"$s\" >&2; exit \"$s\"");
  }

  private static String command(List<String> argv) {
    if (argv.stream().anyMatch(a -> a.indexOf('\0') >= 0)) {
      throw new IllegalArgumentException("a command argument holds a NUL byte, which no command can be given: "
          + argv.get(0));
    }
    return argv.size() >= 3 && argv.get(0).equals("sh") && argv.get(1).equals("-c")
        ? "set -- " + join(argv.subList(Math.min(4, argv.size()), argv.size())) + "; eval 'unset n; '"
            + quote(argv.get(2))
        : "exec " + join(argv);
  }

  private static byte[] line(String command) {
    return (NEWLINE + command.replace("\n", "'\"$n\"'") + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Each argument in single quotes ({@code '} written as {@code '\''}), joined by spaces. */
  static String join(List<String> argv) {
    return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }

  /** One argument in single quotes. */
  static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}

package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs handler steps: {@code sh -c COMMAND} with the root as working directory, the command passed
 * as one argument, bounded by a timeout that the host itself enforces: the command runs under GNU
 * {@code timeout}, which puts it in a process group of its own and, when the time runs out, sends
 * that whole group {@code TERM}, then {@code KILL} after a grace period — so nothing the handler
 * started lingers, whatever happens to the connection. When the command ends in time, what it left
 * in that group (a {@code cmd &}) is sent {@code KILL} too, and, where the host has {@code /proc}, what
 * left the group carrying the run's mark ({@link #LEFT}): a handler that must start a service hands it
 * to the service manager ({@code systemctl restart}). The command's output goes to
 * temporary files on the host, of which the last {@link #KEEP_BYTES} bytes are printed once it
 * ended: a process it left (in its group or not: {@code setsid}, a daemon) cannot hold the host's
 * answer up by keeping the output open, over SSH the channel closes when the command's wrapper ends.
 * The caller waits a little longer than that and gives up on its own (ending the command where the
 * host can) only when the host does not answer. A handler that timed out, or whose run cannot be
 * known to have ended, is never retried: its step fails, not retryable, so two copies never run at
 * once. Not part of the public API.
 */
final class Handlers {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.gitops.ssh.FilesTarget");
  /** The variable that marks every process of one handler run: set for {@code timeout} and inherited. */
  static final String MARK = "GITOPS_HANDLER_RUN";

  /**
   * What left the handler's process group ({@code setsid}, a daemon's double fork), found where the
   * host has {@code /proc} (Linux) by the run's mark in {@code /proc/PID/environ} (only the user's own
   * processes can be read, and root's shell reads them all) and sent KILL: one {@code grep} over them
   * all a round, at most 8 rounds, until a round finds none (a process that forks as it is killed gets a
   * few more); the mark, 128 random bits, matched as one whole entry of the environment ({@code -z -x}:
   * entries end with a NUL; GNU's, BusyBox's and toybox's {@code grep} take {@code -z}). Skipped without
   * {@code /proc}. As {@code LocalHost}'s {@code LeftProcesses} does for the processes it starts; a process
   * that clears its environment escapes both.
   */
  private static final String LEFT = "if [ -d /proc/self ]; then n=0; while [ \"$n\" -lt 8 ]; do n=$((n+1)); f=0; "
      + "for q in $(grep -l -z -x -F -e \"" + MARK + "=$6\" /proc/[0-9]*/environ 2>/dev/null); do q=${q#/proc/}; "
      + "q=${q%/environ}; if [ \"$q\" != \"$$\" ]; then kill -s KILL \"$q\" 2>/dev/null && f=1; fi; done; "
      + "[ \"$f\" = 1 ] || break; done; fi; ";

  /**
   * {@code $1} root, {@code $2} command, {@code $3} timeout, {@code $4} grace before KILL, {@code $5}
   * bytes of each output kept, {@code $6} the run's mark. {@code timeout} runs in the background so that
   * its pid, which is its process group's id (GNU {@code timeout} calls {@code setpgid(0, 0)}), is known;
   * the group is killed right after {@code wait} reaped it, before its id can be reused. dash takes
   * {@code kill -s KILL -- -PGID}, BusyBox's ash only {@code kill -s KILL -PGID}. Then {@link #LEFT}.
   */
  private static final String WRAPPER = "cd -- \"$1\" || exit 125; t=timeout; "
      + "case $(timeout --version 2>/dev/null) in *GNU*) ;; *) t=gtimeout; case $(gtimeout --version 2>/dev/null) in "
      + "*GNU*) ;; *) echo 'timeout (GNU coreutils) not found on the host, as timeout or gtimeout: handlers run only"
      + " with a time limit that ends their whole process group, which BusyBox timeout does not (Alpine: apk add"
      + " coreutils)' >&2; exit 126 ;; esac ;; esac; "
      + "o=$(mktemp) && e=$(mktemp) || { rm -f -- \"$o\" 2>/dev/null; echo 'cannot create the temporary files that take the"
      + " handler output (mktemp, in ${TMPDIR:-/tmp})' >&2; exit 125; }; "
      + MARK + "=$6 \"$t\" -k \"$4\" \"$3\" sh -c \"$2\" >\"$o\" 2>\"$e\" & p=$!; wait \"$p\"; s=$?; "
      + "kill -s KILL -- \"-$p\" 2>/dev/null || kill -s KILL \"-$p\" 2>/dev/null; " + LEFT
      + "tail -c \"$5\" \"$o\"; tail -c \"$5\" \"$e\" >&2; rm -f -- \"$o\" \"$e\"; exit \"$s\"";
  /** Exit codes of {@code timeout}: the command was sent TERM (124) or, after the grace period, KILL. */
  private static final int TIMED_OUT = 124;
  private static final int KILLED = 128 + 9;
  /** Characters of output kept: the last ones, where a failure usually says why. */
  static final int MAX_OUTPUT = 4096;
  /**
   * The bytes of each output stream the host hands back: enough for {@value #MAX_OUTPUT} whole
   * characters of up to four bytes. A handler that prints gigabytes costs this much memory, no more.
   */
  static final int KEEP_BYTES = 4 * MAX_OUTPUT + 4;

  private Handlers() {}

  /** The grace period between TERM and KILL: a tenth of the timeout, between 1 and 10 seconds. */
  static Duration grace(Duration timeout) {
    long ms = Math.max(1000, Math.min(10_000, timeout.toMillis() / 10));
    return Duration.ofMillis(ms);
  }

  /** The command vector for {@code command} run in {@code root}, ended by the host after {@code timeout}. */
  public static List<String> command(String root, String command, Duration timeout) {
    return List.of("sh", "-c", WRAPPER, "gitops-handler", root, command, seconds(timeout), seconds(grace(timeout)),
        Integer.toString(KEEP_BYTES), java.util.UUID.randomUUID().toString());
  }

  /** How long the caller waits for the host: the timeout, the grace period, and half a minute for the answer. */
  public static Duration patience(Duration timeout) {
    return timeout.plus(grace(timeout)).plusSeconds(30);
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return (ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format(java.util.Locale.ROOT, "%.3f", ms / 1000.0)) + "s";
  }

  /**
   * Runs the handler; returns its output (standard output, then standard error), at most the last
   * {@value #MAX_OUTPUT} characters, with a note first when some were cut.
   *
   * @throws TargetException when it cannot run, exits non-zero or times out, with its output;
   *     never retryable (a handler is not known to be safe to run twice)
   */
  public static String run(Host host, String root, Action.Run run, Duration timeout) {
    String name = ResourceId.escape(run.handler().name());
    Host.Result result;
    try {
      result = host.execKeepingTail(command(root, run.handler().command(), timeout), new byte[0], patience(timeout),
          KEEP_BYTES);
    } catch (Host.CommandTimeoutException e) {
      throw new TargetException(run.id(), "handler " + name + " on " + host.describe() + " did not end within "
          + timeout + " and the host did not answer: " + ResourceId.escape(e.getMessage()) + "; not run again", false, e);
    } catch (IOException e) {
      throw new TargetException(run.id(), host.describe() + ": cannot run handler " + name + ": " + ResourceId.escape(e.getMessage())
          + " (not run again: it may have started)", false, e);
    }
    String output = printable(clip(result.output().strip()));
    if (result.exitCode() == TIMED_OUT || result.exitCode() == KILLED) {
      throw new TargetException(run.id(), "handler " + name + " timed out after " + timeout + " on "
          + host.describe() + ": its process group was ended (TERM, then KILL after " + grace(timeout)
          + "); not run again" + (output.isEmpty() ? "" : "; its output:\n" + output), false, null);
    }
    if (!result.succeeded()) {
      throw new TargetException(run.id(), "handler " + name + " failed on "
          + host.describe() + " (exit " + result.exitCode() + ")" + (output.isEmpty() ? "" : ":\n" + output));
    }
    LOG.info("handler {} on {} (because {}): {}", name, host.describe(), run.because(),
        output.isEmpty() ? "no output" : output);
    return output;
  }

  /**
   * The output fit to show in a report or a log: core's one rule ({@link ResourceId#escape}) on each
   * piece between line breaks and tabs, which are kept, so that it reads as lines and cannot rewrite
   * them (control characters, direction overrides, characters that print nothing, beyond U+FFFF too)
   * nor print a backslash that passes for an escape.
   */
  static String printable(String output) {
    StringBuilder out = new StringBuilder(output.length());
    int from = 0;
    for (int i = 0; i < output.length(); i++) {
      char c = output.charAt(i);
      if (c == '\n' || c == '\t') {
        out.append(ResourceId.escape(output.substring(from, i))).append(c);
        from = i + 1;
      }
    }
    return out.append(ResourceId.escape(output.substring(from))).toString();
  }

  /** {@code s}, or its last {@value #MAX_OUTPUT} characters after a note that what came before was cut. */
  static String clip(String s) {
    if (s.length() <= MAX_OUTPUT) {
      return s;
    }
    int from = s.length() - MAX_OUTPUT;
    if (Character.isLowSurrogate(s.charAt(from))) {
      from++;
    }
    return "[output cut: its last " + MAX_OUTPUT + " characters follow]\n" + s.substring(from);
  }
}

package dev.gitops.ssh;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The exit status of one {@link SystemSshHost} command, reported in band: the remote shell writes
 * {@code TAG STATUS} at the end of standard error once the command ended ({@link Shell#header(List,
 * String)}), {@code TAG} drawn afresh for each command. {@code ssh} alone cannot always tell: over a
 * shared connection its master closes the channel as soon as both streams ended, and a server that
 * sends its end of output before the exit-status message and drops that message once the client
 * closed (MINA SSHD's {@code ChannelSession.closeShell}) leaves {@code ssh} with none, so it exits 255
 * as for a lost connection although the command ran. With the report, a command that ran is never
 * taken for a connection failure, and a command that itself exits 255 reads as such. Not part of the
 * public API.
 */
final class ExitReport {
  /** The most bytes the report adds to standard error: tag, space, status, newline. */
  private static final int MOST = 64;
  private final String tag;

  private ExitReport(String tag) {
    this.tag = tag;
  }

  /** {@return a report with a fresh tag; random for uniqueness only: no output names it by chance} */
  static ExitReport next() {
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    return new ExitReport("gitops-exit-" + HexFormat.of().formatHex(random));
  }

  /** {@return the header that runs {@code argv} and reports its status with this tag} */
  byte[] header(List<String> argv) {
    return Shell.header(argv, tag);
  }

  /** {@return how many bytes of each stream to keep so that {@code keep} remain once the report is taken off} */
  static int room(int keep) {
    return keep > Integer.MAX_VALUE - MOST ? Integer.MAX_VALUE : keep + MOST;
  }

  /**
   * The command's result: its reported status and its standard error without the report, each stream
   * cut to its last {@code keep} bytes; null when standard error does not end with the report (the
   * remote shell did not get to write it: the connection or {@code ssh} failed, or the shell was killed).
   *
   * @param raw what {@code ssh} gave, its streams kept with {@link #room(int)}
   * @param keep the bytes of each stream to return at most
   * @return the result, or null when the command reported no status
   */
  Host.Result result(Host.Result raw, int keep) {
    byte[] err = raw.stderr();
    String end = new String(err, Math.max(0, err.length - MOST), Math.min(MOST, err.length), StandardCharsets.ISO_8859_1);
    int at = end.lastIndexOf(tag + " ");
    if (at < 0 || !end.endsWith("\n")) {
      return null;
    }
    String status = end.substring(at + tag.length() + 1, end.length() - 1);
    if (!status.matches("[0-9]{1,3}")) {
      return null;
    }
    byte[] own = Arrays.copyOf(err, err.length - (end.length() - at));
    return new Host.Result(Integer.parseInt(status), Processes.tail(raw.stdout(), keep), Processes.tail(own, keep));
  }
}

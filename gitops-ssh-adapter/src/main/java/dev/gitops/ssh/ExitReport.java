package dev.gitops.ssh;

import java.nio.charset.StandardCharsets;
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
   * cut to its last {@code keep} bytes; null when standard error holds no report (the remote shell
   * did not get to write it: the connection or {@code ssh} failed, or the shell was killed). The
   * report is looked for anywhere, not only at the end: a {@code ForceCommand} wrapper that runs the
   * command and then prints on standard error (an audit line) puts its words after it, and exits with
   * a status of its own, which is not the command's.
   *
   * @param raw what {@code ssh} gave, its streams kept with {@link #room(int)}
   * @param keep the bytes of each stream to return at most
   * @return the result, or null when the command reported no status
   */
  Host.Result result(Host.Result raw, int keep) {
    byte[] err = raw.stderr();
    String text = new String(err, StandardCharsets.ISO_8859_1); // one char a byte: indexes are offsets
    int at = text.lastIndexOf(tag + " ");
    int end = at < 0 ? -1 : text.indexOf('\n', at);
    if (end < 0) {
      return null;
    }
    String status = text.substring(at + tag.length() + 1, end);
    if (!status.matches("[0-9]{1,3}")) {
      return null;
    }
    byte[] own = new byte[err.length - (end + 1 - at)];
    System.arraycopy(err, 0, own, 0, at);
    System.arraycopy(err, end + 1, own, at, err.length - end - 1);
    return new Host.Result(Integer.parseInt(status), Processes.tail(raw.stdout(), keep), Processes.tail(own, keep));
  }
}

package dev.gitops.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The commands of a {@link SystemSshHost}: each one {@code ssh} process on the shared connection, its
 * exit status reported in band ({@link ExitReport}) and {@code ssh}'s own failures (exit status 255
 * without the report) thrown with what {@code ssh} said. Thread-safe; not part of the public API.
 */
final class SystemSshCommands {
  private final SystemSshArguments arguments;
  private final SharedConnection connection;
  private final String describe;
  private final String address;
  private final Path knownHosts;
  private final Duration connectTimeout;

  /**
   * @param arguments the {@code ssh} argument vectors
   * @param connection the shared connection, and the sessions it allows
   * @param describe the host's description, for messages
   * @param address {@code host:port}, for messages
   * @param knownHosts the known_hosts file, for messages
   * @param connectTimeout the connect timeout, which also bounds the diagnostic {@code ssh -v}
   */
  SystemSshCommands(SystemSshArguments arguments, SharedConnection connection, String describe, String address,
                    Path knownHosts, Duration connectTimeout) {
    this.arguments = arguments;
    this.connection = connection;
    this.describe = describe;
    this.address = address;
    this.knownHosts = knownHosts;
    this.connectTimeout = connectTimeout;
  }

  /** See {@link SystemSshHost#execKeepingTail}. */
  Host.Result exec(List<String> command, byte[] stdin, Duration timeout, int keep) throws IOException {
    Path socket = connection.open(timeout, this::check);
    try {
      ExitReport report = ExitReport.next();
      Host.Result raw = Processes.run(arguments.command(socket), report.header(command), stdin, timeout,
          describe + ": command " + command.get(0), ExitReport.room(keep));
      Host.Result reported = report.result(raw, keep);
      if (reported != null) {
        return reported;
      }
      check(raw);
      return new Host.Result(raw.exitCode(), Processes.tail(raw.stdout(), keep), Processes.tail(raw.stderr(), keep));
    } finally {
      connection.release();
    }
  }

  /** See {@link SystemSshHost#start}; {@code timeout} bounds the wait for a session and the connect. */
  Host.Channel start(List<String> command, Duration timeout) throws IOException {
    Path socket = connection.openLasting(timeout, this::check);
    try {
      return Processes.start(arguments.command(socket), Shell.header(command), connection::release);
    } catch (IOException | RuntimeException e) {
      connection.release();
      throw e;
    }
  }

  /** Exit status 255 without the command's report: {@code ssh}'s own failure, thrown. */
  private void check(Host.Result r) throws IOException {
    if (r.exitCode() == 255) {
      throw SystemSshArguments.failure(describe, address, knownHosts, new String(r.stderr(), StandardCharsets.UTF_8),
          this::diagnose);
    }
  }

  /** {@code ssh -v} of a no-op, to learn the fingerprint ssh does not print for an unknown key. */
  private String diagnose() {
    try {
      Host.Result r = Processes.run(arguments.diagnostic(), new byte[0], connectTimeout.multipliedBy(2),
          describe + ": ssh -v");
      return new String(r.stderr(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}

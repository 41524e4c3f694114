package dev.gitops.ssh;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A machine whose files a {@link FilesTarget} converges: this machine ({@link LocalHost}) or a
 * remote one over SSH/SFTP ({@link SshHost}). One abstract method: run a command, bounded by a
 * timeout. Every file operation an atomic write needs has a default that runs a fixed POSIX shell
 * script through it (paths as arguments, never in the script; GNU coreutils {@code stat} and
 * {@code timeout} on the host), so a new kind of host works as soon as it can run a command, and
 * implementations override the operations they can do faster ({@code LocalHost} through
 * {@code java.nio}, {@code SshHost} through SFTP). One contract suite of tests runs over the
 * defaults and over each implementation. (The file operations are declared in a file of their own,
 * {@code FileOperations}, which only {@code Host} extends: they are {@code Host}'s methods.)
 *
 * <p>Paths are absolute, {@code /}-separated, and passed as data: an implementation never builds a
 * shell line from them. Commands are argument vectors; a remote implementation quotes each argument
 * for the remote shell. Implementations are thread-safe. {@link #close()} releases connections; a
 * closed host may reconnect on next use.
 */
public interface Host extends FileOperations, AutoCloseable {
  /** The timeout of {@link #exec(List, byte[])}: five minutes, unless the host says otherwise. */
  Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /**
   * Runs {@code command} (an argument vector, never re-split) with {@code stdin} as standard input,
   * and waits for it to finish, at most {@code timeout}. When that runs out, the command is ended
   * (with what it started, as far as the host can tell) before this method throws.
   *
   * @param command the program and its arguments, each passed as one argument
   * @param stdin bytes written to the command's standard input, then closed; empty for none
   * @param timeout the longest the command may run; positive
   * @return the exit code and both output streams, whatever the exit code
   * @throws CommandTimeoutException when {@code timeout} ran out
   * @throws IOException when the command cannot be started or the connection fails
   */
  Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException;

  /**
   * {@link #exec(List, byte[], Duration)} with the host's default timeout ({@link #DEFAULT_TIMEOUT}).
   *
   * @param command the program and its arguments, each passed as one argument
   * @param stdin bytes written to the command's standard input, then closed; empty for none
   * @return the exit code and both output streams, whatever the exit code
   * @throws IOException when the command cannot be started, the connection fails or the command
   *     ran out of time ({@link CommandTimeoutException})
   */
  default Result exec(List<String> command, byte[] stdin) throws IOException {
    return exec(command, stdin, DEFAULT_TIMEOUT);
  }

  /**
   * The timeout of {@link #exec(List, byte[])}, which also bounds each answer awaited from a command
   * {@link #start}ed here (a reader that takes longer is ended, and the read runs as one command).
   *
   * @return {@link #DEFAULT_TIMEOUT} unless the host is configured otherwise; positive
   */
  default Duration timeout() {
    return DEFAULT_TIMEOUT;
  }

  /**
   * {@link #exec(List, byte[], Duration)} for a command whose output has no bound (a handler): of
   * each output stream only the last {@code keep} bytes are returned. The hosts shipped never hold
   * more than that per stream while it runs, so a command that prints gigabytes costs no memory;
   * this default runs {@code exec} and cuts after.
   *
   * @param command the program and its arguments, each passed as one argument
   * @param stdin bytes written to the command's standard input, then closed; empty for none
   * @param timeout the longest the command may run; positive
   * @param keep how many bytes of the end of each output stream to return; positive
   * @return the exit code and the end of both output streams
   * @throws CommandTimeoutException when {@code timeout} ran out
   * @throws IOException when the command cannot be started or the connection fails
   */
  default Result execKeepingTail(List<String> command, byte[] stdin, Duration timeout, int keep) throws IOException {
    Result r = exec(command, stdin, timeout);
    return new Result(r.exitCode(), Processes.tail(r.stdout(), keep), Processes.tail(r.stderr(), keep));
  }

  /**
   * Starts {@code command} as a long-running helper and returns its standard input and output
   * (standard error is discarded). Used to keep one reader process per root alive across reads, so
   * that a read costs one request and one response instead of a new command. Default: not
   * supported (callers then run one command per read).
   *
   * @param command the program and its arguments, each passed as one argument
   * @return the running command's streams; the caller closes it
   * @throws IOException when the command cannot be started
   */
  default Channel start(List<String> command) throws IOException {
    throw new IOException(describe() + " cannot keep a command running");
  }


  /**
   * {@return a short description for logs: {@code local:/srv}, {@code ssh://root@web1:22}; never a
   * password. Default: the class name}
   */
  default String describe() {
    return getClass().getSimpleName();
  }

  /** Releases connections. Never throws. Default: nothing to release. */
  @Override
  default void close() { }

  /** A command ran out of time and was ended. */
  final class CommandTimeoutException extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    /**
     * A timeout; the command was ended before this was thrown.
     *
     * @param message what timed out, after how long
     */
    public CommandTimeoutException(String message) {
      super(message);
    }
  }

  /** The standard streams of a started command. Closing ends the command. */
  interface Channel extends AutoCloseable {
    /** {@return the command's standard input; closing it tells the command no more requests come} */
    java.io.OutputStream stdin();

    /** {@return the command's standard output} */
    java.io.InputStream stdout();

    /** {@return true while the command may still answer, false once it ended or was closed} */
    boolean isOpen();

    /** Ends the command. Never throws. */
    @Override
    void close();
  }

  /**
   * The result of a command. Output is kept as bytes; {@link #toString()} prints only the exit code
   * and sizes.
   *
   * @param exitCode the exit status, {@code -1} when none was reported
   * @param stdout standard output
   * @param stderr standard error
   */
  record Result(int exitCode, byte[] stdout, byte[] stderr) {
    /**
     * Copies.
     *
     * @param exitCode the exit status, {@code -1} when none was reported
     * @param stdout standard output; copied
     * @param stderr standard error; copied
     */
    public Result {
      stdout = stdout.clone();
      stderr = stderr.clone();
    }

    /** {@return a copy of standard output} */
    @Override
    public byte[] stdout() {
      return stdout.clone();
    }

    /** {@return a copy of standard error} */
    @Override
    public byte[] stderr() {
      return stderr.clone();
    }

    /** {@return standard output then standard error as UTF-8 text, on separate lines; for messages} */
    public String output() {
      String out = new String(stdout, StandardCharsets.UTF_8);
      String err = new String(stderr, StandardCharsets.UTF_8);
      return err.isEmpty() ? out : out.isEmpty() ? err : out + (out.endsWith("\n") ? "" : "\n") + err;
    }

    /** {@return true when the exit code is 0} */
    public boolean succeeded() {
      return exitCode == 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Result r && exitCode == r.exitCode && Arrays.equals(stdout, r.stdout) && Arrays.equals(stderr, r.stderr);
    }

    @Override
    public int hashCode() {
      return Objects.hash(exitCode, Arrays.hashCode(stdout), Arrays.hashCode(stderr));
    }

    @Override
    public String toString() {
      return "Result[exit " + exitCode + ", " + stdout.length + " bytes out, " + stderr.length + " bytes err]";
    }
  }

  /**
   * What is at a path.
   *
   * @param type file, directory, symlink, other or absent
   * @param permissions permission bits ({@code 0} when absent)
   * @param modified when its content last changed, null when absent or unknown
   * @param size a regular file's length in bytes, {@code -1} when unknown (or not a file)
   * @param uid the numeric owner, {@code -1} when unknown (a host that does not say): the state
   *     folder's owner is checked only when known
   * @param gid the numeric group, {@code -1} when unknown: an update keeps owner and group when known
   */
  record Stat(Type type, int permissions, Instant modified, long size, int uid, int gid) {
    /** Nothing at the path. */
    public static final Stat ABSENT = new Stat(Type.ABSENT, 0, null);

    /** Kinds of filesystem entries. */
    public enum Type {
      /** A regular file. */ FILE,
      /** A directory. */ DIRECTORY,
      /** A symbolic link, not followed. */ SYMLINK,
      /** Anything else: a device, a FIFO, a socket. */ OTHER,
      /** Nothing at the path. */ ABSENT
    }

    /**
     * Validates.
     *
     * @param type what kind of entry; not null
     * @param permissions permission bits ({@code 0} when absent)
     * @param modified when its content last changed, null when absent or unknown
     * @param size a regular file's length in bytes, {@code -1} when unknown
     * @param uid the numeric owner, {@code -1} when unknown
     * @param gid the numeric group, {@code -1} when unknown
     */
    public Stat {
      Objects.requireNonNull(type, "type");
    }

    /**
     * Type, permission bits, time, size and owner, the group unknown.
     *
     * @param type what kind of entry; not null
     * @param permissions permission bits ({@code 0} when absent)
     * @param modified when its content last changed, null when absent or unknown
     * @param size a regular file's length in bytes, {@code -1} when unknown
     * @param uid the numeric owner, {@code -1} when unknown
     */
    public Stat(Type type, int permissions, Instant modified, long size, int uid) {
      this(type, permissions, modified, size, uid, -1);
    }

    /**
     * Type, permission bits, time and size, the owner unknown.
     *
     * @param type what kind of entry; not null
     * @param permissions permission bits ({@code 0} when absent)
     * @param modified when its content last changed, null when absent or unknown
     * @param size a regular file's length in bytes, {@code -1} when unknown
     */
    public Stat(Type type, int permissions, Instant modified, long size) {
      this(type, permissions, modified, size, -1);
    }

    /**
     * Type, permission bits and time, the size unknown.
     *
     * @param type what kind of entry; not null
     * @param permissions permission bits ({@code 0} when absent)
     * @param modified when its content last changed, null when absent or unknown
     */
    public Stat(Type type, int permissions, Instant modified) {
      this(type, permissions, modified, -1);
    }

    /**
     * Type and permission bits, the time unknown.
     *
     * @param type what kind of entry; not null
     * @param permissions permission bits ({@code 0} when absent)
     */
    public Stat(Type type, int permissions) {
      this(type, permissions, null);
    }
  }
}

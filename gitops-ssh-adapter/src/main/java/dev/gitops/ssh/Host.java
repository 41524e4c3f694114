package dev.gitops.ssh;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A machine whose files a {@link FilesTarget} converges: this machine ({@link LocalHost}) or a
 * remote one over SSH/SFTP ({@link SshHost}). The SPI is small on purpose: one way to run a
 * command, and the few file operations an atomic write needs (write a temporary file with its mode,
 * rename it over the target, delete, create directories, read a small file, inspect a path without
 * following symlinks).
 *
 * <p>Paths are absolute, {@code /}-separated, and passed as data: an implementation never builds a
 * shell line from them. Commands are argument vectors; a remote implementation quotes each argument
 * for the remote shell. Implementations are thread-safe. {@link #close()} releases connections; a
 * closed host may reconnect on next use.
 */
public interface Host extends AutoCloseable {

  /**
   * Runs {@code command} (an argument vector, never re-split) with {@code stdin} as standard input,
   * and waits for it to finish.
   *
   * @throws IOException when the command cannot be started or the connection fails
   */
  Result exec(List<String> command, byte[] stdin) throws IOException;

  /**
   * Starts {@code command} as a long-running helper and returns its standard input and output
   * (standard error is discarded). Used to keep one reader process per root alive across reads, so
   * that a read costs one request and one response instead of a new command.
   *
   * @throws IOException when the command cannot be started
   */
  Channel start(List<String> command) throws IOException;

  /**
   * Writes {@code data} to {@code path}, creating or truncating it, with {@code permissions}
   * (exactly, regardless of umask). When {@code exclusive}, fails if the path exists.
   *
   * @throws java.nio.file.FileAlreadyExistsException when {@code exclusive} and the path exists
   * @throws IOException on any other failure
   */
  void write(String path, byte[] data, int permissions, boolean exclusive) throws IOException;

  /**
   * {@link #write} {@code data} to {@code tmp} (exclusively, with {@code permissions}), then
   * {@link #rename} it to {@code path}, replacing or not: one call, so that a remote host can send
   * both in one flight. Same outcomes and exceptions as the two calls; on failure {@code tmp} may be
   * left for the caller to delete. Default: the two calls.
   *
   * @throws java.nio.file.FileAlreadyExistsException when not replacing and {@code path} exists
   * @throws IOException on any other failure
   */
  default void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
      throws IOException {
    write(tmp, data, permissions, true);
    rename(tmp, path, replace);
  }

  /** Appends {@code data} to {@code path}, creating it with mode {@code 0600} when absent. */
  void append(String path, byte[] data) throws IOException;

  /** Sets owner and/or group by name; empty strings leave that part alone. */
  void chown(String path, String owner, String group) throws IOException;

  /**
   * Renames {@code from} to {@code to} atomically. When {@code replace}, an existing {@code to} is
   * replaced (readers see the old or the new file); otherwise the rename fails when {@code to} exists.
   *
   * @throws java.nio.file.FileAlreadyExistsException when not replacing and {@code to} exists
   * @throws IOException on any other failure
   */
  void rename(String from, String to, boolean replace) throws IOException;

  /** Deletes a file or symlink (never what it points to); returns false when it did not exist. */
  boolean delete(String path) throws IOException;

  /**
   * Deletes {@code path} when it is an empty directory, atomically (never one that holds anything,
   * never a symlink or what it points to). Returns false when nothing was deleted: not empty, not a
   * directory, or absent. Default: {@code rmdir -- PATH} through {@link #exec}.
   *
   * @throws IOException when the host cannot be asked
   */
  default boolean deleteDirectory(String path) throws IOException {
    return exec(List.of("rmdir", "--", path), new byte[0]).succeeded();
  }

  /**
   * The names of the regular files (not symlinks, not directories) directly in {@code dir}, in no
   * particular order; empty when {@code dir} is absent. Default: a fixed {@code sh} script through
   * {@link #exec}, {@code dir} its argument.
   *
   * @throws IOException when the host cannot be asked
   */
  default List<String> files(String dir) throws IOException {
    Result r = exec(List.of("sh", "-c", "cd -- \"$1\" 2>/dev/null || exit 0; for f in .* *; do "
        + "if [ -f \"$f\" ] && [ ! -L \"$f\" ]; then printf '%s\\0' \"$f\"; fi; done", "gitops-ls", dir),
        new byte[0]);
    if (!r.succeeded()) {
      throw new IOException("cannot list " + dir + ": " + r.output().strip());
    }
    String out = new String(r.stdout(), java.nio.charset.StandardCharsets.UTF_8);
    return out.isEmpty() ? List.of() : List.of(out.substring(0, out.length() - 1).split("\0", -1));
  }

  /**
   * Creates the one directory {@code path} with {@code permissions} (the host's umask may take bits
   * away, never add them); its parent must exist. Fails when anything is already at {@code path}, a
   * symlink included, so a directory this call created is a real, empty one. Default:
   * {@code mkdir -m MODE -- PATH} through {@link #exec}.
   *
   * @throws IOException when it was not created
   */
  default void mkdir(String path, int permissions) throws IOException {
    Result r = exec(List.of("mkdir", "-m", Integer.toOctalString(permissions & 07777), "--", path), new byte[0]);
    if (!r.succeeded()) {
      throw new IOException("cannot create " + path + ": " + r.output().strip());
    }
  }

  /** Creates {@code path} and missing parents as directories ({@code 0755}). */
  void mkdirs(String path) throws IOException;

  /** The bytes of a small file, or null when it does not exist. */
  byte[] read(String path) throws IOException;

  /** What is at {@code path}, not following a final symlink; {@link Stat#ABSENT} when nothing. */
  Stat stat(String path) throws IOException;

  /** A short description for logs: {@code local:/srv}, {@code ssh://root@web1:22}. */
  String describe();

  /** Releases connections. Never throws. */
  @Override
  void close();

  /** The standard streams of a started command. Closing ends the command. */
  interface Channel extends AutoCloseable {
    /** The command's standard input. */
    java.io.OutputStream stdin();

    /** The command's standard output. */
    java.io.InputStream stdout();

    /** True while the command may still answer. */
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
    /** Copies. */
    public Result {
      stdout = stdout.clone();
      stderr = stderr.clone();
    }

    /** A copy of standard output. */
    @Override
    public byte[] stdout() {
      return stdout.clone();
    }

    /** A copy of standard error. */
    @Override
    public byte[] stderr() {
      return stderr.clone();
    }

    /** Standard output and error as UTF-8 text, joined. */
    public String output() {
      String out = new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
      String err = new String(stderr, java.nio.charset.StandardCharsets.UTF_8);
      return err.isEmpty() ? out : out.isEmpty() ? err : out + (out.endsWith("\n") ? "" : "\n") + err;
    }

    /** True when the exit code is 0. */
    public boolean succeeded() {
      return exitCode == 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Result r && exitCode == r.exitCode && Arrays.equals(stdout, r.stdout)
          && Arrays.equals(stderr, r.stderr);
    }

    @Override
    public int hashCode() {
      return Objects.hash(exitCode, Arrays.hashCode(stdout), Arrays.hashCode(stderr));
    }

    @Override
    public String toString() {
      return "Result[exit " + exitCode + ", " + stdout.length + " bytes out, " + stderr.length
          + " bytes err]";
    }
  }

  /**
   * What is at a path.
   *
   * @param type file, directory, symlink, other or absent
   * @param permissions permission bits ({@code 0} when absent)
   * @param modified when its content last changed, null when absent or unknown
   */
  record Stat(Type type, int permissions, java.time.Instant modified) {
    /** Nothing at the path. */
    public static final Stat ABSENT = new Stat(Type.ABSENT, 0, null);

    /** Kinds of filesystem entries. */
    public enum Type { FILE, DIRECTORY, SYMLINK, OTHER, ABSENT }

    /** Validates. */
    public Stat {
      Objects.requireNonNull(type, "type");
    }

    /** Type and permission bits, the time unknown. */
    public Stat(Type type, int permissions) {
      this(type, permissions, null);
    }
  }
}

package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * A remote host over SSH (Apache MINA SSHD): public-key authentication, strict known_hosts
 * verification (an unknown or changed host key fails with {@link HostKeyRejectedException}; a key is
 * never accepted automatically), bounded everywhere: connect, command and per-operation timeouts
 * (every SFTP request, every channel open) and keepalives that the server must answer, so a frozen
 * or vanished peer fails what waits on it instead of stalling it. One connection, opened on
 * first use and reopened when it dropped, serves every command, and a small pool of SFTP sessions
 * ({@link Builder#sftpSessions}) every file operation, so a long-running agent pays the handshake
 * once. Writes and renames that threads make at the same time on one SFTP session are pipelined
 * together (their requests sent back to back, their answers read in a row); a new file gets its
 * mode in the SFTP open, with a separate {@code fsetstat} only until that mode is seen to survive
 * the server's umask. Thread-safe.
 *
 * <p>Commands are argument vectors, each argument single-quoted for the remote POSIX shell. File
 * operations use SFTP; atomic replace uses {@code posix-rename@openssh.com} when the server offers it.
 * Owner and group names are resolved to ids once per name with {@code id -u} / {@code getent group}.
 *
 * <pre>{@code
 * SshHost web1 = SshHost.builder().host("web1").user("deploy")
 *     .identity(Path.of("/etc/gitops/id_ed25519"), null).knownHosts(Path.of("/etc/gitops/known_hosts"))
 *     .build();
 * }</pre>
 */
public final class SshHost implements Host {
  private final SshConnection.Options options;
  private final Duration commandTimeout;
  private final SshConnection connection;
  private final SshCommands commands;
  private final SftpWrites writes;

  private SshHost(SshConnection.Options options, Duration commandTimeout) {
    this.options = options;
    this.commandTimeout = commandTimeout;
    this.connection = new SshConnection(options, describe());
    this.commands = new SshCommands(connection, options.connectTimeout(), describe());
    this.writes = new SftpWrites(connection, commands, commandTimeout);
  }

  private SftpClient sftp() throws IOException {
    return connection.sftp();
  }

  /**
   * {@return a builder; {@code host}, {@code user}, {@code identity} and {@code knownHosts} are
   * required, every timeout has a default}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the builder's {@code commandTimeout}} */
  @Override
  public Duration timeout() {
    return commandTimeout;
  }

  /** {@link #exec(List, byte[], Duration)} with the builder's {@code commandTimeout}. */
  @Override
  public Result exec(List<String> command, byte[] stdin) throws IOException {
    return exec(command, stdin, commandTimeout);
  }

  /**
   * Runs the command over a new exec channel. {@code timeout} bounds the whole command from the
   * channel's opening: sending {@code stdin} (to a peer that may read it slowly), its output and its
   * end. When it runs out the channel is closed (the remote command is not signalled: commands that
   * must end run under the host's {@code timeout}, as handlers do) and
   * {@link CommandTimeoutException} is thrown.
   */
  @Override
  public Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
    return commands.exec(command, stdin, timeout, Integer.MAX_VALUE);
  }

  /** The channel's output is kept in buffers of {@code keep} bytes that drop what came first. */
  @Override
  public Result execKeepingTail(List<String> command, byte[] stdin, Duration timeout, int keep) throws IOException {
    return commands.exec(command, stdin, timeout, keep);
  }

  @Override
  public Channel start(List<String> command) throws IOException {
    return commands.start(command);
  }

  @Override
  public void write(String path, byte[] data, int permissions, boolean exclusive) throws IOException {
    writes.write(path, data, permissions, exclusive);
  }

  @Override
  public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
      throws IOException {
    writeAndRename(tmp, path, data, permissions, replace, null);
  }

  /**
   * Remembers the folders the files target at {@code root} trusts: a file of one of them is written over
   * SFTP and renamed into place, not through {@code Host}'s private-folder script that a file of a folder
   * someone else may write takes otherwise.
   */
  @Override
  public void trust(String root, java.util.List<String> folders) {
    writes.trust(root, folders);
  }

  /** Forgets whether someone else may write {@code root} and the folders under it: judged again at the next write. */
  @Override
  public void forget(String root) {
    writes.forget(root);
  }

  /** Pipelined: the directories' {@code lstat}s go in the same flight as the data, no round trip more. */
  @Override
  public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace, String root)
      throws IOException {
    writes.writeAndRename(this, tmp, path, data, permissions, replace, root);
  }

  /**
   * Pipelined as a write without an owner: the owner and group set on the open handle
   * ({@code fsetstat}, in the flight of the data), so no path is followed and no round trip is added.
   * Setuid, setgid or sticky bits (which a {@code chown} clears), or a session that does not pipeline,
   * take {@link Host}'s steps.
   */
  @Override
  public void writeAndRename(String tmp, String path, byte[] data, FileMode mode, boolean replace, String root)
      throws IOException {
    writes.writeAndRename(this, tmp, path, data, mode, replace, root);
  }

  /** Over SFTP: owner and group set on the open handle before the data, then looks at {@code tmp} and the rename. */
  @Override
  public void writeAndRename(String tmp, String path, java.io.InputStream data, long size, FileMode mode,
      boolean replace, String root) throws IOException {
    writes.writeAndRename(this, tmp, path, data, size, mode, replace, root);
  }

  /** Chunked SFTP writes: memory holds one chunk whatever the size. */
  @Override
  public void write(String path, java.io.InputStream data, int permissions, boolean exclusive) throws IOException {
    writes.write(path, data, permissions, exclusive);
  }

  @Override
  public void append(String path, byte[] data) throws IOException {
    writes.append(path, data);
  }

  @Override
  public void chown(String path, String owner, String group) throws IOException {
    writes.chown(path, owner, group);
  }

  @Override
  public void chmod(String path, int permissions) throws IOException {
    SftpFiles.chmod(sftp(), path, permissions);
  }

  @Override
  public void rename(String from, String to, boolean replace) throws IOException {
    writes.rename(from, to, replace);
  }

  @Override
  public boolean delete(String path) throws IOException {
    return SftpFiles.delete(sftp(), path);
  }

  @Override
  public boolean deleteDirectory(String path) throws IOException {
    return SftpFiles.deleteDirectory(sftp(), path);
  }

  @Override
  public List<String> files(String dir) throws IOException {
    return SftpReads.files(sftp(), dir);
  }

  @Override
  public java.util.Map<String, Stat.Type> entries(String dir) throws IOException {
    return SftpReads.entries(sftp(), dir);
  }

  @Override
  public void mkdir(String path, int permissions) throws IOException {
    SftpFiles.mkdir(sftp(), path, permissions);
  }

  @Override
  public void mkdirs(String path) throws IOException {
    SftpFiles.mkdirs(sftp(), path);
  }

  @Override
  public byte[] read(String path) throws IOException {
    return SftpReads.read(sftp(), path);
  }

  /** As {@link #read(String)}, at most {@code max} bytes read ({@link BoundedReads}). */
  byte[] read(String path, int max) throws IOException {
    return SftpReads.read(sftp(), path, max);
  }

  @Override
  public Stat stat(String path) throws IOException {
    return SftpReads.stat(sftp(), path);
  }

  /** {@return true when a connection is open now (it is opened on first use, again after a drop)} */
  public boolean isConnected() {
    return connection.isConnected();
  }

  @Override
  public String describe() {
    return "ssh://" + options.user() + "@" + options.host() + ":" + options.port();
  }

  /** Closes the connection; the next use opens a new one. */
  @Override
  public void close() {
    connection.close();
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Options of an {@link SshHost}. Not thread-safe; {@link #build()} copies nothing it does not need. */
  public static final class Builder {
    private String host;
    private int port = 22;
    private String user;
    private Path identity;
    private String passphrase;
    private Path knownHosts;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration commandTimeout = Duration.ofMinutes(5);
    private Duration operationTimeout = Duration.ofSeconds(60);
    private Duration keepAlive = Duration.ofSeconds(15);
    private boolean postQuantumFirst;
    private int sftpSessions = 4;

    private Builder() {}

    /**
     * SFTP sessions per connection, at most; 4 by default. OpenSSH serves each in its own process,
     * so parallel writes (the applier's parallelism) spread over them. With the reader of each files
     * target they count against the server's {@code MaxSessions} (10 by default); when the server
     * refuses another session, an open one is shared.
     *
     * @param count sessions per connection; at least 1
     * @return this builder
     */
    public Builder sftpSessions(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("sftpSessions must be at least 1: " + count);
      }
      this.sftpSessions = count;
      return this;
    }

    /**
     * Prefer the post-quantum hybrid key exchanges ({@code sntrup761x25519-sha512},
     * {@code mlkem768x25519-sha256}) over {@code curve25519-sha256}. Off by default: in pure Java
     * they add several hundred milliseconds to every handshake. Either way, both stay enabled.
     *
     * @param first true to offer the post-quantum hybrids first
     * @return this builder
     */
    public Builder postQuantumFirst(boolean first) {
      this.postQuantumFirst = first;
      return this;
    }

    /**
     * The server to connect to; required.
     *
     * @param name host name or IP address, as listed in known_hosts
     * @return this builder
     */
    public Builder host(String name) {
      this.host = name;
      return this;
    }

    /**
     * The server's SSH port; 22 by default.
     *
     * @param number {@code 1} to {@code 65535}
     * @return this builder
     */
    public Builder port(int number) {
      this.port = number;
      return this;
    }

    /**
     * The user to log in as; required. Files are written with this user's rights.
     *
     * @param name the remote user name
     * @return this builder
     */
    public Builder user(String name) {
      this.user = name;
      return this;
    }

    /**
     * The private key to authenticate with; required. Refused at first use when group or others may access it.
     *
     * @param keyFile private key file, OpenSSH or PEM format; {@code chmod 600} when this user owns it
     * @param keyPassphrase its passphrase, null when the key is not encrypted
     * @return this builder
     */
    public Builder identity(Path keyFile, String keyPassphrase) {
      this.identity = keyFile;
      this.passphrase = keyPassphrase;
      return this;
    }

    /**
     * The known_hosts file the server's key must be listed in; required. An unlisted or changed
     * key fails the connection with a {@link HostKeyRejectedException}.
     *
     * @param file an OpenSSH known_hosts file
     * @return this builder
     */
    public Builder knownHosts(Path file) {
      this.knownHosts = file;
      return this;
    }

    /**
     * Timeout of connect, key exchange and authentication; 10 s by default.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Timeout of one command run with {@link SshHost#exec(List, byte[])}; 5 minutes by default.
     *
     * @param timeout positive; the command is ended when it runs out
     * @return this builder
     */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * How long one file operation (an SFTP request: open, read, write, rename, stat) or the opening
     * of a channel may wait for the host's answer; 60 s by default. Past it the operation fails
     * (the step with it, retryably) and the connection is dropped and opened again on next use.
     * Also the longest a connection may sit idle without keepalives.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder operationTimeout(Duration timeout) {
      this.operationTimeout = timeout;
      return this;
    }

    /**
     * Interval of keepalive requests ({@code keepalive@openssh.com}, answered by the server), 15 s by
     * default; zero turns them off. Three left unanswered (a frozen or vanished peer) end the
     * connection, failing what waits on it.
     *
     * @param interval time between keepalive requests; {@link Duration#ZERO} turns them off
     * @return this builder
     */
    public Builder keepAlive(Duration interval) {
      this.keepAlive = interval;
      return this;
    }

    /**
     * Validates and builds; nothing connects until first use.
     *
     * @return the host, not yet connected
     * @throws IllegalArgumentException when a required option is missing or a value is out of range
     */
    public SshHost build() {
      SshConnection.Options options = new SshConnection.Options(host, port, user, identity, passphrase, knownHosts,
          connectTimeout, operationTimeout, keepAlive, postQuantumFirst, sftpSessions);
      Objects.requireNonNull(commandTimeout, "commandTimeout");
      SshConnection.Options.positive(commandTimeout, "commandTimeout");
      return new SshHost(options, commandTimeout);
    }

    /** Never prints the passphrase. */
    @Override
    public String toString() {
      return "SshHost.Builder[" + user + "@" + host + ":" + port + "]";
    }
  }
}

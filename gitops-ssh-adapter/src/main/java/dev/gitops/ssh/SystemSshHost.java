package dev.gitops.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A remote host reached through the system's OpenSSH client, {@code ssh}, as git and Ansible reach
 * theirs: every command is {@code ssh} with an argument vector (never a shell line), every file
 * operation one of {@link Host}'s fixed shell scripts run through it. The same rules as
 * {@link SshHost}: public-key authentication with the given key only (no agent, no
 * {@code ~/.ssh/config}: {@code -F /dev/null}), strict known_hosts checking against the given file
 * only (an unknown, changed or revoked key fails with {@link HostKeyRejectedException}; known_hosts is
 * never written), core's algorithm policy ({@code SshAlgorithms}), connect timeout and keepalives the
 * server must answer. Commands share one connection ({@code ControlMaster}, its socket in a private
 * {@code 0700} folder), opened before the first command: that one pays the handshake, the others
 * start in a few milliseconds, at most {@link Builder#maxSessions} at once; {@link #close()} ends that connection, and a connection left behind by a killed JVM ends by itself
 * once idle for {@link Builder#multiplex}. With {@link Builder#controlFolder} the connection is kept
 * there instead, beyond {@link #close()}, for later hosts (in this process or another) built with the
 * same options, until it has been idle that long (as Ansible keeps its connections). Thread-safe.
 *
 * <p>What it cannot prove: that the {@code ssh} it runs is the one you trust (it is the first on
 * {@code PATH} unless {@link Builder#program} names one). Each command reports its exit status at the
 * end of its standard error, taken off before it is returned, so a status {@code ssh} lost (over a
 * shared connection to MINA SSHD's server) is still known and a command's own 255 is its own; exit
 * status 255 without that report is {@code ssh}'s failure (connection, authentication, host key, or
 * the session lost before the command ended, which may then have run).
 * Needs OpenSSH 8.2 or later on this machine; the host needs a POSIX shell, as for {@link SshHost}.
 *
 * <pre>{@code
 * SystemSshHost web1 = SystemSshHost.builder().host("web1").user("deploy")
 *     .identity(Path.of("/etc/gitops/id_ed25519")).knownHosts(Path.of("/etc/gitops/known_hosts"))
 *     .build();
 * }</pre>
 */
public final class SystemSshHost implements Host {
  private final Builder config;
  private final SharedConnection connection;
  private final SystemSshCommands commands;

  private SystemSshHost(Builder b) {
    this.config = b;
    SystemSshArguments arguments = new SystemSshArguments(b.program, b.host, b.port, b.user, b.identity, b.knownHosts,
        b.connectTimeout, b.keepAlive, b.postQuantumFirst, b.multiplex);
    this.connection = new SharedConnection(arguments, describe(), !b.multiplex.isZero(), b.controlFolder, b.maxSessions);
    this.commands = new SystemSshCommands(arguments, connection, describe(), b.host + ":" + b.port, b.knownHosts,
        b.connectTimeout);
  }

  /** {@return a builder; {@code host}, {@code user}, {@code identity} and {@code knownHosts} are required} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether {@code program} can be run: an executable file when it names a path, else one on
   * {@code PATH}.
   *
   * @param program {@code ssh}, another program name, or a path
   * @return true when it can be run
   */
  public static boolean onPath(String program) {
    return Processes.runnable(program);
  }

  /** The control socket now, null when none; for tests. */
  Path controlSocket() {
    return connection.controlSocket();
  }

  /** {@return the builder's {@code commandTimeout}} */
  @Override
  public Duration timeout() {
    return config.commandTimeout;
  }

  /** {@link #exec(List, byte[], Duration)} with the builder's {@code commandTimeout}. */
  @Override
  public Result exec(List<String> command, byte[] stdin) throws IOException {
    return exec(command, stdin, config.commandTimeout);
  }

  /**
   * Runs {@code ssh ... -- host LINE}, the command itself the first line of {@code ssh}'s standard
   * input, as {@link SshHost} sends it (whatever the login shell, see the README). When {@code timeout} runs out the local {@code ssh}
   * is killed, which closes its channel (the remote command is not signalled, as with
   * {@link SshHost}), and {@link CommandTimeoutException} is thrown.
   *
   * @throws HostKeyRejectedException when known_hosts does not vouch for the host's key
   * @throws IOException when {@code ssh} cannot connect or log in, or the session was lost before the
   *     command reported its status (exit status 255), with its message
   */
  @Override
  public Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
    return execKeepingTail(command, stdin, timeout, Integer.MAX_VALUE);
  }

  /** As {@link #exec(List, byte[], Duration)}; {@code ssh}'s output goes to temporary files, of which the end is read. */
  @Override
  public Result execKeepingTail(List<String> command, byte[] stdin, Duration timeout, int keep) throws IOException {
    return commands.exec(command, stdin, timeout, keep);
  }

  /**
   * Starts the command under a local {@code ssh}; its standard error is discarded. A connection
   * failure shows as the channel's output ending: the caller then runs {@link #exec}, which reports it.
   * It holds one of the {@link Builder#maxSessions} until it ends, and is refused with an
   * {@code IOException} when that would leave none for other commands.
   */
  @Override
  public Channel start(List<String> command) throws IOException {
    return commands.start(command, config.commandTimeout);
  }

  /** One command (one remote shell) instead of {@link Host}'s two: the write and the rename in one script. */
  @Override
  public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
      throws IOException {
    ShellFiles.writeAndRename(this, tmp, path, data, permissions, replace);
  }

  @Override
  public String describe() {
    return "ssh://" + config.user + "@" + config.host + ":" + config.port;
  }

  /**
   * Ends the shared connection ({@code ssh -O exit}) and removes its folder; the next command opens a
   * new one. A connection kept in the {@link Builder#controlFolder} is left to end once idle. Never throws.
   */
  @Override
  public void close() {
    connection.close(config.connectTimeout);
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Options of a {@link SystemSshHost}. Not thread-safe; {@link #build()} copies. */
  public static final class Builder {
    private String program = "ssh";
    private String host;
    private int port = 22;
    private String user;
    private Path identity;
    private Path knownHosts;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration commandTimeout = Duration.ofMinutes(5);
    private Duration keepAlive = Duration.ofSeconds(15);
    private Duration multiplex = Duration.ofSeconds(30);
    private Path controlFolder;
    private boolean postQuantumFirst;
    private int maxSessions = 10;

    private Builder() {}

    /**
     * The OpenSSH client to run; {@code ssh}, found on {@code PATH}, by default.
     *
     * @param path a program name looked up on {@code PATH}, or a path
     * @return this builder
     */
    public Builder program(String path) {
      this.program = path;
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
     * The user to log in as; required.
     *
     * @param name the remote user name
     * @return this builder
     */
    public Builder user(String name) {
      this.user = name;
      return this;
    }

    /**
     * The private key to authenticate with, the only one offered; required. An encrypted key cannot
     * be used (there is no one to ask for its passphrase).
     *
     * @param keyFile private key file in a format {@code ssh} reads
     * @return this builder
     */
    public Builder identity(Path keyFile) {
      this.identity = keyFile;
      return this;
    }

    /**
     * The known_hosts file the server's key must be listed in, the only one consulted; required.
     *
     * @param file an OpenSSH known_hosts file; never written
     * @return this builder
     */
    public Builder knownHosts(Path file) {
      this.knownHosts = file;
      return this;
    }

    /**
     * Timeout of the TCP connect and the server's greeting ({@code ConnectTimeout}); 10 s by default.
     *
     * @param timeout positive, whole seconds (rounded up)
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Timeout of one command run with {@link SystemSshHost#exec(List, byte[])}; 5 minutes by default.
     *
     * @param timeout positive; the local {@code ssh} is killed when it runs out
     * @return this builder
     */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * Interval of keepalive requests the server must answer ({@code ServerAliveInterval}, three
     * unanswered end the connection); 15 s by default.
     *
     * @param interval positive, whole seconds (rounded up)
     * @return this builder
     */
    public Builder keepAlive(Duration interval) {
      this.keepAlive = interval;
      return this;
    }

    /**
     * How long the shared connection stays open after its last command ({@code ControlPersist});
     * 30 s by default. {@link Duration#ZERO}: no sharing, every command makes its own connection.
     *
     * @param idle zero or positive, whole seconds (rounded up)
     * @return this builder
     */
    public Builder multiplex(Duration idle) {
      this.multiplex = idle;
      return this;
    }

    /**
     * Keeps the shared connection in {@code folder}, beyond {@link SystemSshHost#close()}, for later
     * hosts with the same options: in this process or another, they reuse it (no handshake, no authentication)
     * until it has been idle for {@link #multiplex}. Its socket is named after a digest of every
     * connection option (program, host, port, user, identity, known_hosts, timeouts, algorithms), so a
     * host built with any other option never reuses it: a reused connection skips the key and
     * known_hosts checks, which the connection made when it opened. Anyone who can open the socket can
     * run commands as the user until then, so the folder must be this user's alone: it is created
     * {@code 0700} when missing, and one open to group or others, a symlink, or one too deep for a Unix
     * socket's path is not used (the host then keeps a temporary folder, as without this option). By
     * default none.
     *
     * @param folder a private folder, e.g. under {@code $XDG_RUNTIME_DIR}; null for none
     * @return this builder
     */
    public Builder controlFolder(Path folder) {
      this.controlFolder = folder;
      return this;
    }

    /**
     * The most commands that run at once, each a session of the shared connection; 10 by default,
     * OpenSSH {@code sshd}'s default {@code MaxSessions} (MINA SSHD's server sets no limit). More wait
     * for one to end, within their own timeout. A server with a lower {@code MaxSessions} refuses the
     * sessions past it, and {@code ssh} then makes a connection of its own for each (a full handshake,
     * and its words on the command's standard error): set this to the server's value.
     *
     * @param most at least 1
     * @return this builder
     */
    public Builder maxSessions(int most) {
      this.maxSessions = most;
      return this;
    }

    /**
     * Offer the post-quantum hybrid key exchanges first (OpenSSH's own order) instead of
     * {@code curve25519-sha256} first (core's policy).
     *
     * @param first true to keep OpenSSH's order
     * @return this builder
     */
    public Builder postQuantumFirst(boolean first) {
      this.postQuantumFirst = first;
      return this;
    }

    /**
     * Validates and builds; nothing runs until the first command.
     *
     * @return the host
     * @throws IllegalArgumentException when a required option is missing or a value is out of range
     */
    public SystemSshHost build() {
      if (host == null || host.isBlank() || host.startsWith("-") || host.contains("@") || !host.strip().equals(host)
          || user == null || user.isBlank() || user.startsWith("-")) {
        throw new IllegalArgumentException("host and user are required (no leading '-', no '@' in the host)");
      }
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(knownHosts, "knownHosts");
      Objects.requireNonNull(program, "program");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      for (Duration d : List.of(connectTimeout, commandTimeout, keepAlive)) {
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("timeouts must be positive: " + d);
        }
      }
      if (multiplex.isNegative() || maxSessions < 1) {
        throw new IllegalArgumentException("multiplex must not be negative (" + multiplex + "), maxSessions at least 1 ("
            + maxSessions + ")");
      }
      Builder copy = new Builder();
      copy.program = program;
      copy.host = host;
      copy.port = port;
      copy.user = user;
      copy.identity = identity;
      copy.knownHosts = knownHosts;
      copy.connectTimeout = connectTimeout;
      copy.commandTimeout = commandTimeout;
      copy.keepAlive = keepAlive;
      copy.multiplex = multiplex;
      copy.controlFolder = controlFolder;
      copy.postQuantumFirst = postQuantumFirst;
      copy.maxSessions = maxSessions;
      return new SystemSshHost(copy);
    }

    @Override
    public String toString() {
      return "SystemSshHost.Builder[" + user + "@" + host + ":" + port + "]";
    }
  }
}

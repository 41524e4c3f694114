package dev.gitops.testing.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real OpenSSH {@code sshd} on 127.0.0.1 and a free port, for integration tests: fresh ed25519 host
 * and user keys in a directory of the test's, public-key login for the current user only, SFTP
 * ({@code internal-sftp}) and exec. Needs {@code /usr/sbin/sshd} and {@code ssh-keygen} (Debian's
 * {@code openssh-server}); check {@link #available()} first and skip the test when it is false.
 *
 * <p>The server's log ({@code LogLevel INFO} unless the extra configuration says otherwise) is kept in
 * memory, so that a test can wait for what the server negotiated ({@link #awaitLogLine}). Thread-safe;
 * stop the server with {@link #close()}.
 */
public final class OpenSshd implements AutoCloseable {
  /** Where the server is expected, as Debian installs it. */
  public static final Path SSHD = Path.of("/usr/sbin/sshd");
  /** The passphrase of {@link #userKeyWithPassphrase()}. */
  public static final String PASSPHRASE = "open sesame";
  private static final String HOST = "127.0.0.1";
  private final Process process;
  private final List<String> log;
  private final Path dir;
  private final int port;

  private OpenSshd(Process process, List<String> log, Path dir, int port) {
    this.process = process;
    this.log = log;
    this.dir = dir;
    this.port = port;
  }

  /** {@return true when {@link #SSHD} is installed (executable) here} */
  public static boolean available() {
    return Files.isExecutable(SSHD);
  }

  /**
   * Starts a server with fresh keys and its configuration in {@code dir}, and returns once it listens.
   *
   * @param dir a directory of the test's (created if missing): keys, {@code sshd_config}, pid file
   * @param extraConfig {@code sshd_config} lines that go first, so they win over the defaults (for
   *     {@code sshd_config}, the first value of a keyword wins), e.g.
   *     {@code "KexAlgorithms sntrup761x25519-sha512@openssh.com"} or {@code "LogLevel DEBUG1"}; a
   *     {@code "Subsystem sftp ..."} line replaces the default {@code internal-sftp}
   * @return the running server
   * @throws IOException when a key cannot be made or the server does not start
   * @throws InterruptedException when interrupted while starting
   */
  public static OpenSshd start(Path dir, String... extraConfig) throws IOException, InterruptedException {
    return start(dir, null, extraConfig);
  }

  /**
   * Starts a server as {@link #start(Path, String...)} does, whose host key is also certified by the
   * certificate authority {@code hostCa} for {@code 127.0.0.1} and presented as a
   * {@code HostCertificate}: clients that trust the authority ({@code @cert-authority}) accept it.
   *
   * @param dir a directory of the test's (created if missing)
   * @param hostCa the authority's private key file (see {@link SshKeys#ed25519})
   * @param extraConfig {@code sshd_config} lines that go first
   * @return the running server
   * @throws IOException when a key cannot be made or the server does not start
   * @throws InterruptedException when interrupted while starting
   */
  public static OpenSshd startCertified(Path dir, Path hostCa, String... extraConfig)
      throws IOException, InterruptedException {
    return start(dir, hostCa, extraConfig);
  }

  private static OpenSshd start(Path dir, Path hostCa, String... extraConfig) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Files.createDirectories(Path.of("/run/sshd")); // privilege separation directory
    SshKeys.ed25519(dir.resolve("host_key"), "");
    SshKeys.ed25519(dir.resolve("user_key"), "");
    SshKeys.ed25519(dir.resolve("user_key_pw"), PASSPHRASE);
    Files.writeString(dir.resolve("authorized_keys"),
        Files.readString(dir.resolve("user_key.pub")) + Files.readString(dir.resolve("user_key_pw.pub")));
    String certificate = "";
    if (hostCa != null) {
      certificate = "HostCertificate " + SshKeys.certifyHost(hostCa, dir.resolve("host_key.pub"), HOST);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> config = new ArrayList<>(List.of(extraConfig));
    config.addAll(List.of("Port " + port, "ListenAddress " + HOST, "HostKey " + dir.resolve("host_key"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PidFile " + dir.resolve("sshd.pid"),
        "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes", "AllowUsers " + user(), "PermitRootLogin prohibit-password",
        "MaxStartups 100:30:200", "LogLevel INFO", certificate, ""));
    if (config.stream().noneMatch(line -> line.startsWith("Subsystem sftp "))) { // sshd refuses a second one
      config.add(config.size() - 1, "Subsystem sftp internal-sftp");
    }
    Files.writeString(dir.resolve("sshd_config"), String.join("\n", config));
    Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
        .redirectErrorStream(true).start();
    BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
    List<String> log = new ArrayList<>(); // this thread's until the drain starts, then guarded by itself
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      log.add(line);
      if (line.contains("Server listening on")) {
        Thread drain = new Thread(() -> collect(out, log), "sshd-log");
        drain.setDaemon(true);
        drain.start();
        Files.writeString(dir.resolve("known_hosts"), SshKeys.knownHostsLine(HOST, port, dir.resolve("host_key.pub")));
        return new OpenSshd(p, log, dir, port);
      }
    }
    p.destroyForcibly();
    throw new IOException("sshd did not start: " + log);
  }

  private static void collect(BufferedReader out, List<String> log) {
    try {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        synchronized (log) {
          log.add(line);
          log.notifyAll();
        }
      }
    } catch (IOException closed) {
      return;
    }
  }

  /** {@return the user the server lets in: the one running the test ({@code user.name})} */
  public static String user() {
    return System.getProperty("user.name");
  }

  /** {@return the address the server listens on: {@code 127.0.0.1}} */
  public String host() {
    return HOST;
  }

  /** {@return the port the server listens on, chosen free at start} */
  public int port() {
    return port;
  }

  /** {@return the directory given at start: the server's keys and configuration} */
  public Path dir() {
    return dir;
  }

  /** {@return the private key file the server accepts, without a passphrase ({@code user_key}, {@code .pub} beside)} */
  public Path userKey() {
    return dir.resolve("user_key");
  }

  /** {@return a second private key file the server accepts, protected by {@link #PASSPHRASE}} */
  public Path userKeyWithPassphrase() {
    return dir.resolve("user_key_pw");
  }

  /** {@return the {@code known_hosts} file, written at start, that knows this server and nothing else} */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /**
   * {@return {@code ssh://user@127.0.0.1:port/path}: Git's URL of {@code path} on this server}
   *
   * @param path a path on this machine, e.g. a repository in the test's temp dir
   */
  public String url(Path path) {
    return "ssh://" + user() + "@" + HOST + ":" + port + path.toAbsolutePath();
  }

  /**
   * {@return an OpenSSH client command line ({@code GIT_SSH_COMMAND}, rsync's {@code -e}) that reaches
   * this server the way the library does: the user key only, strict checking, no prompts}
   */
  public String sshCommand() {
    return "ssh -F /dev/null -p " + port + " -i " + userKey() + " -o IdentitiesOnly=yes"
        + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + knownHosts() + " -o BatchMode=yes";
  }

  /** {@return how many log lines the server wrote so far: pass it to {@link #awaitLogLine} to skip them} */
  public int logSize() {
    synchronized (log) {
      return log.size();
    }
  }

  /**
   * The first log line after the first {@code from} lines that matches {@code wanted}, waiting up to
   * 30 seconds for the server to write it. Lines below {@code LogLevel INFO} need
   * {@code "LogLevel DEBUG1"} in the extra configuration.
   *
   * @param from how many lines to skip, from {@link #logSize()}
   * @param wanted the line to wait for
   * @return the line, or null when none came within 30 seconds
   * @throws InterruptedException when interrupted while waiting
   */
  public String awaitLogLine(int from, Predicate<String> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    synchronized (log) {
      for (int i = from; ; ) {
        for (; i < log.size(); i++) {
          if (wanted.test(log.get(i))) {
            return log.get(i);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(log, left);
      }
    }
  }

  /**
   * {@return the listening {@code sshd}: each session is served by a child of it and that child's
   * descendants, so a test can freeze ({@code kill -STOP}) or kill them mid-operation}
   */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /**
   * Stops the server (TERM, then KILL after 5 seconds).
   *
   * @throws InterruptedException when interrupted while waiting for it to end
   */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "OpenSshd[" + HOST + ":" + port + "]";
  }
}

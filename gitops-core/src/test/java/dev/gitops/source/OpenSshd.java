package dev.gitops.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real OpenSSH {@code sshd} on 127.0.0.1 and a free port, with fresh ed25519 host and user keys,
 * accepting the user's key for the current user only. Logs at {@code DEBUG1}, collected in memory so
 * tests can read what the server negotiated. Stop it with {@link #close()}.
 */
final class OpenSshd implements AutoCloseable {
  static final Path SSHD = Path.of("/usr/sbin/sshd");
  private final Process process;
  private final List<String> log;
  final Path dir;
  final int port;

  private OpenSshd(Process process, List<String> log, Path dir, int port) {
    this.process = process;
    this.log = log;
    this.dir = dir;
    this.port = port;
  }

  static boolean available() {
    return Files.isExecutable(SSHD);
  }

  /** Starts a server; {@code extraConfig} lines go first in its {@code sshd_config} (the first value wins). */
  static OpenSshd start(Path dir, String... extraConfig) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Files.createDirectories(Path.of("/run/sshd"));
    keygen(dir.resolve("host_key"), "");
    keygen(dir.resolve("user_key"), "");
    keygen(dir.resolve("user_key_pw"), "open sesame");
    Files.writeString(dir.resolve("authorized_keys"),
        Files.readString(dir.resolve("user_key.pub")) + Files.readString(dir.resolve("user_key_pw.pub")));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String user = System.getProperty("user.name");
    Files.writeString(dir.resolve("sshd_config"), String.join("\n", extraConfig) + "\n" + String.join("\n",
        "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PidFile " + dir.resolve("sshd.pid"),
        "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes", "AllowUsers " + user, "PermitRootLogin prohibit-password",
        "MaxStartups 100:30:200", "LogLevel DEBUG1", ""));
    Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.add(line);
      if (line.contains("Server listening on")) {
        List<String> log = new ArrayList<>();
        Thread drain = new Thread(() -> collect(out, log), "sshd-log");
        drain.setDaemon(true);
        drain.start();
        return new OpenSshd(p, log, dir, port);
      }
    }
    throw new IOException("sshd did not start: " + seen);
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

  /** How many log lines the server wrote so far; pass it to {@link #awaitLogLine} to skip them. */
  int logSize() {
    synchronized (log) {
      return log.size();
    }
  }

  /**
   * The first log line after the first {@code from} lines that matches {@code wanted}, waiting for the
   * server to write it (up to 30 s, then null).
   */
  String awaitLogLine(int from, Predicate<String> wanted) throws InterruptedException {
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

  /** {@code [127.0.0.1]:port <host key>} for a known_hosts file. */
  String knownHostsLine() throws IOException {
    String[] pub = Files.readString(dir.resolve("host_key.pub")).trim().split("\\s+");
    return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n";
  }

  /** A known_hosts file that knows this server. */
  Path knownHosts() throws IOException {
    Path file = dir.resolve("known_hosts");
    Files.writeString(file, knownHostsLine());
    return file;
  }

  String url(Path repo) {
    return "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port + repo.toAbsolutePath();
  }

  Path userKey() {
    return dir.resolve("user_key");
  }

  Path userKeyWithPassphrase() {
    return dir.resolve("user_key_pw");
  }

  static void keygen(Path file, String passphrase) throws IOException, InterruptedException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(Path.of(file + ".pub"));
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-a", "2", "-N", passphrase, "-C", "test", "-f",
        file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("ssh-keygen failed: " + out);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}

package dev.gitops.benchmarks.git;

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

/**
 * A real OpenSSH {@code sshd} on 127.0.0.1 and a free port, with fresh ed25519 host and user keys,
 * for the benchmark's SSH runs. Not thread-safe; stop it with {@link #close()}.
 */
final class LocalSshd implements AutoCloseable {
  static final Path SSHD = Path.of("/usr/sbin/sshd");
  private final Process process;
  private final Path dir;
  private final int port;

  private LocalSshd(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** True when {@code /usr/sbin/sshd} exists. */
  static boolean available() {
    return Files.isExecutable(SSHD);
  }

  /** Starts sshd with keys and config in {@code dir}; returns once it listens. */
  static LocalSshd start(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Files.createDirectories(Path.of("/run/sshd"));
    keygen(dir.resolve("host_key"));
    keygen(dir.resolve("user_key"));
    Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("sshd_config"), String.join("\n",
        "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PidFile " + dir.resolve("sshd.pid"),
        "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes", "AllowUsers " + System.getProperty("user.name"),
        "PermitRootLogin prohibit-password", "MaxStartups 100:30:200", ""));
    Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.add(line);
      if (line.contains("Server listening on")) {
        Thread drain = new Thread(() -> drain(out), "sshd-log");
        drain.setDaemon(true);
        drain.start();
        LocalSshd sshd = new LocalSshd(p, dir, port);
        String[] pub = Files.readString(dir.resolve("host_key.pub")).trim().split("\\s+");
        Files.writeString(sshd.knownHosts(), "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n");
        return sshd;
      }
    }
    throw new IOException("sshd did not start: " + seen);
  }

  Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  Path userKey() {
    return dir.resolve("user_key");
  }

  String url(Path repo) {
    return "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port + repo.toAbsolutePath();
  }

  /** The {@code GIT_SSH_COMMAND} that makes the git CLI use the same key and strict known_hosts. */
  String gitSshCommand() {
    return "ssh -F /dev/null -i " + userKey() + " -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes"
        + " -o UserKnownHostsFile=" + knownHosts() + " -o BatchMode=yes";
  }

  private static void keygen(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f",
        file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("ssh-keygen failed: " + out);
    }
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        continue;
      }
    } catch (IOException closed) {
      return;
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

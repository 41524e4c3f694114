package dev.gitops.benchmarks.hosts;

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
 * A real OpenSSH {@code sshd} on 127.0.0.1 and a free port with fresh ed25519 keys, serving both our
 * SFTP/exec client and rsync in the hosts benchmark. Stop it with {@link #close()}.
 */
final class HostsSshd implements AutoCloseable {
  static final Path SSHD = Path.of("/usr/sbin/sshd");
  private final Process process;
  final Path dir;
  final int port;

  private HostsSshd(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  static boolean available() {
    return Files.isExecutable(SSHD);
  }

  static HostsSshd start(Path dir) throws IOException, InterruptedException {
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
        "PermitRootLogin prohibit-password", "Subsystem sftp internal-sftp", "MaxStartups 100:30:200", ""));
    Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.add(line);
      if (line.contains("Server listening on")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "sshd-log");
        drain.setDaemon(true);
        drain.start();
        String[] pub = Files.readString(dir.resolve("host_key.pub")).trim().split("\\s+");
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n");
        return new HostsSshd(p, dir, port);
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

  /** The {@code -e} of rsync: same key, strict known_hosts, no user config. */
  String rsyncShell() {
    return "ssh -F /dev/null -p " + port + " -i " + userKey() + " -o IdentitiesOnly=yes"
        + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + knownHosts() + " -o BatchMode=yes";
  }

  private static void keygen(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f",
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

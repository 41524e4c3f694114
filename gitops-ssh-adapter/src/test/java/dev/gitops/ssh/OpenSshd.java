package dev.gitops.ssh;

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
 * accepting the user key for root ({@code PermitRootLogin prohibit-password}). Used by tests and the
 * benchmark helper; stop it with {@link #close()}.
 */
public final class OpenSshd implements AutoCloseable {
  static final Path SSHD = Path.of("/usr/sbin/sshd");
  private final Process process;
  final Path dir;
  final int port;

  private OpenSshd(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** True when {@code /usr/sbin/sshd} is installed. */
  public static boolean available() {
    return Files.isExecutable(SSHD);
  }

  /** Starts a server with fresh keys in {@code dir}. */
  public static OpenSshd start(Path dir) throws IOException, InterruptedException {
    return start(dir, null);
  }

  /**
   * A server whose host key is also certified by {@code hostCa} (a private key file) for
   * {@code 127.0.0.1}, presented with {@code HostCertificate}; null for none.
   */
  static OpenSshd start(Path dir, Path hostCa) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Files.createDirectories(Path.of("/run/sshd"));
    keygen(dir.resolve("host_key"), "");
    String certificate = "";
    if (hostCa != null) {
      run("ssh-keygen", "-q", "-s", hostCa.toString(), "-I", "test-host", "-h", "-n", "127.0.0.1",
          dir.resolve("host_key.pub").toString());
      certificate = "HostCertificate " + dir.resolve("host_key-cert.pub") + "\n";
    }
    keygen(dir.resolve("user_key"), "");
    keygen(dir.resolve("user_key_pw"), "open sesame");
    Files.writeString(dir.resolve("authorized_keys"),
        Files.readString(dir.resolve("user_key.pub")) + Files.readString(dir.resolve("user_key_pw.pub")));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String user = System.getProperty("user.name");
    Files.writeString(dir.resolve("sshd_config"), String.join("\n",
        "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PidFile " + dir.resolve("sshd.pid"),
        "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes", "AllowUsers " + user, "PermitRootLogin prohibit-password",
        "Subsystem sftp internal-sftp", "MaxStartups 100:30:200", "LogLevel ERROR", certificate));
    Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-o", "LogLevel=INFO", "-f",
        dir.resolve("sshd_config").toString()).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.add(line);
      if (line.contains("Server listening on")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "sshd-log");
        drain.setDaemon(true);
        drain.start();
        return new OpenSshd(p, dir, port);
      }
    }
    throw new IOException("sshd did not start: " + seen);
  }

  /** A known_hosts file that knows this server. */
  Path knownHosts() throws IOException {
    String[] pub = Files.readString(dir.resolve("host_key.pub")).trim().split("\\s+");
    Path file = dir.resolve("known_hosts");
    Files.writeString(file, "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n");
    return file;
  }

  Path userKey() {
    return dir.resolve("user_key");
  }

  Path userKeyWithPassphrase() {
    return dir.resolve("user_key_pw");
  }

  /** A client builder that logs in as this user with the server's known_hosts entry. */
  public SshHost.Builder client() throws IOException {
    return SshHost.builder().host("127.0.0.1").port(port).user(System.getProperty("user.name"))
        .identity(userKey(), null).knownHosts(knownHosts());
  }

  static void keygen(Path file, String passphrase) throws IOException, InterruptedException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(Path.of(file + ".pub"));
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "test", "-f", file.toString());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(command[0] + " failed: " + out);
    }
  }

  /**
   * Sends {@code signal} ({@code STOP}, {@code CONT}, {@code KILL}) to every process serving a
   * session (the listener's descendants), and to the listener too when {@code listener}.
   */
  public void signal(String signal, boolean listener) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    process.toHandle().descendants().forEach(p -> command.add(Long.toString(p.pid())));
    if (listener) {
      command.add(Long.toString(process.pid()));
    }
    if (command.size() > 2) {
      new ProcessBuilder(command).inheritIO().start().waitFor();
    }
  }

  /**
   * Kills ({@code SIGKILL}) the listener and the innermost process of each session (the one that
   * speaks the protocol), leaving the privileged monitor that also holds the connection: the
   * client's connection stays open, but nobody answers on it any more.
   */
  public void killSessionsAndListener() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kill", "-KILL", Long.toString(process.pid())));
    process.toHandle().descendants().filter(p -> p.children().findAny().isEmpty())
        .forEach(p -> command.add(Long.toString(p.pid())));
    new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}

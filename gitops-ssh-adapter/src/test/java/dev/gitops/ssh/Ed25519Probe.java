package dev.gitops.ssh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM without BouncyCastle on the class path: logs in with an ed25519 user key to an
 * ed25519-capable server, proving the main-scope {@code eddsa} dependency suffices.
 */
public final class Ed25519Probe {
  private Ed25519Probe() {}

  /** Arguments: port, user key, known_hosts. */
  public static void main(String[] args) throws Exception {
    try {
      Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider");
      System.out.println("BouncyCastle is on the class path");
      System.exit(2);
    } catch (ClassNotFoundException expected) {
      // as intended
    }
    try (SshHost host = SshHost.builder().host("127.0.0.1").port(Integer.parseInt(args[0])).user("tester")
        .identity(Path.of(args[1]), null).knownHosts(Path.of(args[2])).build()) {
      String out = new String(host.exec(List.of("echo", "hello"), new byte[0]).stdout(), StandardCharsets.UTF_8);
      System.out.println(out.strip().equals("hello") ? "ed25519 ok without BouncyCastle" : "unexpected: " + out);
    }
  }
}

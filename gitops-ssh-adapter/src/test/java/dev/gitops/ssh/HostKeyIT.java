package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.OpenSshd;
import dev.gitops.testing.ssh.SshKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict host key checking, key authentication and connection reuse, over MINA SSHD and OpenSSH. */
class HostKeyIT {
  @AutoClose private static MinaServer mina;
  @AutoClose private static OpenSshd openssh;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    mina = MinaServer.start(Files.createTempDirectory("mina-keys"));
    if (OpenSshd.available()) {
      openssh = OpenSshd.start(Files.createTempDirectory("openssh-keys"));
    }
  }

  private static String echo(Host host) throws Exception {
    return new String(host.exec(List.of("sh", "-c", "printf %s \"$1\"", "x", "it's me"), new byte[0]).stdout(),
        StandardCharsets.UTF_8);
  }

  @Test
  void unknownHostKeyIsRefusedNamingHostAndFingerprint() throws Exception {
    Path empty = Files.writeString(dir.resolve("known_hosts"), "");
    try (SshHost host = mina.client().knownHosts(empty).build()) {
      HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class, () -> echo(host));
      assertFalse(e.changed());
      assertTrue(e.getMessage().contains("127.0.0.1:" + mina.port()), e.getMessage());
      assertTrue(e.fingerprint().startsWith("SHA256:"), e.fingerprint());
      assertTrue(e.getMessage().contains(e.fingerprint()));
      assertEquals("", Files.readString(empty), "known_hosts never written");
    }
  }

  @Test
  void changedHostKeyIsRefused() throws Exception {
    String other = Files.readString(mina.knownHosts()).replace("[127.0.0.1]:" + mina.port(), "[127.0.0.1]:1");
    Path wrong = dir.resolve("known_hosts");
    SshKeys.ed25519(dir.resolve("other"), "");
    String[] pub = Files.readString(dir.resolve("other.pub")).trim().split("\\s+");
    Files.writeString(wrong, "[127.0.0.1]:" + mina.port() + " " + pub[0] + " " + pub[1] + "\n" + other);
    try (SshHost host = mina.client().knownHosts(wrong).build()) {
      HostKeyRejectedException e = assertThrows(HostKeyRejectedException.class, () -> echo(host));
      assertTrue(e.changed(), e.getMessage());
      assertTrue(e.getMessage().contains("CHANGED"), e.getMessage());
    }
  }

  @Test
  void openSshUnknownAndChangedKeysAreRefused() throws Exception {
    assumeTrue(openssh != null, "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    Path empty = Files.writeString(dir.resolve("empty"), "");
    try (SshHost host = SshClients.to(openssh).knownHosts(empty).build()) {
      assertFalse(assertThrows(HostKeyRejectedException.class, () -> echo(host)).changed());
    }
    String[] pub = Files.readString(openssh.dir().resolve("user_key.pub")).trim().split("\\s+");
    Path wrong = Files.writeString(dir.resolve("wrong"), "[127.0.0.1]:" + openssh.port() + " " + pub[0] + " " + pub[1] + "\n");
    try (SshHost host = SshClients.to(openssh).knownHosts(wrong).build()) {
      assertTrue(assertThrows(HostKeyRejectedException.class, () -> echo(host)).changed());
    }
  }

  @Test
  void passphraseProtectedKeyLogsIn() throws Exception {
    assumeTrue(openssh != null, "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    try (SshHost host = SshClients.to(openssh).identity(openssh.userKeyWithPassphrase(), "open sesame").build()) {
      assertEquals("it's me", echo(host));
    }
  }

  @Test
  void connectionIsReusedAndReopenedAfterADrop() throws Exception {
    try (SshHost host = mina.client().build()) {
      assertFalse(host.isConnected(), "lazy: no connection before first use");
      assertEquals("it's me", echo(host));
      int sessions = mina.server.getActiveSessions().size();
      assertEquals("it's me", echo(host));
      assertEquals(sessions, mina.server.getActiveSessions().size(), "same connection reused");
      mina.dropAll();
      assertEquals("it's me", echo(host), "reconnects after the connection dropped");
      assertTrue(host.isConnected());
    }
  }

  @Test
  void ed25519WorksWithoutBouncyCastle() throws Exception {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    String cp = String.join(java.io.File.pathSeparator, List.of(System.getProperty("java.class.path")
        .split(java.io.File.pathSeparator)).stream()
        .filter(e -> !e.matches(".*(junit|opentest4j|apiguardian|quicktheories|bcprov|bcpkix|bcutil|bcpg).*"))
        .toList());
    Process p = new ProcessBuilder(javaBin.toString(), "-cp", cp, "-Dorg.apache.sshd.security.provider.BC.enabled=false",
        Ed25519Probe.class.getName(), String.valueOf(mina.port()), mina.userKey().toString(),
        mina.knownHosts().toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.contains("ed25519 ok without BouncyCastle"), out);
  }
}

package dev.gitops.testing.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher against the OpenSSH client: it logs in with the user key and strict host checking. */
class OpenSshdIT {
  @TempDir Path tmp;

  @Test
  void theOpenSshClientLogsInWithTheUserKeyAndKnowsTheHost() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"), "LogLevel VERBOSE")) {
      int mark = sshd.logSize();
      List<String> command = new ArrayList<>(List.of(sshd.sshCommand().split(" ")));
      command.addAll(List.of(OpenSshd.user() + "@" + sshd.host(), "echo logged-in"));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertEquals(0, p.waitFor(), out);
      assertTrue(out.contains("logged-in"), out);
      assertNotNull(sshd.awaitLogLine(mark, l -> l.contains("Accepted publickey")), "VERBOSE logs the login");
      assertTrue(java.nio.file.Files.readString(sshd.knownHosts()).startsWith("[127.0.0.1]:" + sshd.port() + " ssh-ed25519 "));
    }
  }

  @Test
  void aHostCertificateIsSignedByTheGivenAuthority() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    Path ca = SshKeys.ed25519(tmp.resolve("ca"), "");
    try (OpenSshd sshd = OpenSshd.startCertified(tmp.resolve("sshd"), ca)) {
      Path knownHosts = Files.writeString(tmp.resolve("kh"), "@cert-authority [127.0.0.1]:" + sshd.port() + " "
          + Files.readString(SshKeys.publicKey(ca)));
      List<String> command = new ArrayList<>(List.of(sshd.sshCommand().split(" ")));
      command.addAll(1, List.of("-o", "UserKnownHostsFile=" + knownHosts)); // the first value wins
      command.addAll(List.of(OpenSshd.user() + "@" + sshd.host(), "true"));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertEquals(0, p.waitFor(), out);
    }
  }
}

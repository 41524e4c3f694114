package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.ssh.OpenSshd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@code gitops plan} over SSH loads, in its own JVM against a real OpenSSH {@code sshd}: the
 * jar holds Bouncy Castle (for the mock API server), and MINA SSHD would register it as its security
 * provider and load some 700 classes of it per command; the command line does without it.
 */
class SshStartupIT {
  @TempDir Path tmp;

  @Test
  void aPlanOverSshLoadsNoBouncyCastleProvider() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed");
    try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd")); GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.commit(Map.of("app.conf", "port = 8080\n"));
      Path site = Files.createDirectories(tmp.resolve("site"));
      Path classes = tmp.resolve("classes.txt");
      Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
          "-Xlog:class+load=info:file=" + classes, "-cp", System.getProperty("java.class.path"),
          Main.class.getName(), "plan", "--repo", repo.dir().toString(), "--target",
          "ssh://" + OpenSshd.user() + "@127.0.0.1:" + sshd.port() + site, "--identity", sshd.userKey().toString(),
          "--known-hosts", sshd.knownHosts().toString())
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), output);
      assertTrue(output.contains("1 to create"), output);
      List<String> loaded = Files.readAllLines(classes);
      assertTrue(loaded.stream().anyMatch(l -> l.contains(" org.apache.sshd.client.SshClient ")),
          "the plan went over MINA SSHD");
      assertFalse(loaded.stream().anyMatch(l -> l.contains(" org.bouncycastle.jce.provider.BouncyCastleProvider ")),
          "Bouncy Castle's provider was loaded");
    }
  }
}

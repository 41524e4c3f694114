package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.source.GitSource;
import dev.gitops.source.SourceException;
import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.ssh.OpenSshd;
import dev.gitops.testing.ssh.SshKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with several host keys (RSA, ECDSA, ed25519), of which known_hosts lists one: OpenSSH's
 * {@code ssh} asks for the algorithm of the key it knows and connects; so must hosts over MINA and Git
 * over SSH, rather than negotiate another algorithm first (MINA's default order puts ECDSA first) and
 * then refuse the host as CHANGED.
 */
class HostKeyAlgorithmsIT {
  @TempDir static Path tmp;
  @AutoClose private static OpenSshd sshd;
  @AutoClose private static GitRepo repo;
  /** The known key's types: not ed25519, which the other ITs know their servers by. */
  private static final List<String> TYPES = List.of("rsa", "ecdsa");
  private static String head;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(SshClients.systemSshAvailable(), "OpenSSH sshd or ssh not installed: skipping");
    Path keys = Files.createDirectories(tmp.resolve("host-keys"));
    SshKeys.generate(keys.resolve("rsa"), "rsa", "");
    SshKeys.generate(keys.resolve("ecdsa"), "ecdsa", "");
    sshd = OpenSshd.start(tmp.resolve("sshd"), "HostKey " + keys.resolve("rsa"), "HostKey " + keys.resolve("ecdsa"));
    repo = GitRepo.init(tmp.resolve("remote"));
    head = repo.commit("first", Map.of("app.yaml", "v: 1\n"));
  }

  /** known_hosts listing only the server's key of {@code type}: {@code rsa} or {@code ecdsa}. */
  private static Path knownHostsWithOnly(String type) throws Exception {
    Path pub = tmp.resolve("host-keys/" + type + ".pub");
    String[] f = Files.readString(pub, StandardCharsets.UTF_8).trim().split("\\s+");
    return Files.writeString(tmp.resolve("known_hosts_" + type), "[127.0.0.1]:" + sshd.port() + " " + f[0] + " " + f[1] + "\n");
  }

  @Test
  void theSystemSshClientConnectsKnowingOneKeyOfSeveral() throws Exception {
    for (String type : TYPES) {
      try (SystemSshHost host = SshClients.system(sshd).knownHosts(knownHostsWithOnly(type)).build()) {
        assertEquals(0, host.exec(List.of("true"), new byte[0]).exitCode(), "the oracle, OpenSSH's ssh, knowing " + type);
      }
    }
  }

  @Test
  void hostsOverMinaConnectKnowingOneKeyOfSeveral() throws Exception {
    for (String type : TYPES) {
      try (SshHost host = SshClients.to(sshd).knownHosts(knownHostsWithOnly(type)).build()) {
        assertEquals(0, host.exec(List.of("true"), new byte[0]).exitCode(), "knowing " + type);
      } catch (HostKeyRejectedException e) {
        throw new AssertionError("knowing " + type + ": " + e.getMessage(), e);
      }
    }
  }

  @Test
  void gitOverSshConnectsKnowingOneKeyOfSeveral() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/git-upload-pack")), "git-upload-pack is absent: skipping");
    for (String type : TYPES) {
      try (GitSource source = GitSource.builder(sshd.url(repo.dir())).ref("main").cache(tmp.resolve("cache-" + type))
          .sshKey(sshd.userKey(), null).knownHosts(knownHostsWithOnly(type)).build()) {
        assertEquals(head, source.latest().id(), "knowing " + type);
      } catch (SourceException e) {
        throw new AssertionError("knowing " + type + ": " + e.getMessage(), e);
      }
    }
  }
}

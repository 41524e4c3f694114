package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gitops.model.Revision;
import dev.gitops.security.SshAlgorithms;
import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.ssh.OpenSshd;
import dev.gitops.testing.ssh.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitSource against a real OpenSSH sshd on loopback serving a repository with git-upload-pack. */
class GitSshIT {
  @TempDir static Path tmp;
  @AutoClose private static OpenSshd sshd;
  @AutoClose private static GitRepo repo;

  @BeforeAll
  static void startSshd() throws Exception {
    Assumptions.assumeTrue(OpenSshd.available(), "SKIPPED: " + OpenSshd.SSHD + " is absent (apt-get install openssh-server)");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/git-upload-pack")),
        "SKIPPED: git-upload-pack is absent (apt-get install git)");
    try {
      sshd = OpenSshd.start(tmp.resolve("sshd"), "LogLevel DEBUG1");
    } catch (java.io.IOException e) {
      Assumptions.abort("SKIPPED: cannot start " + OpenSshd.SSHD + " here: " + e.getMessage());
    }
    repo = GitRepo.init(tmp.resolve("remote"));
    repo.commit("first", Map.of("deploy/app.yaml", "v: 1\n"));
  }

  private GitSource.Builder builder(String cacheName) {
    return GitSource.builder(sshd.url(repo.dir())).ref("main").path("deploy").cache(tmp.resolve(cacheName));
  }

  @Test
  void clonesAndPollsOverSshWithAKeyAndStrictKnownHosts() throws Exception {
    try (GitSource source = builder("cache-clone").sshKey(sshd.userKey(), null).knownHosts(sshd.knownHosts()).build()) {
      Revision r1 = source.latest();
      assertEquals("v: 1\n", source.fetch(r1).text("app.yaml"));
      assertEquals(r1, source.latest());
      assertEquals(1, source.stats().fetches(), "an unchanged remote costs no fetch");

      String second = repo.commit("second", Map.of("deploy/app.yaml", "v: 2\n"));
      Revision r2 = source.latest();
      assertEquals(second, r2.id());
      assertEquals("v: 2\n", source.fetch(r2).text("app.yaml"));
      assertEquals(new GitSource.Stats(3, 2, 0), source.stats());
    }
  }

  @Test
  void aKeyWithAPassphraseAndAFreshConnectionPerPollWork() throws Exception {
    try (GitSource source = builder("cache-pw").sshKey(sshd.userKeyWithPassphrase(), "open sesame")
        .knownHosts(sshd.knownHosts()).keepConnection(false).build()) {
      Revision r = source.latest();
      assertEquals(r, source.latest());
      assertTrue(source.fetch(r).files().containsKey("app.yaml"));
    }
  }

  @Test
  void anEncryptedKeyWithoutOrWithTheWrongPassphraseFailsTheBuildSayingSo() throws Exception {
    for (String passphrase : new String[] {null, "not it"}) {
      try (GitSource source = builder("cache-pw-" + passphrase).sshKey(sshd.userKeyWithPassphrase(), passphrase)
          .knownHosts(sshd.knownHosts()).build()) {
        fail("built with passphrase " + passphrase);
      } catch (IllegalArgumentException e) {
        assertEquals("sshKey " + sshd.userKeyWithPassphrase() + (passphrase == null ? " is encrypted: pass its passphrase"
            : ": the passphrase given does not decrypt it (wrong passphrase, or a damaged file)"), e.getMessage());
      }
    }
  }

  @Test
  void aKeyGroupOrOthersMayReadIsRefusedAtBuildAsOpenSshRefusesItAndUsedOnceChmodded() throws Exception {
    Path leaked = Files.copy(sshd.userKey(), tmp.resolve("leaked_key"));
    for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--"}) {
      Files.setPosixFilePermissions(leaked, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> builder("cache-leaked").sshKey(leaked, null).knownHosts(sshd.knownHosts()).build());
      assertTrue(e.getMessage().startsWith("sshKey: permissions 0" + Integer.toOctalString(
          (int) Files.getAttribute(leaked, "unix:mode") & 0777) + " of private key file " + leaked + " are too open"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("; chmod 600 " + leaked), e.getMessage());
      assertFalse(e.getMessage().contains(Files.readString(leaked).split("\n")[1]), "no key content");
    }
    Files.setPosixFilePermissions(leaked, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    try (GitSource source = builder("cache-leaked").sshKey(leaked, null).knownHosts(sshd.knownHosts()).build()) {
      assertEquals(40, source.latest().id().length());
    }
  }

  @Test
  void aKeyChmoddedOpenAfterBuildIsRefusedAtTheNextConnectionAsOpenSshRefusesIt() throws Exception {
    Path key = Files.copy(sshd.userKey(), tmp.resolve("opened_later_key"));
    Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    try (GitSource source = builder("cache-opened").sshKey(key, null).knownHosts(sshd.knownHosts())
        .keepConnection(false).build()) {
      assertEquals(40, source.latest().id().length());
      Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().contains("permissions 0644 of private key file " + key + " are too open"), e.getMessage());
      assertFalse(e.getMessage().contains(Files.readString(key).split("\n")[1]), "no key content");
      Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      assertEquals(40, source.latest().id().length(), "used again once chmodded back");
    }
  }

  @Test
  void anUnknownHostKeyIsRefused() throws Exception {
    Path empty = Files.writeString(tmp.resolve("known_hosts_empty"), "");
    try (GitSource source = builder("cache-unknown").sshKey(sshd.userKey(), null).knownHosts(empty).build()) {
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().contains("is not in known_hosts"), e.getMessage());
      assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
      assertTrue(e.getMessage().contains("ref main"), e.getMessage());
      assertEquals("", Files.readString(empty), "nothing is added to known_hosts");
    }
  }

  @Test
  void aChangedHostKeyIsRefused() throws Exception {
    Path other = tmp.resolve("other_host_key");
    SshKeys.ed25519(other, "");
    String[] pub = Files.readString(Path.of(other + ".pub")).trim().split("\\s+");
    Path changed = Files.writeString(tmp.resolve("known_hosts_changed"),
        "[127.0.0.1]:" + sshd.port() + " " + pub[0] + " " + pub[1] + "\n");
    try (GitSource source = builder("cache-changed").sshKey(sshd.userKey(), null).knownHosts(changed).build()) {
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().contains("CHANGED"), e.getMessage());
    }
  }

  @Test
  void aWrongKeyFailsWithASourceExceptionNamingTheUrl() throws Exception {
    Path stranger = tmp.resolve("stranger_key");
    SshKeys.ed25519(stranger, "");
    try (GitSource source = builder("cache-auth").sshKey(stranger, null).knownHosts(sshd.knownHosts()).build()) {
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().contains("ssh://") && e.getMessage().contains("127.0.0.1:" + sshd.port()), e.getMessage());
    }
  }

  @Test
  void curve25519AndAesGcmAreNegotiatedByDefault() throws Exception {
    int mark = sshd.logSize();
    poll(sshd, builder("cache-kex-default"));
    assertEquals("curve25519-sha256", negotiated(sshd, mark, "kex: algorithm: "));
    assertEquals("aes128-gcm@openssh.com", negotiated(sshd, mark, "kex: client->server cipher: "));
  }

  @Test
  void postQuantumFirstNegotiatesAPostQuantumHybrid() throws Exception {
    assertTrue(SshAlgorithms.isPostQuantumHybrid(SshAlgorithms.keyExchanges(true).get(0)),
        "MINA supports a hybrid here (Bouncy Castle is on the classpath): " + SshAlgorithms.keyExchanges(true));
    int mark = sshd.logSize();
    poll(sshd, builder("cache-kex-pq").postQuantumFirst(true));
    String kex = negotiated(sshd, mark, "kex: algorithm: ");
    assertTrue(SshAlgorithms.isPostQuantumHybrid(kex), "negotiated " + kex);
  }

  @Test
  void theHybridsStayEnabledByDefaultForAServerThatOffersNothingElse() throws Exception {
    try (OpenSshd pqOnly = OpenSshd.start(tmp.resolve("sshd-pq"), "LogLevel DEBUG1", "KexAlgorithms sntrup761x25519-sha512@openssh.com")) {
      int mark = pqOnly.logSize();
      poll(pqOnly, GitSource.builder(pqOnly.url(repo.dir())).ref("main").cache(tmp.resolve("cache-kex-pq-only")));
      assertEquals("sntrup761x25519-sha512@openssh.com", negotiated(pqOnly, mark, "kex: algorithm: "));
    }
  }

  /** One poll over a new session with the server's key and user key. */
  private static void poll(OpenSshd server, GitSource.Builder b) throws Exception {
    try (GitSource source = b.sshKey(server.userKey(), null).knownHosts(server.knownHosts()).keepConnection(false)
        .build()) {
      assertEquals(40, source.latest().id().length());
    }
  }

  /** The algorithm the server logged after {@code prefix} since log line {@code mark}. */
  private static String negotiated(OpenSshd server, int mark, String prefix) throws InterruptedException {
    String line = server.awaitLogLine(mark, l -> l.contains(prefix));
    assertTrue(line != null, "sshd logged no '" + prefix + "' line");
    return line.substring(line.indexOf(prefix) + prefix.length()).split("\\s+")[0];
  }
}

package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.security.KnownHosts;
import dev.gitops.security.SshAlgorithms;
import dev.gitops.source.GitSource;
import dev.gitops.source.SourceException;
import dev.gitops.testing.ssh.OpenSshd;
import dev.gitops.testing.ssh.SshKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git over SSH ({@code GitSource}) and hosts ({@code SshHost}) follow one SSH policy: they offer the
 * same algorithms (seen by a MINA server, from the client's KEXINIT) and trust the same keys
 * (against OpenSSH presenting a host certificate, for every kind of known_hosts line).
 */
class SshPolicyIT {
  @TempDir
  static Path tmp;
  private static Path repo;

  @BeforeAll
  static void repository() throws Exception {
    repo = Files.createDirectories(tmp.resolve("repo"));
    Files.writeString(repo.resolve("app.yaml"), "v: 1\n");
    git("init", "-q", "-b", "main");
    git("add", "app.yaml");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first");
  }

  private static void git(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "git " + String.join(" ", args) + ": " + out);
  }

  @AfterAll
  static void done() {
    repo = null;
  }

  @Test
  void gitAndHostsOfferTheSameKeyExchangesCiphersAndMacs() throws Exception {
    try (MinaServer mina = MinaServer.start(tmp.resolve("mina"))) {
      List<Map<KexProposalOption, String>> offers = Collections.synchronizedList(new ArrayList<>());
      mina.server.addSessionListener(new SessionListener() {
        @Override
        public void sessionNegotiationStart(Session session, Map<KexProposalOption, String> client,
                                            Map<KexProposalOption, String> server) {
          offers.add(new EnumMap<>(client));
        }
      });
      for (boolean pq : new boolean[] {false, true}) {
        offers.clear();
        try (GitSource source = GitSource.builder("ssh://tester@127.0.0.1:" + mina.port() + repo)
            .ref("main").cache(tmp.resolve("cache-" + pq)).sshKey(mina.userKey(), null)
            .knownHosts(mina.knownHosts()).postQuantumFirst(pq).build()) {
          source.latest();
        }
        Map<KexProposalOption, String> git = offers.get(0);
        try (SshHost host = mina.client().postQuantumFirst(pq).build()) {
          host.exec(List.of("true"), new byte[0]);
        }
        Map<KexProposalOption, String> hosts = offers.get(offers.size() - 1);
        for (KexProposalOption o : List.of(KexProposalOption.ALGORITHMS, KexProposalOption.C2SENC,
            KexProposalOption.S2CENC, KexProposalOption.C2SMAC, KexProposalOption.S2CMAC)) {
          assertEquals(git.get(o), hosts.get(o), o + " (post-quantum first: " + pq + ")");
        }
        assertTrue(git.get(KexProposalOption.ALGORITHMS).startsWith(String.join(",", SshAlgorithms.keyExchanges(pq))),
            git.get(KexProposalOption.ALGORITHMS));
        assertEquals(String.join(",", SshAlgorithms.ciphers()), git.get(KexProposalOption.C2SENC));
      }
    }
  }

  @Test
  void gitAndHostsTrustTheSameKeysOfAServerWithAHostCertificate() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/git-upload-pack")), "git-upload-pack is absent: skipping");
    Path ca = tmp.resolve("host_ca");
    SshKeys.ed25519(ca, "");
    try (OpenSshd sshd = OpenSshd.startCertified(tmp.resolve("sshd-cert"), ca)) {
      String at = "[127.0.0.1]:" + sshd.port() + " ";
      String caKey = key(Path.of(ca + ".pub"));
      String hostKey = key(sshd.dir().resolve("host_key.pub"));
      Map<String, KnownHosts.Status> cases = Map.of(
          "@cert-authority " + at + caKey, KnownHosts.Status.ACCEPTED,
          "@cert-authority * " + caKey, KnownHosts.Status.ACCEPTED, // `*` matches [127.0.0.1]:port, as in ssh
          "@cert-authority 127.0.0.1 " + caKey, KnownHosts.Status.UNKNOWN, // a bare name is port 22 only
          "@cert-authority * " + caKey + "\n@revoked * " + caKey, KnownHosts.Status.REVOKED,
          at + hostKey + "\n@revoked * " + hostKey, KnownHosts.Status.REVOKED,
          at + caKey, KnownHosts.Status.CHANGED,
          "", KnownHosts.Status.UNKNOWN);
      int n = 0;
      for (var c : cases.entrySet()) {
        Path file = Files.writeString(tmp.resolve("known_hosts_" + n++), c.getKey() + "\n");
        String git = gitOutcome(sshd, file);
        String hosts = hostOutcome(sshd, file);
        if (c.getValue() == KnownHosts.Status.ACCEPTED) {
          assertEquals("connected", git, c.getKey());
          assertEquals("connected", hosts, c.getKey());
        } else {
          assertTrue(hosts.startsWith(c.getValue() + ": "), c.getKey() + " -> " + hosts);
          String verdict = hosts.substring(hosts.indexOf(": ") + 2, hosts.indexOf("; refusing to connect"));
          assertTrue(git.contains(verdict), c.getKey() + ": Git says\n" + git + "\nhosts say\n" + verdict);
        }
        assertEquals(c.getKey() + "\n", Files.readString(file), "known_hosts is never written");
      }
    }
  }

  private static String gitOutcome(OpenSshd sshd, Path knownHosts) throws Exception {
    try (GitSource source = GitSource.builder("ssh://" + System.getProperty("user.name") + "@127.0.0.1:"
            + sshd.port() + repo).ref("main").cache(tmp.resolve("cache-" + knownHosts.getFileName()))
        .sshKey(sshd.userKey(), null).knownHosts(knownHosts).build()) {
      try {
        source.latest();
        return "connected";
      } catch (SourceException e) {
        return e.getMessage();
      }
    }
  }

  private static String hostOutcome(OpenSshd sshd, Path knownHosts) throws Exception {
    try (SshHost host = SshClients.to(sshd).knownHosts(knownHosts).build()) {
      HostKeyRejectedException e;
      try {
        host.exec(List.of("true"), new byte[0]);
        return "connected";
      } catch (HostKeyRejectedException refused) {
        e = refused;
      }
      return e.reason() + ": " + e.getMessage();
    }
  }

  private static String key(Path pub) throws Exception {
    String[] f = Files.readString(pub, StandardCharsets.UTF_8).trim().split("\\s+");
    return f[0] + " " + f[1];
  }

  @Test
  void anAcceptedVerdictIsNoRefusal() {
    assertThrows(IllegalArgumentException.class, () -> new HostKeyRejectedException("h:22",
        new KnownHosts.Verdict(KnownHosts.Status.ACCEPTED, "SHA256:x", "ok")));
  }
}

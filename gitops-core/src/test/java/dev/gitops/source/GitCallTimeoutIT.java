package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Revision;
import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.net.Trickle;
import dev.gitops.testing.ssh.OpenSshd;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.Daemon;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote that keeps sending, a byte every 100 ms, never lets JGit's per-read timeout (1 s here)
 * fire; the source's {@code callTimeout} (2 s) ends the call anyway, over HTTP, {@code git://} and
 * SSH, with a message naming the URL (without credentials) and what timed out. A fetch cut short
 * leaves the cache usable. The 30 s bound of each test only turns a hang (what happened before:
 * the call lasted as long as the trickle) into a failure; it measures nothing. The slow peer is
 * closed before the source, so that a call that hangs ends and the source can close.
 */
class GitCallTimeoutIT {
  private static final Duration READ = Duration.ofSeconds(1);
  private static final Duration CALL = Duration.ofSeconds(2);
  private static final Duration HANG = Duration.ofSeconds(30);
  private static final Duration BYTE = Duration.ofMillis(100);
  @TempDir Path tmp;

  private GitSource source(String url) {
    return GitSource.builder(url).ref("main").cache(tmp.resolve("cache")).timeout(READ).callTimeout(CALL).build();
  }

  private static SourceException failsWithin(GitSource source) {
    return assertTimeoutPreemptively(HANG, () -> assertThrows(SourceException.class, source::latest));
  }

  @Test
  void anHttpRemoteTricklingItsRefAdvertisementIsCutAtTheCallTimeout() throws Exception {
    String head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\n"
        + "Cache-Control: no-cache\r\n\r\n";
    String refs = "001e# service=git-upload-pack\n0000" + "0100" + "0".repeat(100_000);
    Trickle server = Trickle.answering(head, refs, BYTE);
    try (GitSource source = source("http://deployer:s3cr3t@127.0.0.1:" + server.port() + "/org/repo.git"); server) {
      SourceException e = failsWithin(source);
      assertTrue(e.getMessage().startsWith("git http://***@127.0.0.1:" + server.port() + "/org/repo.git (ref main): "),
          e.getMessage());
      assertTrue(e.getMessage().contains("ls-remote did not finish within PT2S"), e.getMessage());
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertFalse(String.valueOf(t).contains("s3cr3t"), t.toString());
      }
    }
  }

  @Test
  void aGitDaemonTricklingThePackIsCutAndTheCacheStaysUsable() throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("remote"))) {
      repo.commit("first", Map.of("app.yaml", "v: 1\n"));
      Daemon daemon = new Daemon(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      daemon.setRepositoryResolver((client, name) -> {
        Repository r = repo.git().getRepository();
        r.incrementOpen();
        return r;
      });
      daemon.start();
      Trickle proxy = Trickle.proxy(daemon.getAddress().getPort(), BYTE);
      try (GitSource source = source("git://127.0.0.1:" + proxy.port() + "/repo"); proxy) {
        Revision first = source.latest();
        assertEquals("v: 1\n", source.fetch(first).text("app.yaml"));

        String second = repo.commit("second", Map.of("app.yaml", "v: 2\n"));
        proxy.trickleAfter("want "); // the refs come at once, the pack a byte at a time
        SourceException e = failsWithin(source);
        assertTrue(e.getMessage().contains("fetch did not finish within PT2S"), e.getMessage());
        assertTrue(e.getMessage().startsWith("git git://127.0.0.1:" + proxy.port() + "/repo (ref main): "),
            e.getMessage());

        proxy.trickleAfter(null);
        Revision next = source.latest();
        assertEquals(second, next.id());
        assertEquals("v: 2\n", source.fetch(next).text("app.yaml"));
        assertEquals(0, source.stats().cacheRebuilds(), "the cut fetch left the cache usable");
        try (Stream<Path> packs = Files.list(source.cacheDirectory().resolve("objects/pack"))) {
          assertEquals(java.util.List.of(), packs.filter(p -> p.getFileName().toString().startsWith("incoming_")).toList(),
              "no half-written pack is left");
        }
      } finally {
        daemon.stop();
      }
    }
  }

  @Test
  void aGitDaemonThatStopsAnsweringIsCutAtTheReadTimeout() throws Exception {
    // JGit's own git:// transport reads its socket with no socket timeout: this hung for ever
    Trickle silent = Trickle.answering("", "", BYTE);
    try (GitSource source = GitSource.builder("git://127.0.0.1:" + silent.port() + "/repo").cache(tmp.resolve("cache"))
        .timeout(READ).build(); silent) {
      SourceException e = failsWithin(source);
      assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    }
  }

  @Test
  void anSshServerWhoseGitCommandTricklesIsCutAtTheCallTimeout() throws Exception {
    Assumptions.assumeTrue(OpenSshd.available(), "SKIPPED: " + OpenSshd.SSHD + " is absent (apt-get install openssh-server)");
    Path script = tmp.resolve("trickle.sh");
    Files.writeString(script, "#!/bin/sh\nprintf fff0\nwhile printf 0; do sleep 0.1; done\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    // the remote shell may start slowly here (a login's start-up files): reads may wait 5 s, the call 3 s
    OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"), "ForceCommand " + script);
    try (GitSource source = GitSource.builder(sshd.url(tmp.resolve("repo"))).ref("main").cache(tmp.resolve("cache"))
        .sshKey(sshd.userKey(), null).knownHosts(sshd.knownHosts()).timeout(Duration.ofSeconds(5))
        .callTimeout(Duration.ofSeconds(3)).build(); sshd) {
      SourceException e = failsWithin(source);
      assertTrue(e.getMessage().contains("ls-remote did not finish within PT3S"), e.getMessage());
      assertTrue(e.getMessage().startsWith("git ssh://"), e.getMessage());
    }
  }
}

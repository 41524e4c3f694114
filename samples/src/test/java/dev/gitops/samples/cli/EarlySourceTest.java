package dev.gitops.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.source.GitSource;
import dev.gitops.testing.git.GitRepo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which command lines start reading their Git source before picocli reads them, and that a command takes
 * that source only for the repository, ref, path and excludes it parsed, with the revision read ahead.
 */
class EarlySourceTest {
  @TempDir Path tmp;

  @Test
  void anEarlySourceNoCommandTookClosesWithoutWaitingForARemoteThatDoesNotAnswer() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread accept = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // answers nothing: the read ahead waits for its read timeout (60 s)
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      accept.setDaemon(true);
      accept.start();
      EarlySource early = EarlySource.start("plan", "plan", "--repo", "git://127.0.0.1:" + silent.getLocalPort() + "/r.git");
      assertTrue(early.holdsSource());
      // a command line that refused its options exits now, not after the remote's read timeout
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), early::close);
      assertFalse(early.holdsSource());
      for (java.net.Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aPlanOrPushReadsItsSourceAheadAndTheCommandTakesItForTheSameOptionsOnly() throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.commit("one", Map.of("site/a.conf", "a = 1\n", "site/skip.tmp", "x\n"));
      String dir = repo.dir().toString();
      try (EarlySource early = EarlySource.start("plan", "plan", "--repo", dir, "--path=site", "--exclude", "*.tmp",
          "--target", "dir:/srv")) {
        assertTrue(early.holdsSource());
        GitSource source = early.take(SourceOptions.normalize(dir), "main", "site", List.of("*.tmp"));
        assertNotNull(source, "the options the command parsed are the ones scanned");
        assertFalse(early.holdsSource());
        try (source) {
          long until = System.nanoTime() + 30_000_000_000L; // a safety net: the read ahead takes milliseconds
          while (source.stats().polls() == 0 && System.nanoTime() < until) {
            Thread.sleep(5);
          }
          assertEquals(1, source.stats().polls(), "resolved ahead, before the command asked");
          assertEquals(1, source.fetch(source.resolve("main")).files().size(), "site/a.conf alone");
          assertEquals(1, source.stats().polls(), "the resolve made ahead, taken");
        }
      }
      try (EarlySource early = EarlySource.start("push", "-v", "push", "--repo=" + dir, "--ref", "main")) {
        assertNull(early.take(SourceOptions.normalize(dir), "v1", "", List.of()), "another ref: its own source");
        assertFalse(early.holdsSource(), "and the early one closed");
      }
      for (String[] args : new String[][] {
          {"apply", "--repo", dir},
          {"pull", "--repo", dir},
          {"plan", "--repo", dir, "--help"},
          {"plan", "--repo", tmp.resolve("no-such-folder").toString()},
          {"plan", "--target", "dir:/srv"},
          {"plan", "--", "--repo", dir}}) {
        try (EarlySource none = EarlySource.start(args[0], args)) {
          assertFalse(none.holdsSource(), String.join(" ", args));
        }
      }
    }
  }
}

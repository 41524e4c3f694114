package dev.gitops.benchmarks.git;

import dev.gitops.benchmarks.Goal;
import dev.gitops.model.Revision;
import dev.gitops.source.GitSource;
import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@link GitSource} beside the {@code git} CLI, in one run, on a repository of 1,000 YAML files and
 * 200 commits: polling an unchanged remote (vs {@code git ls-remote}) and fetching after one new
 * commit (vs {@code git fetch}), over {@code file://} and over SSH to a local OpenSSH sshd that it
 * starts itself (with a new SSH session per poll, and with the session kept open across polls; the
 * new-session poll is also measured with the post-quantum key exchanges offered first, as info).
 * Medians of interleaved runs. Usage: {@code GitBenchmark <quick|full> <repo-root>}.
 */
public final class GitBenchmark {
  private GitBenchmark() {}

  /** Runs the benchmark and prints one goal line per goal. */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    boolean full = args.length > 0 && args[0].equals("full");
    int polls = full ? 41 : 15;
    int fetchRounds = full ? 15 : 7;
    Path tmp = Files.createTempDirectory("gitops-git-bench");
    try (BenchRepo remote = BenchRepo.create(tmp.resolve("remote.git"), 1000, 200)) {
      String fileUrl = tmp.resolve("remote.git").toUri().toString();
      System.out.println("(repository: 1000 YAML files, 200 commits; " + polls + " polls, " + fetchRounds
          + " fetch rounds; medians)");
      try (GitSource source = GitSource.builder(fileUrl).cache(tmp.resolve("cache-file")).build()) {
        Path anchor = cloneAnchor(tmp, fileUrl, "anchor-file.git", Map.of());
        source.fetch(source.latest());
        double[] poll = interleave(polls, source::latest, () -> git(tmp, Map.of(), "ls-remote", fileUrl));
        Goal.ofMillis("poll unchanged remote over file://", poll[0], "git ls-remote", poll[1], 1.5).print();
        double[] fetch = fetchRounds(fetchRounds, remote, source, anchor, fileUrl, Map.of());
        Goal.ofMillis("fetch after one new commit over file://", fetch[0], "git fetch", fetch[1], 1.5).print();
        long t0 = System.nanoTime();
        int files = source.fetch(source.latest()).files().size();
        System.out.printf(Locale.ROOT, "(info) reading a snapshot of %d files from the cache: %s%n", files,
            Goal.millis((System.nanoTime() - t0) / 1e6));
      }
      folders(tmp, fileUrl, polls);
      if (!OpenSshd.available()) {
        System.out.println("(SSH runs skipped: " + OpenSshd.SSHD + " is absent; apt-get install openssh-server)");
        return;
      }
      try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"))) {
        ssh(tmp, remote, sshd, polls, fetchRounds);
      }
    } finally {
      delete(tmp);
    }
  }

  private static void ssh(Path tmp, BenchRepo remote, OpenSshd sshd, int polls, int fetchRounds) throws Exception {
    String url = sshd.url(tmp.resolve("remote.git"));
    Map<String, String> env = Map.of("GIT_SSH_COMMAND", sshd.sshCommand());
    try (GitSource fresh = sshSource(url, sshd, tmp.resolve("cache-ssh-fresh"), false, false);
        GitSource kept = sshSource(url, sshd, tmp.resolve("cache-ssh-kept"), true, false);
        GitSource freshPq = sshSource(url, sshd, tmp.resolve("cache-ssh-pq"), false, true)) {
      Path anchor = cloneAnchor(tmp, url, "anchor-ssh.git", env);
      fresh.fetch(fresh.latest());
      kept.fetch(kept.latest());
      freshPq.fetch(freshPq.latest());
      double[] polled = interleave(polls, fresh::latest, kept::latest, freshPq::latest,
          () -> git(tmp, env, "ls-remote", url));
      Goal.ofMillis("warm poll over SSH, new session per poll", polled[0], "git ls-remote", polled[3], 1).print();
      Goal.ofMillis("warm poll over SSH, session kept open", polled[1], "git ls-remote", polled[3], 0.5).print();
      System.out.printf(Locale.ROOT, "(info) warm poll over SSH, new session per poll, postQuantumFirst(true): %s"
          + " = %.2fx git ls-remote%n", Goal.millis(polled[2]), polled[2] / polled[3]);
      double[] fetch = fetchRounds(fetchRounds, remote, kept, anchor, url, env);
      Goal.ofMillis("fetch after one new commit over SSH", fetch[0], "git fetch", fetch[1], 1.5).print();
    }
  }

  /** A source over SSH; by default curve25519-sha256 is offered first, {@code pq} offers the hybrids first. */
  /**
   * 50 sources, one per folder {@code apps/app-NN}, sharing one cache (as a fleet's reconcilers of
   * one repository do): the median of {@code rounds} rounds of each source's content key and read.
   */
  private static void folders(Path tmp, String url, int rounds) {
    List<GitSource> sources = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        sources.add(GitSource.builder(url).path(String.format(Locale.ROOT, "apps/app-%02d", i))
            .cache(tmp.resolve("cache-folders")).build());
      }
      Revision head = sources.get(0).latest();
      List<Double> times = new ArrayList<>();
      for (int r = 0; r < rounds + 3; r++) {
        double ms = time(() -> sources.forEach(s -> {
          s.contentKey(head);
          s.fetch(head);
        }));
        if (r >= 3) {
          times.add(ms);
        }
      }
      System.out.printf(Locale.ROOT, "(info) 50 sources of one cache, one per folder: content key and read of"
          + " each: %s a round%n", Goal.millis(median(times)));
    } finally {
      sources.forEach(GitSource::close);
    }
  }

  private static GitSource sshSource(String url, OpenSshd sshd, Path cache, boolean keep, boolean pq) {
    return GitSource.builder(url).cache(cache).sshKey(sshd.userKey(), null).knownHosts(sshd.knownHosts())
        .keepConnection(keep).postQuantumFirst(pq).build();
  }

  /** Each round adds one commit, then times our poll-and-fetch and {@code git fetch}, alternating who goes first. */
  private static double[] fetchRounds(int rounds, BenchRepo remote, GitSource source, Path anchor, String url,
      Map<String, String> env) throws Exception {
    List<Double> ours = new ArrayList<>();
    List<Double> theirs = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      String id = remote.advance().name();
      Runnable us = () -> check(source.latest(), id);
      Runnable git = () -> git(anchor, env, "fetch", "-q", url, "+refs/heads/*:refs/heads/*");
      if (i % 2 == 0) {
        ours.add(time(us));
        theirs.add(time(git));
      } else {
        theirs.add(time(git));
        ours.add(time(us));
      }
    }
    return new double[] {median(ours), median(theirs)};
  }

  private static void check(Revision r, String expected) {
    if (!r.id().equals(expected)) {
      throw new IllegalStateException("expected " + expected + " but polled " + r.id());
    }
  }

  /** Runs each of {@code rs} in turn, 3 warm-up rounds then {@code n} timed rounds; the median of each. */
  private static double[] interleave(int n, Runnable... rs) {
    for (int i = 0; i < 3; i++) {
      for (Runnable r : rs) {
        r.run();
      }
    }
    List<List<Double>> times = new ArrayList<>();
    for (int j = 0; j < rs.length; j++) {
      times.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < rs.length; j++) {
        times.get(j).add(time(rs[j]));
      }
    }
    return times.stream().mapToDouble(GitBenchmark::median).toArray();
  }

  private static Path cloneAnchor(Path tmp, String url, String name, Map<String, String> env) {
    git(tmp, env, "clone", "-q", "--bare", url, name);
    return tmp.resolve(name);
  }

  /** Runs {@code git args...} in {@code dir} (arguments passed as a list, never through a shell). */
  private static void git(Path dir, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run git", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Comparator.naturalOrder());
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}

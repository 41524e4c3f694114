package dev.gitops.benchmarks.hosts;

import dev.gitops.apply.Applier;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.benchmarks.Goal;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.ssh.CountingHost;
import dev.gitops.ssh.FileTreeLoader;
import dev.gitops.ssh.FilesTarget;
import dev.gitops.ssh.SshHost;
import dev.gitops.target.Scope;
import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * 1,000 files of 1–4 KB pushed to one host over a local OpenSSH {@code sshd}, beside
 * {@code rsync -a --checksum} over the same sshd, in one run: first sync, no-op on a new connection
 * (JVM warm), 10 files changed, and the warm no-op of a long-running agent (connection reused).
 * Ours is a whole reconcile minus the Git fetch: read, plan, apply (and connect, when the run opens a
 * connection). Prints the goals and, per scenario, the commands and SFTP operations ours needed.
 *
 * <p>{@code java -cp benchmarks.jar dev.gitops.benchmarks.hosts.HostsBenchmark quick /work/main}
 */
public final class HostsBenchmark {
  private static final int FILES = 1000;
  private static final String OWNER = "bench";
  /** Steps in flight: each file costs a few SFTP round trips of latency, so many run at once. */
  private static final int PARALLELISM = Integer.getInteger("hosts.parallelism", 32);
  /** SFTP sessions per connection (see {@code SshHost.Builder#sftpSessions}). */
  private static final int SFTP_SESSIONS = Integer.getInteger("hosts.sftpSessions", 4);

  private final OpenSshd sshd;
  private final Path work;
  private final Path source;
  private final Map<String, byte[]> files = new TreeMap<>();

  private HostsBenchmark(OpenSshd sshd, Path work) {
    this.sshd = sshd;
    this.work = work;
    this.source = work.resolve("source");
  }

  /** Arguments: {@code quick|full} and the repository root (unused). */
  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "quick";
    if (!OpenSshd.available() || !Files.isExecutable(Path.of("/usr/bin/rsync"))) {
      System.out.println("hosts benchmark skipped: needs /usr/sbin/sshd and /usr/bin/rsync "
          + "(apt-get install openssh-server rsync)");
      return;
    }
    Path work = Files.createTempDirectory("gitops-hosts-bench");
    try (OpenSshd sshd = OpenSshd.start(work.resolve("sshd"))) {
      new HostsBenchmark(sshd, work).run(mode.equals("full") ? 7 : 3);
    } finally {
      delete(work);
    }
  }

  private void run(int runs) throws Exception {
    generate();
    warmUp();
    List<Double> oursFirst = new ArrayList<>();
    List<Double> rsyncFirst = new ArrayList<>();
    List<Double> oursNoop = new ArrayList<>();
    List<Double> rsyncNoop = new ArrayList<>();
    List<Double> oursChanged = new ArrayList<>();
    List<Double> rsyncChanged = new ArrayList<>();
    List<Double> oursWarm = new ArrayList<>();
    Counts first = null;
    Counts noop = null;
    Counts changed = null;
    Counts warm = null;
    for (int i = 0; i < runs; i++) {
      Path ours = fresh("ours");
      Path theirs = fresh("rsync");
      rsyncFirst.add(rsync(theirs));
      Timed t = reconcileOnNewConnection(ours);
      oursFirst.add(t.ms);
      first = t.counts;
      rsyncNoop.add(rsync(theirs));
      t = reconcileOnNewConnection(ours);
      oursNoop.add(t.ms);
      noop = t.counts;
      change(10, i);
      rsyncChanged.add(rsync(theirs));
      t = reconcileOnNewConnection(ours);
      oursChanged.add(t.ms);
      changed = t.counts;
      try (SshHost host = host()) {
        CountingHost counting = new CountingHost(host);
        FilesTarget agent = FilesTarget.of(counting.host(), ours.toString());
        reconcile(agent);
        counting.reset();
        long start = System.nanoTime();
        ApplyReport r = reconcile(agent);
        oursWarm.add((System.nanoTime() - start) / 1e6);
        warm = Counts.of(counting);
        check(r, ours);
      }
    }
    Goal.ofMillis("hosts first sync, 1000 files", median(oursFirst), "rsync -a --checksum", median(rsyncFirst), 1.5).print();
    Goal.ofMillis("hosts no-op on a new SSH connection, 1000 files", median(oursNoop), "rsync -a --checksum",
        median(rsyncNoop), 1.0).print();
    Goal.ofMillis("hosts warm no-op, connection reused, 1000 files", median(oursWarm), "rsync -a --checksum no-op",
        median(rsyncNoop), 0.3).print();
    System.out.printf(Locale.ROOT, "  (info) 10 files changed: ours %s vs rsync %s = %.2fx%n",
        Goal.millis(median(oursChanged)), Goal.millis(median(rsyncChanged)), median(oursChanged) / median(rsyncChanged));
    System.out.println("  (round trips) first sync " + first + "; no-op " + noop + "; 10 changed " + changed
        + "; warm no-op " + warm + " (plus connect and SFTP session set-up on a new connection)");
  }

  private record Timed(double ms, Counts counts) {}

  /** Counts of commands started, requests to the long-running reader, and SFTP requests. */
  record Counts(int execs, int reads, int sftpOps) {
    /** SFTP requests per host operation, where one takes more than one. */
    private static final Map<String, Integer> SFTP_REQUESTS = Map.of(
        "write", 3,            // open with the mode, write, close (+ fstat and fsetstat until that mode is known exact)
        "writeAndRename", 4,   // open with the mode, write, close, rename (+ fstat, fsetstat until the mode is known exact;
                               // + an lstat per directory under the root, counted as "look" by CountingHost)
        "append", 4,           // open, fstat, write, close
        "chown", 2,
        "read", 3);            // open, read, close

    static Counts of(CountingHost counting) {
      int sftp = counting.fileOps();
      for (Map.Entry<String, Integer> e : SFTP_REQUESTS.entrySet()) {
        sftp += (e.getValue() - 1) * counting.calls(e.getKey());
      }
      return new Counts(counting.execs(), counting.requests(), sftp);
    }

    @Override
    public String toString() {
      return execs + " exec" + (execs == 1 ? "" : "s") + " + " + reads + " reader request"
          + (reads == 1 ? "" : "s") + " + " + sftpOps + " SFTP requests";
    }
  }

  private Timed reconcileOnNewConnection(Path root) throws Exception {
    long start = System.nanoTime();
    try (SshHost host = host()) {
      CountingHost counting = new CountingHost(host);
      ApplyReport r = reconcile(FilesTarget.of(counting.host(), root.toString()));
      double ms = (System.nanoTime() - start) / 1e6;
      check(r, root);
      return new Timed(ms, Counts.of(counting));
    }
  }

  private ApplyReport reconcile(FilesTarget target) {
    DesiredState desired = FileTreeLoader.root().load(snapshot());
    Plan plan = new Planner().plan(desired, target.read(Scope.of(OWNER, desired.byId().keySet())),
        PlanOptions.defaults().withOwner(OWNER));
    ApplyReport report = new Applier().apply(plan, target, ApplyOptions.defaults().withParallelism(PARALLELISM));
    target.flush();
    return report;
  }

  private void check(ApplyReport r, Path root) throws IOException {
    if (!r.isSuccess()) {
      throw new IllegalStateException("reconcile failed: " + r);
    }
    for (Map.Entry<String, byte[]> e : List.of(files.entrySet().iterator().next())) {
      if (!java.util.Arrays.equals(e.getValue(), Files.readAllBytes(root.resolve(e.getKey())))) {
        throw new IllegalStateException("not converged: " + e.getKey());
      }
    }
  }

  private SshHost host() {
    return SshHost.builder().host("127.0.0.1").port(sshd.port()).user(System.getProperty("user.name"))
        .identity(sshd.userKey(), null).knownHosts(sshd.knownHosts()).sftpSessions(SFTP_SESSIONS).build();
  }

  private double rsync(Path dest) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process p = new ProcessBuilder("rsync", "-a", "--checksum", "-e", sshd.sshCommand(), source + "/",
        System.getProperty("user.name") + "@127.0.0.1:" + dest + "/").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("rsync failed: " + out);
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private void warmUp() throws Exception {
    Path ours = fresh("warm");
    for (int i = 0; i < 3; i++) {
      reconcileOnNewConnection(ours);
    }
    rsync(fresh("warm-rsync"));
  }

  private void generate() throws IOException {
    Random random = new Random(42);
    for (int i = 0; i < FILES; i++) {
      String path = "d" + (i % 20) + "/file-" + i + ".conf";
      byte[] data = new byte[1024 + random.nextInt(3 * 1024 + 1)];
      for (int j = 0; j < data.length; j++) {
        data[j] = (byte) ('a' + random.nextInt(26));
      }
      files.put(path, data);
      Path file = source.resolve(path);
      Files.createDirectories(file.getParent());
      Files.write(file, data);
    }
  }

  private void change(int count, int round) throws IOException {
    List<String> paths = new ArrayList<>(files.keySet());
    Collections.shuffle(paths, new Random(round));
    for (String p : paths.subList(0, count)) {
      byte[] data = files.get(p).clone();
      data[0] = (byte) ('A' + round % 26);
      data[data.length - 1] = (byte) ('A' + (round + 1) % 26);
      files.put(p, data);
      Files.write(source.resolve(p), data);
    }
  }

  private Snapshot snapshot() {
    Map<String, Content.Bytes> bytes = new TreeMap<>();
    files.forEach((p, d) -> bytes.put(p, Content.bytes(d, FileMode.REGULAR)));
    return Snapshot.of(Revision.of("bench"), bytes);
  }

  private Path fresh(String name) throws IOException {
    Path dir = work.resolve(name);
    delete(dir);
    return Files.createDirectories(dir);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

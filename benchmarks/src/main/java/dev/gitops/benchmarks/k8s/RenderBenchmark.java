package dev.gitops.benchmarks.k8s;

import dev.gitops.benchmarks.Goal;
import dev.gitops.benchmarks.RepoRoot;
import dev.gitops.k8s.render.Kustomize;
import dev.gitops.k8s.render.KustomizeLoader;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Snapshot;
import dev.gitops.source.DirectorySource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Render + load of the largest fixture kustomization (kube-prometheus) with {@link KustomizeLoader}
 * beside the bare Kustomize run on the same folder ({@code kubectl kustomize DIR}, stdout read and
 * dropped), alternated round by round in one run; then no-op polls of one loader (the same
 * snapshot again), counting Kustomize runs.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.gitops.benchmarks.k8s.RenderBenchmark quick|full <root>}.
 * Every load logs its phase times (the loader's DEBUG line); {@code -Drender.phases=info} leaves them out.
 */
public final class RenderBenchmark {
  private static final String SET = "kube-prometheus";
  private static final int POLLS = 10;

  private RenderBenchmark() {
  }

  /**
   * Runs the benchmark; prints goal lines.
   *
   * @param args {@code quick|full} and the repository root
   * @throws Exception when the fixtures or Kustomize are missing
   */
  public static void main(String[] args) throws Exception {
    // the loader's per-phase times (digest, walk, copy, kustomize, split, clean-up, load), one line per load
    System.setProperty("org.slf4j.simpleLogger.log.dev.gitops.k8s.render.KustomizeLoader",
        System.getProperty("render.phases", "debug"));
    boolean full = args.length > 0 && "full".equals(args[0]);
    Path root = Path.of(args.length > 1 ? args[1] : ".");
    Path dir = RepoRoot.k8sFixtures(root).orElseThrow(() -> new IllegalStateException(
        "shared/fixtures/k8s not found above " + root)).resolve(SET);
    Kustomize kustomize = Kustomize.find();
    DirectorySource source = DirectorySource.of(dir);
    Snapshot snapshot = source.fetch(source.latest());
    int rounds = full ? 9 : 5;
    List<Double> ours = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    List<Double> oursCpu = new ArrayList<>();
    List<Double> bareCpu = new ArrayList<>();
    int resources = 0;
    for (int i = -1; i < rounds; i++) {   // round -1 warms up both
      long c0 = cpuMillis();
      long t0 = System.nanoTime();
      bare(kustomize, dir);
      long t1 = System.nanoTime();
      long c1 = cpuMillis();
      DesiredState state = loader(kustomize).load(snapshot);
      long t2 = System.nanoTime();
      long c2 = cpuMillis();
      resources = state.size();
      if (i >= 0) {
        bare.add((t1 - t0) / 1e6);
        ours.add((t2 - t1) / 1e6);
        bareCpu.add((double) (c1 - c0));
        oursCpu.add((double) (c2 - c1));
      }
    }
    System.out.printf(Locale.ROOT, "(info) %s: %d resources, %s %s%n", SET, resources, kustomize,
        kustomize.version());
    System.out.printf(Locale.ROOT, "(info) wall ms, bare: %s; ours: %s%n", bare, ours);
    if (cpuKnown()) {
      System.out.printf(Locale.ROOT, "(info) CPU time (this JVM and its ended children, all threads): ours median %.0f ms"
          + " vs bare %.0f ms = %.2fx; bare: %s; ours: %s%n", median(oursCpu), median(bareCpu),
          median(oursCpu) / median(bareCpu), bareCpu, oursCpu);
    }
    Goal.ofMillis("kustomize render + load " + SET + " (" + resources + " resources)", median(ours),
        kustomize + " alone", median(bare), 1.2).print();

    KustomizeLoader polling = loader(kustomize);
    polling.load(snapshot);
    long first = polling.renders();
    List<Double> poll = new ArrayList<>();
    for (int i = 0; i < POLLS; i++) {
      long t0 = System.nanoTime();
      polling.load(snapshot);
      poll.add((System.nanoTime() - t0) / 1e6);
    }
    long renders = polling.renders();
    System.out.printf(Locale.ROOT, "(info) no-op poll load of %s: median %.1f ms, %d renders in %d polls%n",
        SET, median(poll), renders - first, POLLS);
    new Goal("kustomize " + POLLS + " no-op polls of " + SET + ", Kustomize runs", renders + " runs in all",
        "the first load's " + first + " run", (double) renders / first, 1.0).print();
  }

  private static KustomizeLoader loader(Kustomize kustomize) {
    return KustomizeLoader.of().withTool(kustomize).withTimeout(Duration.ofMinutes(10));
  }

  private static void bare(Kustomize kustomize, Path dir) throws IOException, InterruptedException {
    String verb = kustomize.toString().startsWith("kubectl") ? "kustomize" : "build";
    Process p = new ProcessBuilder(kustomize.executable().toString(), verb, dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException(kustomize + " failed on " + dir);
    }
  }

  /**
   * CPU time of this JVM and of its children that ended (utime, stime, cutime and cstime of
   * {@code /proc/self/stat}, in ms), or -1 where there is no such file: a figure that a busy
   * machine changes far less than wall time.
   */
  private static long cpuMillis() {
    try {
      String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = 0;
      for (int i = 11; i <= 14; i++) { // fields 14-17 of proc(5), counted from the state (field 3)
        ticks += Long.parseLong(f[i]);
      }
      return ticks * 10; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static boolean cpuKnown() {
    return cpuMillis() >= 0;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}

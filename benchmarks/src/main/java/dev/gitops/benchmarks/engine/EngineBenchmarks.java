package dev.gitops.benchmarks.engine;

import dev.gitops.benchmarks.Goal;
import dev.gitops.benchmarks.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The engine's benchmarks in one main: plan vs the {@code JsonNode.equals} lower bound at each N,
 * linearity, peak heap vs compact JSON, manifest loading vs plain Jackson YAML. Prints one goal line
 * each, writes {@code benchmarks/results/engine-<mode>.tsv} and, in {@code full} mode,
 * {@code benchmarks/chart.svg}.
 *
 * <p>Plan and loading goals are paired measurements ({@link PairTimes}): each JMH invocation runs
 * our side, then its anchor, on the same input. Plan runs fork (three JVMs at 10,000, two at every
 * other size: {@code PlanRuns.forks}); {@code quick} measures fewer iterations and fewer sizes with 1% changed, and
 * loads in this JVM; {@code full} measures every size both ways and draws the chart.
 */
public final class EngineBenchmarks {
  private EngineBenchmarks() {
  }

  /**
   * Entry point.
   *
   * @param args {@code <quick|full> <repo-root>}
   * @throws Exception when a benchmark fails to run
   */
  public static void main(String[] args) throws Exception {
    boolean full = args.length > 0 && args[0].equals("full");
    Path root = Path.of(args.length > 1 ? args[1] : ".");
    Path fixtures = RepoRoot.k8sFixtures(root).orElseThrow(() ->
        new IllegalStateException("shared/fixtures/k8s not found above " + root.toAbsolutePath()));
    System.setProperty("gitops.fixtures", fixtures.toString());
    Mode mode = full ? Mode.FULL : Mode.QUICK;
    Results results = new Results();

    LoadRuns.run(mode, fixtures, results);
    for (int n : mode.sizes()) {
      for (int permille : mode.permilles(n)) {
        PlanRuns.run(mode, n, permille, results);
      }
    }
    for (int n : mode.memorySizes()) {
      MemoryRuns.run(n, full ? 32 : 128, fixtures, results);
    }

    List<Goal> goals = goals(mode, results);
    System.out.println();
    goals.forEach(Goal::print);
    Path out = root.resolve("benchmarks/results");
    Files.createDirectories(out);
    Files.writeString(out.resolve("engine-" + mode.name().toLowerCase(Locale.ROOT) + ".tsv"),
        results.toTsv());
    if (full) {
      Files.writeString(root.resolve("benchmarks/chart.svg"), Chart.svg(results));
    }
  }

  static List<Goal> goals(Mode mode, Results r) {
    List<Goal> goals = new ArrayList<>();
    for (int n : mode.sizes()) {
      for (int permille : mode.permilles(n)) {
        double limit = permille == 0 ? 2 : 3;
        goals.add(Goal.ofMillis(String.format(Locale.ROOT, "plan %,d objects (%d%% changed)", n,
                permille / 10), r.ms("plan", n, permille), "JsonNode.equals", r.ms("jsonNodeEquals", n, permille), limit));
        if (r.has("compactEquals", n, permille)) {
          // The reader keeps observed trees compact; the same lower bound over such trees.
          System.out.printf(Locale.ROOT, "(info) plan %,d objects (%d%% changed) vs JsonNode.equals"
              + " over compact copies of the stripped trees: %s vs %s = %.2fx%n", n, permille / 10,
              Goal.millis(r.ms("planBesideCompact", n, permille)),
              Goal.millis(r.ms("compactEquals", n, permille)),
              r.ms("planBesideCompact", n, permille) / r.ms("compactEquals", n, permille));
        }
      }
    }
    if (r.has("plan", 100_000, 0) && r.has("plan", 10_000, 0)) {
      goals.add(scaling(r));
    }
    for (int n : mode.memorySizes()) {
      Results.Memory m = r.memory(n);
      Goal g = new Goal(String.format(Locale.ROOT, "memory: peak heap planning %,d objects", n),
          Goal.bytes(m.peak()), "compact JSON of both states " + Goal.bytes(m.json()),
          (double) m.peak() / m.json(), 4);
      if (n == 100_000) {
        goals.add(g);
      } else {
        // The goal is stated for 100,000; below it the JVM's own heap weighs in.
        System.out.printf(Locale.ROOT, "(info) %s: %s vs %s = %.2fx; the two states alone %s%n",
            g.name(), g.ours(), g.anchor(), g.ratio(), Goal.bytes(m.states()));
      }
    }
    for (String set : r.loadSets()) {
      double yaml = r.ms("load:" + set + ":jacksonYaml", 0, 0);
      goals.add(Goal.ofMillis("manifest loading: " + set, r.ms("load:" + set + ":manifestLoader", 0, 0),
          "Jackson YAML parse", yaml, 1.3));
      double again = r.ms("load:" + set + ":manifestLoaderUnchanged", 0, 0);
      System.out.printf(Locale.ROOT, "(info) manifest reloading, unchanged: %s: %s vs Jackson YAML parse %s = %.2fx%n",
          set, Goal.millis(again), Goal.millis(yaml), again / yaml);
    }
    return goals;
  }

  /**
   * Engine scaling (issue 20): the plan's ratio to its lower bound at 100,000 objects against the
   * same ratio at 10,000. Memory effects slow both the plan and {@code JsonNode.equals} from 10,000
   * to 100,000 (the lower bound itself grows 8-16x with machine load), so this isolates growth in
   * our own work; it replaces the absolute "100,000 within 12x of 10,000", which swung from 9.6x to
   * 21.6x with load. The absolute figures are still printed, as information.
   */
  static Goal scaling(Results r) {
    double at100k = r.ms("plan", 100_000, 0) / r.ms("jsonNodeEquals", 100_000, 0);
    double at10k = r.ms("plan", 10_000, 0) / r.ms("jsonNodeEquals", 10_000, 0);
    System.out.printf(Locale.ROOT, "(info) plan 100,000 vs 10,000 objects: %s vs %s = %.2fx;"
        + " the lower bound JsonNode.equals: %.2fx%n", Goal.millis(r.ms("plan", 100_000, 0)),
        Goal.millis(r.ms("plan", 10_000, 0)), r.ms("plan", 100_000, 0) / r.ms("plan", 10_000, 0),
        r.ms("jsonNodeEquals", 100_000, 0) / r.ms("jsonNodeEquals", 10_000, 0));
    return new Goal("scaling: plan/JsonNode.equals at 100,000 vs at 10,000 objects",
        String.format(Locale.ROOT, "%.2fx", at100k), String.format(Locale.ROOT, "%.2fx", at10k),
        at100k / at10k, 1.1);
  }

  /** What each mode measures and for how long. */
  enum Mode {
    QUICK, FULL;

    int[] sizes() {
      return new int[] {1_000, 10_000, 100_000};
    }

    int[] permilles(int n) {
      if (this == FULL) {
        return new int[] {0, 10};
      }
      return n == 10_000 ? new int[] {0, 10} : new int[] {0};
    }

    int[] memorySizes() {
      return this == FULL ? new int[] {1_000, 10_000, 100_000} : new int[] {100_000};
    }
  }
}

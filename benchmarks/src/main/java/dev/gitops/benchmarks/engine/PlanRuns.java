package dev.gitops.benchmarks.engine;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link PlanBenchmark#paired} (plan and its lower bound, interleaved) for one size and
 * records both sides as {@code plan} and {@code jsonNodeEquals} ({@link PairTimes#perOperation});
 * in full mode, at 0% changed, also {@link PlanBenchmark#pairedCompact}, as
 * {@code planBesideCompact} and {@code compactEquals}.
 * Stateless.
 */
final class PlanRuns {
  private PlanRuns() {
  }

  static void run(EngineBenchmarks.Mode mode, int n, int permille, Results results)
      throws RunnerException {
    boolean full = mode == EngineBenchmarks.Mode.FULL;
    for (RunResult run : run(mode, n, permille, "paired")) {
      results.time("plan", n, permille, PairTimes.perOperation(run, "oursNanos"));
      results.time("jsonNodeEquals", n, permille, PairTimes.perOperation(run, "anchorNanos"));
    }
    if (full && permille == 0) {
      // For information: the same lower bound over trees laid out as the reader keeps them.
      for (RunResult run : run(mode, n, permille, "pairedCompact")) {
        results.time("planBesideCompact", n, permille, PairTimes.perOperation(run, "oursNanos"));
        results.time("compactEquals", n, permille, PairTimes.perOperation(run, "anchorNanos"));
      }
    }
  }

  private static Collection<RunResult> run(EngineBenchmarks.Mode mode, int n, int permille,
                                           String benchmark) throws RunnerException {
    boolean full = mode == EngineBenchmarks.Mode.FULL;
    boolean large = n >= 100_000;
    int seconds = large ? 3 : 1;
    var options = new OptionsBuilder()
        .include(PlanBenchmark.class.getName() + "\\." + benchmark + "$")
        .param("n", String.valueOf(n))
        .param("changedPermille", String.valueOf(permille))
        .param("compactAnchor", String.valueOf(benchmark.equals("pairedCompact")))
        // A fresh JVM: its JIT profiles are the plan's and the lower bound's, not the loader's.
        // Each fork is one JIT outcome, and outcomes differ: at 10,000 objects the plan's ratio to
        // its lower bound moved from 1.27x to 1.41x between two quick runs of one build. The sizes
        // the scaling goal compares ({@link #forks}) therefore get more forks than the rest.
        .forks(forks(n))
        .jvmArgsAppend("-Xmx6g", "-Dgitops.fixtures=" + System.getProperty("gitops.fixtures"))
        // Paired, a second holds half as many plans. At 1,000 five 1-s warm-ups are not enough:
        // on one quiet machine the plan/lower bound ratio read 1.98x after 5 and 1.54-1.63x after
        // 12 (2 forks each; quick runs with 5 read 2.18x and 2.28x). At 100,000 the first two
        // pairs (3 s) are still slower.
        .warmupIterations(large ? 2 : n <= 1_000 ? 12 : 5)
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(full ? 5 : large ? 3 : 4)
        .measurementTime(TimeValue.seconds(seconds))
        .shouldFailOnError(true)
        .build();
    return new Runner(options).run();
  }

  /**
   * Forks per size: the scaling goal divides the 100,000-object ratio by the 10,000-object one,
   * so both are averaged over several JIT outcomes: 3 forks at 10,000, 2 at 100,000 (whose states
   * take longest to generate) and at every other size.
   */
  static int forks(int n) {
    return n == 10_000 ? 3 : 2;
  }
}

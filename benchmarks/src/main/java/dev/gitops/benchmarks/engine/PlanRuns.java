package dev.gitops.benchmarks.engine;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link PlanBenchmark} (plan and its lower bound) for one size. Stateless. */
final class PlanRuns {
  private PlanRuns() {
  }

  static void run(EngineBenchmarks.Mode mode, int n, int permille, Results results)
      throws RunnerException {
    boolean full = mode == EngineBenchmarks.Mode.FULL;
    int seconds = n >= 100_000 ? 3 : 1;
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(PlanBenchmark.class.getName() + "\\.(plan|jsonNodeEquals)$")
        .param("n", String.valueOf(n))
        .param("changedPermille", String.valueOf(permille))
        .forks(1) // each in a fresh JVM: one JIT profile per benchmark, not the loader's
        .jvmArgsAppend("-Xmx6g", "-Dgitops.fixtures=" + System.getProperty("gitops.fixtures"))
        .warmupIterations(full ? 4 : n >= 100_000 ? 1 : 2)
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(full ? 5 : n >= 100_000 ? 2 : 3)
        .measurementTime(TimeValue.seconds(seconds))
        .shouldFailOnError(true);
    Collection<RunResult> runs = new Runner(options.build()).run();
    for (RunResult run : runs) {
      String label = run.getParams().getBenchmark();
      String method = label.substring(label.lastIndexOf('.') + 1);
      var score = run.getPrimaryResult();
      results.time(method, n, permille, score.getScore(), score.getScoreError());
    }
  }
}

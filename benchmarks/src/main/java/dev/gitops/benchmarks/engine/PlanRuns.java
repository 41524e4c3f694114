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
        .forks(full ? 1 : 0)
        .warmupIterations(full ? 4 : 2)
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(full ? 5 : 3)
        .measurementTime(TimeValue.seconds(seconds))
        .shouldFailOnError(true);
    if (full) {
      options.jvmArgsAppend("-Xmx6g", "-Dgitops.fixtures=" + System.getProperty("gitops.fixtures"));
    }
    Collection<RunResult> runs = new Runner(options.build()).run();
    for (RunResult run : runs) {
      String label = run.getParams().getBenchmark();
      String method = label.substring(label.lastIndexOf('.') + 1);
      var score = run.getPrimaryResult();
      results.time(method, n, permille, score.getScore(), score.getScoreError());
    }
  }
}

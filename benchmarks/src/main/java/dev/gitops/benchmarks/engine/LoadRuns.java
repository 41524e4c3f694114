package dev.gitops.benchmarks.engine;

import java.nio.file.Path;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link LoadBenchmark}: manifest loading vs plain Jackson YAML. Stateless. */
final class LoadRuns {
  static final String SET = "all fixture sets";

  private LoadRuns() {
  }

  static void run(EngineBenchmarks.Mode mode, Path fixtures, Results results) throws RunnerException {
    boolean full = mode == EngineBenchmarks.Mode.FULL;
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(LoadBenchmark.class.getName() + "\\.(paired|manifestLoaderUnchanged)$")
        .forks(full ? 1 : 0)
        // A pair takes about half a second: enough iterations for the JIT to settle first.
        .warmupIterations(full ? 5 : 4)
        .warmupTime(TimeValue.seconds(full ? 2 : 1))
        .measurementIterations(full ? 5 : 4)
        .measurementTime(TimeValue.seconds(full ? 2 : 1))
        .shouldFailOnError(true);
    if (full) {
      options.jvmArgsAppend("-Xmx2g", "-Dgitops.fixtures=" + fixtures);
    }
    for (RunResult run : new Runner(options.build()).run()) {
      String label = run.getParams().getBenchmark();
      String method = label.substring(label.lastIndexOf('.') + 1);
      if (method.equals("paired")) {
        results.time("load:" + SET + ":manifestLoader", 0, 0, PairTimes.perOperation(run, "oursNanos"));
        results.time("load:" + SET + ":jacksonYaml", 0, 0, PairTimes.perOperation(run, "anchorNanos"));
      } else {
        results.time("load:" + SET + ":" + method, 0, 0, run.getPrimaryResult().getScore(),
            run.getPrimaryResult().getScoreError());
      }
    }
  }
}

package dev.gitops.benchmarks.engine;

import java.util.Map;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The per-iteration totals of a paired benchmark: a JMH invocation that runs our side once, then
 * its anchor once on the same input, timing each. JMH reports the three counters per iteration;
 * {@link #perOperation} turns them back into milliseconds per operation of one side.
 *
 * <p>Why paired: on a shared VM the machine's speed changes by up to 2x from second to second, and
 * both sides slow down together. Measured one after the other (a fork each) their ratio moved by a
 * third from run to run; interleaved a few milliseconds apart, it holds within a few percent.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PairTimes {
  /** Nanoseconds spent in our side this iteration. */
  public long oursNanos;
  /** Nanoseconds spent in the anchor this iteration. */
  public long anchorNanos;
  /** Pairs run this iteration. */
  public long pairs;

  /** Starts an iteration at zero. */
  @Setup(Level.Iteration)
  public void reset() {
    oursNanos = 0;
    anchorNanos = 0;
    pairs = 0;
  }

  /** Adds one pair: our side ran from {@code start} to {@code between}, the anchor until {@code end}. */
  public void add(long start, long between, long end) {
    oursNanos += between - start;
    anchorNanos += end - between;
    pairs++;
  }

  /**
   * Milliseconds per operation of one side ({@code "oursNanos"} or {@code "anchorNanos"}) over
   * every measured iteration of every fork, with the 99.9% error of the per-iteration figures.
   */
  static Results.Timing perOperation(RunResult run, String counter) {
    double nanos = 0;
    double pairs = 0;
    ListStatistics perIteration = new ListStatistics();
    for (BenchmarkResult fork : run.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        Map<String, Result> counters = iteration.getSecondaryResults();
        double spent = counters.get(counter).getScore();
        double count = counters.get("pairs").getScore();
        if (count > 0) {
          nanos += spent;
          pairs += count;
          perIteration.addValue(spent / count / 1e6);
        }
      }
    }
    if (pairs == 0) {
      throw new IllegalStateException("no pair measured in " + run.getParams().getBenchmark());
    }
    double error = perIteration.getN() > 1 ? perIteration.getMeanErrorAt(0.999) : Double.NaN;
    return new Results.Timing(nanos / pairs / 1e6, error);
  }
}

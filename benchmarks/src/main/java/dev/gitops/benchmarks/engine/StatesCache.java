package dev.gitops.benchmarks.engine;

import dev.gitops.benchmarks.state.GeneratedStates;
import dev.gitops.benchmarks.state.StateGenerator;
import dev.gitops.benchmarks.state.Templates;
import java.nio.file.Path;

/**
 * The last generated states of this JVM, so that benchmarks run in the harness's own JVM
 * ({@code quick} mode, no fork) share one generation per size. Holds one entry at a time.
 * Thread-safe (synchronised).
 */
final class StatesCache {
  private static int cachedN = -1;
  private static int cachedPermille = -1;
  private static GeneratedStates cached;

  private StatesCache() {
  }

  /** The states of {@code n} objects with {@code permille} changed, seed {@link PlanBenchmark#SEED}. */
  static synchronized GeneratedStates get(int n, int permille) {
    if (cached == null || cachedN != n || cachedPermille != permille) {
      cached = null;
      Templates templates = Templates.load(Path.of(System.getProperty("gitops.fixtures")));
      cached = new StateGenerator(templates).generate(n, permille, PlanBenchmark.SEED, true);
      cachedN = n;
      cachedPermille = permille;
    }
    return cached;
  }
}

package dev.gitops.benchmarks.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.benchmarks.state.GeneratedStates;
import dev.gitops.benchmarks.state.StateGenerator;
import dev.gitops.benchmarks.state.Templates;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the order of the lower bound's walk costs by itself: the same {@code JsonNode.equals} pass
 * over the same stripped pairs, once in generation (allocation) order and once in id order (the
 * order a plan meets them), alternating in one JVM. Information behind {@link PlanBenchmark}'s
 * choice of id order, not a goal. Usage: {@code AnchorOrder [rounds] [sizes...]} with the
 * fixtures in {@code -Dgitops.fixtures}; the first third of the rounds is warm-up.
 */
public final class AnchorOrder {
  private AnchorOrder() {
  }

  /**
   * Prints one line per size.
   *
   * @param args rounds, then sizes (default 30 rounds at 10,000 and 100,000)
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int[] sizes = {10_000, 100_000};
    if (args.length > 1) {
      sizes = new int[args.length - 1];
      for (int i = 1; i < args.length; i++) {
        sizes[i - 1] = Integer.parseInt(args[i]);
      }
    }
    Templates templates = Templates.load(Path.of(System.getProperty("gitops.fixtures")));
    for (int n : sizes) {
      GeneratedStates states = new StateGenerator(templates).generate(n, 0, PlanBenchmark.SEED, true);
      JsonNode[] desired = states.desiredTrees().toArray(new JsonNode[0]);
      JsonNode[] stripped = states.strippedActual().toArray(new JsonNode[0]);
      int[] order = states.idOrder();
      long inGeneration = 0;
      long inId = 0;
      int equal = 0;
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          equal += desired[i].equals(stripped[i]) ? 1 : 0;
        }
        long middle = System.nanoTime();
        for (int k = 0; k < n; k++) {
          int i = order[k];
          equal += desired[i].equals(stripped[i]) ? 1 : 0;
        }
        long end = System.nanoTime();
        if (r >= rounds / 3) {
          inGeneration += middle - start;
          inId += end - middle;
        }
      }
      int measured = rounds - rounds / 3;
      System.out.printf(Locale.ROOT, "(info) JsonNode.equals over %,d pairs: generation order %.2f ms,"
              + " id order %.2f ms = %.2fx (%d equal)%n", n, inGeneration / 1e6 / measured,
          inId / 1e6 / measured, (double) inId / inGeneration, equal / rounds / 2);
    }
  }
}

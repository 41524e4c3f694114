package dev.gitops.benchmarks.engine;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Compares two builds of the engine in one JVM, for engine work rather than for goals: each
 * {@code benchmarks.jar} is loaded in its own class loader with its own generated states, and
 * rounds alternate A, B, B, A, ..., each a plan followed by the lower bound
 * ({@link PlanBenchmark}). Prints, per build, the median and quartiles of the per-round ratio
 * plan / {@code JsonNode.equals}, and in how many rounds B's ratio was below A's.
 *
 * <p>Why: on a shared VM two forks of the same code differ by a few percent and the machine's
 * speed swings by up to 2x; alternating the two builds a second apart puts both under the same
 * load. Run the same jar as A and B first to see this harness's own noise (about 3% at 100,000).
 *
 * <pre>
 * java -Xmx10g -Dgitops.fixtures=../shared/fixtures/k8s -cp benchmarks.jar \
 *     dev.gitops.benchmarks.engine.PlanAB before.jar after.jar 10000 200
 * </pre>
 */
public final class PlanAB {
  private PlanAB() {
  }

  /** {@code <jarA> <jarB> <n> [rounds] [warm-up rounds]}; {@code -Dpermille=} sets the changed share. */
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: PlanAB <jarA> <jarB> <n> [rounds] [warm-up rounds]");
      System.exit(2);
    }
    int n = Integer.parseInt(args[2]);
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 40;
    int warm = args.length > 4 ? Integer.parseInt(args[4]) : Math.max(5, rounds / 5);
    Build[] builds = {new Build(Path.of(args[0]), n), new Build(Path.of(args[1]), n)};
    double[][] ratio = new double[2][rounds];
    double[][] plan = new double[2][rounds];
    for (int r = -warm; r < rounds; r++) {
      for (int k = 0; k < 2; k++) {
        int v = (r & 1) == 0 ? k : 1 - k;
        double[] times = builds[v].round();
        if (r >= 0) {
          plan[v][r] = times[0];
          ratio[v][r] = times[0] / times[1];
        }
      }
    }
    int wins = 0;
    for (int r = 0; r < rounds; r++) {
      wins += ratio[1][r] < ratio[0][r] ? 1 : 0;
    }
    for (int v = 0; v < 2; v++) {
      double[] s = ratio[v].clone();
      Arrays.sort(s);
      double[] p = plan[v].clone();
      Arrays.sort(p);
      System.out.printf(Locale.ROOT, "%s %s: plan / JsonNode.equals median %.3f (quartiles %.3f-%.3f),"
          + " plan median %.2f ms%n", v == 0 ? "A" : "B", args[v], s[rounds / 2], s[rounds / 4],
          s[3 * rounds / 4], p[rounds / 2]);
    }
    System.out.printf(Locale.ROOT, "B's ratio below A's in %d of %d rounds (n=%,d)%n", wins, rounds, n);
  }

  /** One build: its own class loader, benchmark instance and states. */
  private static final class Build {
    private final Object bench;
    private final Method plan;
    private final Method lowerBound;

    Build(Path jar, int n) throws Exception {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("no such jar: " + jar);
      }
      URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      Class<?> type = loader.loadClass(PlanBenchmark.class.getName());
      bench = type.getConstructor().newInstance();
      type.getField("n").setInt(bench, n);
      type.getField("changedPermille").setInt(bench, Integer.getInteger("permille", 0));
      type.getMethod("setUp").invoke(bench);
      plan = type.getMethod("plan");
      lowerBound = type.getMethod("jsonNodeEquals");
    }

    /** {@return the milliseconds of one plan and of one lower-bound pass right after it} */
    double[] round() throws Exception {
      long start = System.nanoTime();
      plan.invoke(bench);
      long planned = System.nanoTime();
      lowerBound.invoke(bench);
      long end = System.nanoTime();
      return new double[] {(planned - start) / 1e6, (end - planned) / 1e6};
    }
  }
}

package dev.gitops.benchmarks.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Every figure one run of {@link EngineBenchmarks} measured. Not thread-safe. */
final class Results {
  /** A peak-heap measurement: live heap of the states alone, peak while planning, compact JSON. */
  record Memory(int n, long states, long peak, long json, double planMs) {
  }

  /** One timing: mean and 99.9% error in milliseconds per operation. */
  record Timing(double ms, double error) {
  }

  private final Map<String, Timing> timings = new TreeMap<>();
  private final Map<Integer, Memory> memory = new TreeMap<>();
  private final TreeSet<String> loadSets = new TreeSet<>();

  void time(String benchmark, int n, int permille, double ms, double error) {
    time(benchmark, n, permille, new Timing(ms, error));
  }

  void time(String benchmark, int n, int permille, Timing timing) {
    timings.put(key(benchmark, n, permille), timing);
    if (benchmark.startsWith("load:")) {
      loadSets.add(benchmark.split(":")[1]);
    }
  }

  void memory(Memory m) {
    memory.put(m.n(), m);
  }

  boolean has(String benchmark, int n, int permille) {
    return timings.containsKey(key(benchmark, n, permille));
  }

  double ms(String benchmark, int n, int permille) {
    Timing t = timings.get(key(benchmark, n, permille));
    if (t == null) {
      throw new IllegalStateException("not measured: " + key(benchmark, n, permille));
    }
    return t.ms();
  }

  Memory memory(int n) {
    Memory m = memory.get(n);
    if (m == null) {
      throw new IllegalStateException("memory not measured for n=" + n);
    }
    return m;
  }

  List<Memory> memories() {
    return new ArrayList<>(memory.values());
  }

  TreeSet<String> loadSets() {
    return loadSets;
  }

  String toTsv() {
    StringBuilder s = new StringBuilder("benchmark\tn\tchanged_permille\tms_per_op\terror_ms\n");
    timings.forEach((k, t) -> s.append(k).append(String.format(Locale.ROOT, "\t%.4f\t%.4f%n", t.ms(), t.error())));
    s.append("\nmemory_n\tstates_bytes\tpeak_bytes\tcompact_json_bytes\tplan_ms\n");
    memory.values().forEach(m -> s.append(String.format(Locale.ROOT, "%d\t%d\t%d\t%d\t%.0f%n",
        m.n(), m.states(), m.peak(), m.json(), m.planMs())));
    return s.toString();
  }

  private static String key(String benchmark, int n, int permille) {
    return benchmark + "\t" + n + "\t" + permille;
  }
}

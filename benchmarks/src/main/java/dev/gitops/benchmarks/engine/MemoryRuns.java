package dev.gitops.benchmarks.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link PlanMemory} in a forked JVM (serial collector and a small young generation, so the
 * heap after each collection tracks the live set closely) and records its figures. Stateless.
 */
final class MemoryRuns {
  private MemoryRuns() {
  }

  /**
   * Measures planning {@code n} objects; {@code youngMb} bounds the allocation between two
   * collections (smaller is more precise, larger is quicker to generate the states).
   */
  static void run(int n, int youngMb, Path fixtures, Results results)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-XX:+UseSerialGC", "-Xmn" + youngMb + "m", "-Xmx8g",
        "-cp", System.getProperty("java.class.path"), PlanMemory.class.getName(),
        String.valueOf(n), "0", fixtures.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String line = null;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = out.readLine(); l != null; l = out.readLine()) {
        System.out.println("  " + l);
        if (l.startsWith("memory ")) {
          line = l;
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0 || line == null) {
      throw new IllegalStateException("memory run for n=" + n + " failed (exit " + rc + ")");
    }
    Map<String, String> f = new HashMap<>();
    for (String kv : line.substring("memory ".length()).split(" ")) {
      String[] parts = kv.split("=", 2);
      f.put(parts[0], parts[1]);
    }
    results.memory(new Results.Memory(n, Long.parseLong(f.get("states")),
        Long.parseLong(f.get("plan-peak")), Long.parseLong(f.get("json")),
        Double.parseDouble(f.get("time"))));
  }
}

package dev.gitops.benchmarks.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A diagnostic ({@code -Dfleet.pin=true}): gives the mock API server a CPU of its own and this JVM the
 * others, as a real API server runs apart from its clients, so that the fleet's JIT, GC and event loops
 * cannot take the mock's CPU. Both the floor and the fleet run under the same split; the no-op round,
 * which the mock takes no part in, runs on every CPU. Measured on this 2-CPU machine, quiet (benchmarks
 * README, runs of 2026-12-07 08:57-09:04 UTC): pinned, the mock's CPU per create beside the fleet is
 * still 1.29x what it is beside the floor (1.38x shared), the ratio 1.49x (1.55x shared), and every
 * create is about twice as dear (the mock's GC and I/O threads lose the second CPU): so it is off by
 * default. {@code -Dfleet.mock.cpus=LIST} chooses the mock's CPUs itself.
 */
final class CpuPinning {
  /** The machine's CPUs, counted before any pinning (the JVM counts the ones it may run on). */
  private static final int CPUS = Runtime.getRuntime().availableProcessors();

  private CpuPinning() {
  }

  /**
   * Pins this process (every thread; the threads and processes it starts later inherit it) to every
   * CPU but the first, and sets {@code fleet.mock.cpus} to the first, when pinning is on, the machine
   * has two CPUs or more and {@code taskset} is found.
   *
   * @return what was done, for the benchmark's output
   */
  static String apart() {
    if (!Boolean.getBoolean("fleet.pin")) {
      return "CPUs shared by the mock and this JVM (-Dfleet.pin=true gives the mock one of its own)";
    }
    int cpus = CPUS;
    if (cpus < 2) {
      return "CPUs shared by the mock and this JVM (1 CPU)";
    }
    String mine = cpus == 2 ? "1" : "1-" + (cpus - 1);
    String failed = pin(mine);
    if (failed != null) {
      return "CPUs shared by the mock and this JVM (" + failed + ")";
    }
    if (System.getProperty("fleet.mock.cpus", "").isBlank()) {
      System.setProperty("fleet.mock.cpus", "0");
    }
    return "the mock on CPU " + System.getProperty("fleet.mock.cpus") + ", this JVM (the fleet, the floor's client)"
        + " on CPU " + mine + " (-Dfleet.pin=true)";
  }

  /**
   * Gives this process every CPU again (the mock keeps its own), for what the mock takes no part in:
   * a no-op round sends it nothing, and an agent has its machine's CPUs to itself.
   */
  static void share() {
    if (Boolean.getBoolean("fleet.pin") && CPUS >= 2) {
      pin("0-" + (CPUS - 1));
    }
  }

  /** Sets every thread of this process to {@code list}; {@return null, or why it failed}. */
  private static String pin(String list) {
    Path taskset = List.of("/usr/bin/taskset", "/bin/taskset").stream().map(Path::of).filter(Files::isExecutable)
        .findFirst().orElse(null);
    if (taskset == null) {
      return "no taskset";
    }
    try {
      Process p = new ProcessBuilder(taskset.toString(), "-a", "-p", "-c", list,
          Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? null : "taskset failed: " + out;
    } catch (IOException e) {
      return "taskset failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}

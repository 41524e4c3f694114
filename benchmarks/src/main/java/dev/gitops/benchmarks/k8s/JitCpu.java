package dev.gitops.benchmarks.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time (user + system) a JVM's JIT compiler threads ({@code C1/C2 CompilerThread}) have
 * used, from Linux's {@code /proc/<pid>/task/<tid>/stat}: how much of a process's CPU went to
 * compiling rather than running the code. A cold phase of a large program pays much of its CPU
 * there. -1 where {@code /proc} cannot say (not Linux). {@link #groups} splits a process's CPU by
 * thread group (JIT, GC, the application's pools), to say where a phase's CPU went.
 */
final class JitCpu {
  /** Linux reports thread times in clock ticks of 1/100 s (USER_HZ on every common kernel). */
  private static final long MILLIS_PER_TICK = 10;

  private JitCpu() {
  }

  /** {@return the CPU time of process {@code pid}'s compiler threads so far, in ms, or -1} */
  static long millis(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    long ticks = 0;
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) threads::iterator) {
        ticks += compilerTicks(t.resolve("stat"));
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return ticks * MILLIS_PER_TICK;
  }

  /** {@return the current process's compiler threads' CPU time so far, in ms, or -1} */
  static long millis() {
    return millis(ProcessHandle.current().pid());
  }

  private static long compilerTicks(Path stat) {
    String[] thread = thread(stat);
    return thread == null || !group(thread[0]).equals("JIT") ? 0 : Long.parseLong(thread[1]);
  }

  /**
   * The CPU time (user + system, ms) of the live threads of process {@code pid}, summed by group:
   * {@code JIT} (compiler threads), {@code GC} (G1's and the VM's), else the thread's name (as
   * Linux keeps it, 15 characters) with its numbers as {@code N} ({@code gitops-fleet-wo},
   * {@code pool-N-thread-N}); empty where {@code /proc} cannot say. Threads that ended are missing.
   */
  static java.util.Map<String, Long> groups(long pid) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : (Iterable<Path>) threads::iterator) {
        String[] thread = thread(t.resolve("stat"));
        if (thread != null) {
          out.merge(group(thread[0]), Long.parseLong(thread[1]) * MILLIS_PER_TICK, Long::sum);
        }
      }
    } catch (IOException | RuntimeException e) {
      return java.util.Map.of();
    }
    return out;
  }

  /** The group of a thread named {@code name}: see {@link #groups}. */
  static String group(String name) {
    if (name.matches("C[12] CompilerThre.*")) {
      return "JIT";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
      return "GC";
    }
    return name.replaceAll("[0-9]+", "N");
  }

  /** {name, utime + stime in ticks} of the thread whose {@code stat} file this is; null when it ended. */
  private static String[] thread(Path stat) {
    String line;
    try {
      line = Files.readString(stat);
    } catch (IOException e) {
      return null; // the thread ended meanwhile
    }
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    String[] fields = line.substring(close + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
    return new String[] {line.substring(open + 1, close), Long.toString(ticks)};
  }
}

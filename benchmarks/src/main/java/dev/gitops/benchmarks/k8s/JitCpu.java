package dev.gitops.benchmarks.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time (user + system) a JVM's JIT compiler threads ({@code C1/C2 CompilerThread}) have
 * used, from Linux's {@code /proc/<pid>/task/<tid>/stat}: how much of a process's CPU went to
 * compiling rather than running the code. A cold phase of a large program pays much of its CPU
 * there. -1 where {@code /proc} cannot say (not Linux).
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
    String line;
    try {
      line = Files.readString(stat);
    } catch (IOException e) {
      return 0; // the thread ended meanwhile: compiler threads live as long as the JVM
    }
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    String name = line.substring(open + 1, close);
    if (!name.matches("C[12] CompilerThre.*")) {
      return 0;
    }
    String[] fields = line.substring(close + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
  }
}

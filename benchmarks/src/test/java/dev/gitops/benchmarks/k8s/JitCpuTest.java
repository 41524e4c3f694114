package dev.gitops.benchmarks.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JitCpuTest {
  @Test
  void aRunningJvmsCompilerThreadsHaveUsedCpuAndNoMoreThanTheWholeProcess() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
    long jit = JitCpu.millis();
    long process = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    // JUnit's start-up alone compiles thousands of methods: well over one 10 ms tick
    assertTrue(jit > 0, "compiler threads' CPU: " + jit);
    assertTrue(jit <= process + 10, jit + " ms of " + process);
  }

  @Test
  void threadGroupsSplitTheProcessIntoJitGcAndNamedPoolsWithoutCountingMoreThanItUsed() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
    java.util.Map<String, Long> groups = JitCpu.groups(ProcessHandle.current().pid());
    long process = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    assertTrue(groups.getOrDefault("JIT", 0L) > 0, groups.toString());
    long sum = groups.values().stream().mapToLong(Long::longValue).sum();
    assertTrue(sum <= process + 10 * groups.size(), sum + " ms of " + process + ": " + groups);
    assertEquals("JIT", JitCpu.group("C2 CompilerThre"));
    assertEquals("GC", JitCpu.group("GC Thread#1"));
    assertEquals("pool-N-thread-N", JitCpu.group("pool-3-thread-12"));
    assertEquals(java.util.Map.of(), JitCpu.groups(Long.MAX_VALUE));
  }

  @Test
  void aProcessThatIsNotThereIsUnknown() {
    assertEquals(-1, JitCpu.millis(Long.MAX_VALUE));
  }
}

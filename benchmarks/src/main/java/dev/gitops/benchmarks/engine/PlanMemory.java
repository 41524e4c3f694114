package dev.gitops.benchmarks.engine;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.gitops.benchmarks.state.GeneratedStates;
import dev.gitops.benchmarks.state.StateGenerator;
import dev.gitops.benchmarks.state.Templates;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Planner;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Measures the peak live heap while planning {@code n} generated objects, in its own JVM.
 *
 * <p>Run with a small young generation and the serial collector ({@code -XX:+UseSerialGC -Xmn32m}),
 * so a collection happens at least every 32 MB allocated: the peak is the largest heap left after
 * any collection during the plan, or after a final collection with the plan still held. (Only
 * garbage-free live data counts, so an object that lives and dies between two collections is
 * missed: the figure is exact up to the young generation's size.) Prints one
 * line: {@code memory n=<n> states=<bytes> plan-peak=<bytes> json=<bytes> time=<ms>}, where
 * {@code states} is the live heap holding the two states alone and {@code json} the size of both
 * states as compact JSON.
 */
public final class PlanMemory {
  private PlanMemory() {
  }

  /**
   * Entry point.
   *
   * @param args {@code <n> <changedPermille> <fixtures dir>}
   */
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int changed = Integer.parseInt(args[1]);
    GeneratedStates states = new StateGenerator(Templates.load(Path.of(args[2])))
        .generate(n, changed, PlanBenchmark.SEED, false);
    long json = states.compactJsonBytes();
    long baseline = liveHeap();
    AtomicLong peak = new AtomicLong(baseline);
    listen(peak);
    long start = System.nanoTime();
    Plan plan = new Planner().plan(states.desired(), states.actual(), K8sDiffOptions.planOptions());
    double ms = (System.nanoTime() - start) / 1e6;
    long end = liveHeap();
    peak.accumulateAndGet(end, Math::max);
    System.out.printf(Locale.ROOT, "memory n=%d states=%d plan-peak=%d json=%d time=%.0f actions=%d%n",
        n, baseline, peak.get(), json, ms, plan.actions().size());
  }

  private static long liveHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return heap.getUsed();
  }

  private static void listen(AtomicLong peak) {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
          return;
        }
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
            .mapToLong(MemoryUsage::getUsed).sum();
        peak.accumulateAndGet(used, Math::max);
      }, null, null);
    }
  }
}

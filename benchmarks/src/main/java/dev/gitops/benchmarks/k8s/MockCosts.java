package dev.gitops.benchmarks.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What creates cost fabric8's mock API server with no gitops code running, for {@link
 * FleetBenchmark}: the floor (objects created straight through the fabric8 client), the replays of
 * the fleet's creates, their shapes ({@code -Dfleet.shapes=true}), and the CPU readings of this
 * process and of the mock's.
 */
final class MockCosts {
  private MockCosts() {
  }

  /** The creates of objects among {@code creates}, not of kind inventories. */
  static List<String[]> objectCreates(List<String[]> creates) {
    return creates.stream().filter(c -> !c[1].contains("\"" + Replay.INVENTORY + "\"")).toList();
  }

  /**
   * {@code -Dfleet.shapes=true}: what the fleet's creates cost the mock by what they carry, each
   * replayed from this JVM (gitops idle) into an empty server of the same mock JVM: the objects
   * without what gitops adds (its two labels and its applied record), with the labels, as sent,
   * with the kind inventories, and watched by the cache's informers; the bare objects and the ones
   * as sent again at the end, for the mock's drift between replays.
   */
  static void shapes(MockApiProcess mock, List<String[]> creates, List<String[]> allCreates) throws Exception {
    List<String[]> bare = new ArrayList<>();
    List<String[]> labelled = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String[] c : creates) {
      ObjectNode o = (ObjectNode) json.readTree(c[1]);
      ObjectNode meta = (ObjectNode) o.get("metadata");
      ObjectNode annotations = (ObjectNode) meta.get("annotations");
      annotations.remove("gitops.dev/applied");
      if (annotations.isEmpty()) {
        meta.remove("annotations");
      }
      labelled.add(new String[] {c[0], json.writeValueAsString(o)});
      ObjectNode labels = (ObjectNode) meta.get("labels");
      labels.remove("gitops.dev/owner");
      labels.remove("app.kubernetes.io/managed-by");
      bare.add(new String[] {c[0], json.writeValueAsString(o)});
    }
    record Shape(String name, List<String[]> creates, boolean watched) {}
    for (Shape shape : List.of(new Shape("bare objects", bare, false), new Shape("with gitops' labels", labelled, false),
        new Shape("as sent", creates, false), new Shape("with the kind inventories", allCreates, false),
        new Shape("the same, watched", allCreates, true), new Shape("bare objects", bare, false),
        new Shape("as sent", creates, false))) {
      mock.reset();
      long[] cpu = new long[8];
      long[] cpu0 = cpu(mock);
      double ms;
      try (KubernetesClient client = FleetBenchmark.client(mock.url())) { // a reset server listens on a port of its own
        ms = Replay.run(client, mock.url().replaceAll("/+$", ""), shape.creates(), FleetBenchmark.WORKERS, shape.watched());
      }
      System.arraycopy(since(cpu0, mock), 0, cpu, 0, 4);
      posts(mock.paths(), cpu);
      System.out.println(String.format(Locale.ROOT, "  shape: %s, %d creates of %d bytes: %.2f s; the mock's dispatch"
          + " %.0f us per POST", shape.name(), shape.creates().size(),
          shape.creates().stream().mapToInt(c -> c[1].length()).sum() / shape.creates().size(), ms / 1e3,
          cpu[5] / 1e3 / Math.max(1, cpu[4])));
    }
  }

  /**
   * {@link Replay}s {@code creates} into a fresh mock from {@link FleetBenchmark#WORKERS} threads, in this JVM or,
   * {@code fresh}, in a new one (then {@code cpu[0]} and {@code cpu[2]} are that JVM's); {@code cpu}
   * receives the CPU time of the client and of the mock while they ran, and the mock's POSTs.
   */
  static double replay(List<String[]> creates, long[] cpu, boolean watched, boolean fresh) throws Exception {
    try (MockApiProcess mock = MockApiProcess.start(); KubernetesClient client = FleetBenchmark.client(mock.url())) {
      long[] cpu0 = cpu(mock);
      double[] child = fresh ? Replay.fresh(mock.url(), creates, FleetBenchmark.WORKERS, watched) : null;
      double ms = fresh ? child[0] : Replay.run(client, mock.url().replaceAll("/+$", ""), creates, FleetBenchmark.WORKERS, watched);
      System.arraycopy(since(cpu0, mock), 0, cpu, 0, 4);
      if (fresh) {
        cpu[0] = (long) child[1];
        cpu[2] = (long) child[2];
      }
      posts(mock.paths(), cpu);
      return ms;
    }
  }

  /**
   * Adds the number of POSTs in {@code shapes} (from {@link MockApiProcess#paths}) to {@code out[4]},
   * the mock's CPU dispatching them (ns) to {@code out[5]} and their bodies' bytes to {@code out[6]}.
   */
  static void posts(List<String> shapes, long[] out) {
    for (String line : shapes) {
      String[] p = line.split(" ", 6);
      if ("POST".equals(p[4])) {
        out[4] += Long.parseLong(p[0]);
        out[5] += Long.parseLong(p[2]);
        out[6] += Long.parseLong(p[3]);
      }
    }
  }

  /** {@return CPU so far, in ms: this process's, the mock's, then of each the JIT compiler threads'} */
  static long[] cpu(MockApiProcess mock) {
    return new long[] {cpuMillis(), mock.cpuMillis(), JitCpu.millis(), mock.jitMillis()};
  }

  /** {@return the CPU used since {@code before} (from {@link #cpu}), in ms} */
  static long[] since(long[] before, MockApiProcess mock) {
    long[] now = cpu(mock);
    for (int i = 0; i < now.length; i++) {
      now[i] -= before[i];
    }
    return now;
  }

  /** The CPU each thread group used between two {@link JitCpu#groups} readings, largest first, in s. */
  static String byThread(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
    StringBuilder out = new StringBuilder();
    after.entrySet().stream().map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() >= 100).sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> out.append(out.length() == 0 ? "" : ", ").append(e.getKey())
            .append(String.format(Locale.ROOT, " %.1f s", e.getValue() / 1e3)));
    return out.toString();
  }

  /** This process's CPU time (user + system) so far, in ms. */
  static long cpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000;
  }

  /**
   * {@code objects} (per app, each app's in order on one of {@link FleetBenchmark#WORKERS} threads) created
   * straight through the fabric8 client, into {@code mock} (empty), returning the wall time (ms);
   * {@code cpu} receives the CPU time of this process and of the mock while they ran,
   * and of the mock's POSTs ({@link #posts}), {@code cpu[7]} how long the mock had no request in its
   * dispatcher (ns), {@code threads[0]} this process's CPU by thread group.
   */
  static double floor(MockApiProcess mock, List<List<HasMetadata>> objects, long[] cpu, String[] threads)
      throws Exception {
    try (KubernetesClient client = FleetBenchmark.client(mock.url())) {
      ExecutorService pool = Executors.newFixedThreadPool(FleetBenchmark.WORKERS);
      java.util.Map<String, Long> threads0 = JitCpu.groups(ProcessHandle.current().pid());
      long[] cpu0 = cpu(mock);
      long idle0 = mock.count()[2];
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (List<HasMetadata> app : objects) {
        done.add(pool.submit(() -> app.forEach(o -> client.resource(o).create())));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.MINUTES);
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      cpu[7] = mock.count()[2] - idle0;
      System.arraycopy(since(cpu0, mock), 0, cpu, 0, 4);
      threads[0] = byThread(threads0, JitCpu.groups(ProcessHandle.current().pid()));
      posts(mock.paths(), cpu);
      pool.shutdown();
      return ms;
    }
  }

  /** The objects of the first {@code apps} apps as in Git, per app. */
  static List<List<HasMetadata>> bare(int apps) {
    List<List<HasMetadata>> objects = new ArrayList<>();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.empty()).build()) {
      for (int i = 0; i < apps; i++) {
        String yaml = Manifests.app(FleetBenchmark.app(i), "r0", FleetBenchmark.app(i));
        objects.add(client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items());
      }
    }
    return objects;
  }

  /** The bodies of {@code creates} as fabric8 objects, per app (namespace), in the order sent. */
  static List<List<HasMetadata>> asSent(KubernetesClient client, List<String[]> creates) {
    java.util.Map<String, List<HasMetadata>> byApp = new java.util.LinkedHashMap<>();
    for (String[] c : creates) {
      HasMetadata o = client.getKubernetesSerialization().unmarshal(c[1], HasMetadata.class);
      byApp.computeIfAbsent(o.getMetadata().getNamespace(), k -> new ArrayList<>()).add(o);
    }
    return new ArrayList<>(byApp.values());
  }
}

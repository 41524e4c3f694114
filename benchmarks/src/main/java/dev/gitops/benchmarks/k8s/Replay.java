package dev.gitops.benchmarks.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates as a fleet sent them (path and body, as the mock received them), sent again straight
 * through the fabric8 client ({@code raw} POSTs) from a number of threads, one task per reconciler
 * (the owner its labels name: the owner label, or a kind inventory's), in the order they were sent.
 * Watched, the informers a fleet's cluster cache runs ({@link #informers}) watch the server
 * meanwhile, and the replay ends once they hold every object: what a watch-fed cache costs the
 * server and fabric8 before any gitops code runs.
 *
 * <p>{@link #main} runs one replay in a JVM of its own (fresh, as the floor's), see {@link #fresh}.
 */
final class Replay {
  private static final String OWNER = "gitops.dev/owner";
  /** The label of a kind inventory (one ConfigMap the reconcilers of a cache share; one per reconciler before). */
  static final String INVENTORY = "gitops.dev/kinds-of";
  private static final Pattern OWNED = Pattern.compile(
      "\"(?:" + Pattern.quote(OWNER) + "|" + Pattern.quote(INVENTORY) + ")\":\"([^\"]*)\"");

  private Replay() {
  }

  /** {@return the wall time (ms) of sending {@code creates} to {@code base} from {@code threads} threads} */
  static double run(KubernetesClient client, String base, List<String[]> creates, int threads, boolean watched)
      throws Exception {
    Map<String, List<String[]>> byOwner = new LinkedHashMap<>();
    for (String[] c : creates) {
      byOwner.computeIfAbsent(owner(c), k -> new ArrayList<>()).add(c);
    }
    List<SharedIndexInformer<? extends HasMetadata>> informers = watched ? informers(client) : List.of();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (List<String[]> app : byOwner.values()) {
        done.add(pool.submit(() -> app.forEach(c -> client.raw(base + c[0], "POST", c[1]))));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.MINUTES);
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (watched && held(informers) < creates.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the informers hold " + held(informers) + " of " + creates.size());
        }
        Thread.sleep(5);
      }
      return (System.nanoTime() - t0) / 1e6;
    } finally {
      pool.shutdownNow();
      informers.forEach(SharedIndexInformer::close);
    }
  }

  /** The reconciler a create belongs to: the value of its owner or inventory label, else its path's namespace. */
  private static String owner(String[] create) {
    Matcher m = OWNED.matcher(create[1]);
    return m.find() ? m.group(1) : create[0].replaceAll("/[^/]+$", "");
  }

  /**
   * The informers a fleet's cluster cache runs for these kinds, started and synced: per kind of
   * {@link Manifests#KINDS} one over its model class, in every namespace, of the objects with the
   * owner label, and one of the ConfigMaps with the kind-inventory label.
   */
  static List<SharedIndexInformer<? extends HasMetadata>> informers(KubernetesClient client) {
    List<SharedIndexInformer<? extends HasMetadata>> out = new ArrayList<>();
    for (String[] kind : Manifests.KINDS) {
      Class<? extends HasMetadata> type = client.getKubernetesSerialization()
          .getRegisteredKubernetesResource(kind[0], kind[1]).asSubclass(HasMetadata.class);
      out.add(client.resources(type).inAnyNamespace().withLabel(OWNER).inform());
    }
    out.add(client.configMaps().inAnyNamespace().withLabel(INVENTORY).inform());
    return out;
  }

  private static int held(List<SharedIndexInformer<? extends HasMetadata>> informers) {
    return informers.stream().mapToInt(i -> i.getStore().list().size()).sum();
  }

  /**
   * Runs {@link #main} in a new JVM on this JVM's class path against the server at {@code url};
   * {@return its wall time (ms), its CPU time (ms) and its JIT compiler threads' CPU time (ms)}.
   */
  static double[] fresh(String url, List<String[]> creates, int threads, boolean watched) throws IOException {
    Path file = Files.createTempFile("gitops-replay", ".txt");
    Path log = Files.createTempFile("gitops-replay", ".log");
    try {
      Files.write(file, creates.stream().map(c -> c[0] + " " + c[1]).toList(), StandardCharsets.UTF_8);
      String java = ProcessHandle.current().info().command().orElse("java");
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Replay.class.getName(),
          url, file.toString(), Integer.toString(threads), watched ? "watched" : "plain")
          .redirectError(log.toFile()).start(); // fabric8's informers log; kept to explain a failure
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line = out.readLine();
        if (!p.waitFor(15, TimeUnit.MINUTES) || line == null || !line.startsWith("replayed ")) {
          p.destroyForcibly();
          List<String> said = Files.readAllLines(log, StandardCharsets.UTF_8);
          throw new IOException("the replay did not finish: " + line + "; it logged last: "
              + String.join("\n", said.subList(Math.max(0, said.size() - 20), said.size())));
        }
        String[] f = line.split(" ");
        return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])};
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(log);
    }
  }

  /**
   * {@code Replay <url> <file> <threads> watched|plain}: replays the creates in {@code file} (one
   * {@code <path> <body>} per line) and prints {@code replayed <wall ms> <cpu ms> <jit ms>}.
   */
  public static void main(String[] args) throws Exception {
    List<String[]> creates = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
      int space = line.indexOf(' ');
      creates.add(new String[] {line.substring(0, space), line.substring(space + 1)});
    }
    try (KubernetesClient client = FleetBenchmark.client(args[0])) {
      long cpu0 = MockCosts.cpuMillis();
      long jit0 = JitCpu.millis();
      double ms = run(client, args[0].replaceAll("/+$", ""), creates, Integer.parseInt(args[2]),
          "watched".equals(args[3]));
      System.out.println(String.format(Locale.ROOT, "replayed %.1f %d %d", ms, MockCosts.cpuMillis() - cpu0,
          JitCpu.millis() - jit0));
      System.out.flush();
    }
    System.exit(0);
  }
}

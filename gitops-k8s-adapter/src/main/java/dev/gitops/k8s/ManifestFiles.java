package dev.gitops.k8s;

import dev.gitops.model.Content;
import dev.gitops.model.Problem;
import dev.gitops.model.Snapshot;
import dev.gitops.source.YamlReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The file side of {@link ManifestLoader}: which files of a snapshot are manifests, and parsing one
 * into its YAML documents and problems ({@link Parsed}), one file at a time or, when many large
 * files changed, on every core. Each file parses alone, so the result is the same either way.
 * Stateless; the loader keeps the parsed files of its last load.
 */
final class ManifestFiles {
  /** Below this many bytes to parse, one thread parses them (splitting the work costs more). */
  private static final long PARALLEL_BYTES = 512 * 1024;

  private ManifestFiles() {}

  /** A file's bytes, documents and problems, as parsed. */
  record Parsed(Content.Bytes bytes, List<YamlDocuments.Doc> docs, List<Problem> problems) {}

  /**
   * The manifests of {@code snapshot} that the last load ({@code last}) did not parse, parsed on
   * every core when they are many and large (a rendered stream of thousands of documents, a big
   * repository's first load); otherwise none: the loader parses them one by one with
   * {@link #parse}. Each file parses alone, so the result is the same either way.
   */
  static Map<String, Parsed> parsedAhead(Snapshot snapshot, Map<String, Parsed> last) {
    List<Map.Entry<String, Content.Bytes>> todo = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<String, Content.Bytes> file : snapshot.files().entrySet()) {
      String path = file.getKey();
      Parsed p = last.get(path);
      if (isManifest(path) && !isKustomization(path) && (p == null || !p.bytes().equals(file.getValue()))) {
        todo.add(file);
        bytes += file.getValue().size();
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (todo.size() < 2 || bytes < PARALLEL_BYTES || cores < 2) {
      return Map.of();
    }
    return parsedOnCores(todo, cores);
  }

  /**
   * Parses {@code files} on {@code cores} threads (this one and pool workers), largest file first,
   * each thread taking the next file when done: a few large files (CustomResourceDefinitions of
   * near 1 MB next to each other in a rendered stream) spread over the threads instead of falling
   * into one thread's share, as a split by count would put them.
   */
  private static Map<String, Parsed> parsedOnCores(List<Map.Entry<String, Content.Bytes>> files, int cores) {
    List<Map.Entry<String, Content.Bytes>> bySize = new ArrayList<>(files);
    bySize.sort(Comparator.comparingLong((Map.Entry<String, Content.Bytes> e) -> e.getValue().size()).reversed());
    Parsed[] out = new Parsed[bySize.size()];
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(out.length);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < out.length; i = next.getAndIncrement()) {
        try {
          out[i] = parse(bySize.get(i).getKey(), bySize.get(i).getValue());
        } catch (RuntimeException | Error e) {
          failed.compareAndSet(null, e);
        } finally {
          done.countDown();
        }
      }
    };
    for (int t = 1; t < Math.min(cores, out.length); t++) {
      ForkJoinPool.commonPool().execute(worker); // a helper that starts late finds nothing left
    }
    worker.run();
    awaitUninterruptibly(done); // files taken by helpers; the latch also makes their slots visible here
    if (failed.get() instanceof RuntimeException e) {
      throw e;
    } else if (failed.get() instanceof Error e) {
      throw e;
    }
    Map<String, Parsed> result = new HashMap<>();
    for (int i = 0; i < out.length; i++) {
      result.put(bySize.get(i).getKey(), out[i]);
    }
    return result;
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The documents and problems of one file. A file over {@link YamlReader#MAX_CODE_POINTS} is one
   * problem, never read whole; a file that does not parse and holds Go template actions is one
   * problem saying it looks like a Helm template.
   */
  static Parsed parse(String path, Content.Bytes file) {
    List<Problem> own = new ArrayList<>();
    if (file.size() > 4L * YamlReader.MAX_CODE_POINTS) { // over the limit whatever the encoding: never read whole
      own.add(new Problem(path, 0, null, file.size() + " bytes, more than " + YamlReader.MAX_CODE_POINTS
          + " characters (YamlReader.MAX_CODE_POINTS, 64 Mi): a file this long is no manifest anyone reviews;"
          + " split it into several files"));
      return new Parsed(file, List.of(), List.copyOf(own));
    }
    byte[] data = file.data();
    List<YamlDocuments.Doc> docs = YamlDocuments.read(path, data, own);
    int template = own.isEmpty() ? 0 : templateLine(data);
    if (template > 0) {
      own = List.of(new Problem(path, template, null, "looks like a Helm template ({{ ... }}): render it"
          + " with a CommandRenderer (e.g. --render=command:helm template NAME .), not as a plain manifest"));
      docs = List.of();
    }
    return new Parsed(file, docs, List.copyOf(own));
  }

  /** The 1-based line of the first Go template action ({@code {{}) in {@code data}, or 0. */
  private static int templateLine(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    int at = text.indexOf("{{");
    return at < 0 ? 0 : (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
  }

  /** Kustomize's own files, which configure a render rather than hold resources. */
  static boolean isKustomization(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.equals("kustomization.yaml") || name.equals("kustomization.yml") || name.equals("Kustomization");
  }

  /** Files the loader reads: {@code .yaml}, {@code .yml} and {@code .json}, in any case. */
  static boolean isManifest(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    return p.endsWith(".yaml") || p.endsWith(".yml") || p.endsWith(".json");
  }
}

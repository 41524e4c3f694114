package dev.gitops.benchmarks.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitops.k8s.ManifestLoader;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Loading every fixture set with {@link ManifestLoader} (parse, expand lists, resolve scopes,
 * validate) beside plain Jackson YAML parsing of the same bytes into {@code JsonNode}s.
 *
 * <p>{@link #manifestLoader()} is a first load (the goal, measured by {@link #paired} beside
 * {@link #jacksonYaml()}: each invocation runs both, timing each into {@link PairTimes});
 * {@link #manifestLoaderUnchanged()} the reload of an unchanged snapshot (an information). Each set is loaded as one snapshot; a set that is not one valid desired state (metallb's
 * bundles are alternatives that declare the same objects) is loaded file by file instead. Files
 * that are not valid on their own are left out of both sides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LoadBenchmark {
  private final ManifestLoader loader = new ManifestLoader();
  private final List<ManifestLoader> warmLoaders = new ArrayList<>();
  private final ObjectReader yaml = new YAMLMapper().readerFor(JsonNode.class);
  private final List<Snapshot> snapshots = new ArrayList<>();
  private final List<byte[]> files = new ArrayList<>();
  private long bytes;

  /** Reads the fixture files (system property {@code gitops.fixtures}) into memory. */
  @Setup(Level.Trial)
  public void setUp() {
    Path fixtures = Path.of(System.getProperty("gitops.fixtures"));
    for (Path set : list(fixtures).stream().filter(Files::isDirectory).toList()) {
      Map<String, Content.Bytes> all = manifests(set);
      if (loads(all)) {
        add(all);
      } else {
        all.forEach((path, data) -> {
          if (loads(Map.of(path, data))) {
            add(Map.of(path, data));
          }
        });
      }
    }
    System.out.printf("manifest loading: %d snapshots, %d files, %d bytes%n", snapshots.size(),
        files.size(), bytes);
  }

  /**
   * {@return how many resources the loader found}: a first load, by a new loader per snapshot
   * (a loader keeps the documents of its last load; this measures parsing them).
   */
  @Benchmark
  public int manifestLoader() {
    int count = 0;
    for (Snapshot s : snapshots) {
      count += new ManifestLoader().load(s).size();
    }
    return count;
  }

  /**
   * {@return how many resources the loaders found}: a load of the same snapshot again, as a pull
   * agent does every minute, by a loader that loaded it before (it reuses its parsed documents).
   */
  @Benchmark
  public int manifestLoaderUnchanged() {
    int count = 0;
    for (int i = 0; i < snapshots.size(); i++) {
      count += warmLoaders.get(i).load(snapshots.get(i)).size();
    }
    return count;
  }

  /**
   * A first load of every snapshot, then plain Jackson parsing of the same bytes, each timed into
   * {@code times}. {@return a value of both, so that neither is dead code}
   */
  @Benchmark
  public int paired(PairTimes times) throws IOException {
    long start = System.nanoTime();
    int loaded = manifestLoader();
    long between = System.nanoTime();
    int parsed = jacksonYaml();
    times.add(start, between, System.nanoTime());
    return loaded + parsed;
  }

  /** {@return how many documents plain Jackson YAML parsing found} */
  @Benchmark
  public int jacksonYaml() throws IOException {
    int count = 0;
    for (byte[] data : files) {
      try (MappingIterator<JsonNode> docs = yaml.readValues(data)) {
        while (docs.hasNextValue()) {
          if (docs.nextValue() != null) {
            count++;
          }
        }
      }
    }
    return count;
  }

  private void add(Map<String, Content.Bytes> manifests) {
    Snapshot snapshot = Snapshot.of(Revision.of("0000000"), manifests);
    snapshots.add(snapshot);
    ManifestLoader warm = new ManifestLoader();
    warm.load(snapshot);
    warmLoaders.add(warm);
    manifests.values().forEach(b -> {
      files.add(b.data());
      bytes += b.size();
    });
  }

  private boolean loads(Map<String, Content.Bytes> manifests) {
    try {
      loader.load(Snapshot.of(Revision.of("0000000"), manifests));
      for (Content.Bytes file : manifests.values()) {
        yaml.readValues(file.data()).readAll();
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static Map<String, Content.Bytes> manifests(Path set) {
    Map<String, Content.Bytes> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(set)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
          out.put(set.relativize(p).toString(), Content.bytes(Files.readAllBytes(p), FileMode.REGULAR));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

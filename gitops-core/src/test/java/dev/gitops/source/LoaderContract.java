package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Origin;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Loader} promises, run against each implementation ({@code ManifestLoader},
 * {@code KustomizeLoader}, {@code CommandRenderer}, {@code FileTreeLoader}): the same files load to
 * the same resources with the same origins, from any number of threads; every resource says where
 * it came from; a broken file is reported with its file and line, every problem at once; a
 * resource declared twice is refused naming both places; bad input fails as one
 * {@link InvalidDesiredStateException} and never as any other exception.
 *
 * <p>A test class implements this interface and supplies the loader and files of the format it
 * reads, one resource per file.
 */
public interface LoaderContract {

  /**
   * Files that declare resources, and what loading them gives.
   *
   * @param files snapshot path to text
   * @param origins the id and origin of every resource the files declare
   */
  record Declared(Map<String, String> files, Map<ResourceId, Origin> origins) {
    /** {@return files that declare nothing (yet)} */
    public static Declared of(Map<String, String> files) {
      return new Declared(Map.copyOf(files), Map.of());
    }

    /** {@return these files and one more, {@code path}, declaring the resource {@code id} at {@code origin}} */
    public Declared plus(String path, String text, ResourceId id, Origin origin) {
      Map<String, String> moreFiles = new TreeMap<>(files);
      moreFiles.put(path, text);
      Map<ResourceId, Origin> moreOrigins = new TreeMap<>(origins);
      moreOrigins.put(id, origin);
      return new Declared(moreFiles, moreOrigins);
    }
  }

  /** A file set whose file {@code file} is broken at {@code line}. */
  record Broken(Map<String, String> files, String file, int line) {
  }

  /** {@return the loader under test} */
  Loader loader();

  /**
   * {@return files that declare one resource per name, each in a file of its own (plus whatever
   * else the format needs, such as a {@code kustomization.yaml}), and the resources' ids and origins}
   */
  Declared declaring(List<String> names);

  /** {@return {@code declaring(names)} with the file of {@code name} broken at a known line} */
  Broken broken(List<String> names, String name);

  /**
   * {@return files declaring {@code name} twice, in two places, or null when the format cannot
   * declare one id twice (a file tree: one path, one file)}
   */
  Map<String, String> twice(String name);

  /** {@return false when the loader stops at its first problem (an external tool that does)} */
  default boolean reportsEveryProblem() {
    return true;
  }

  /**
   * {@return false when an external tool finds the problems and the loader only quotes it (the
   * problem names the tool's folder; the quoted message must still name the file, or the resource)}
   */
  default boolean locatesProblemsItself() {
    return true;
  }

  /** {@return a snapshot of the given text files} */
  static Snapshot snapshot(Map<String, String> files) {
    Map<String, Content.Bytes> bytes = new TreeMap<>();
    files.forEach((path, text) -> bytes.put(path,
        Content.bytes(text.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR)));
    return Snapshot.of(Revision.of("0123456789abcdef0123456789abcdef01234567"), bytes);
  }

  /** {@return a snapshot of text files given as path, text, path, text, ...} */
  static Snapshot snapshot(String... pathsAndTexts) {
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      files.put(pathsAndTexts[i], pathsAndTexts[i + 1]);
    }
    return snapshot(files);
  }

  private static Map<ResourceId, Origin> origins(DesiredState state) {
    return state.resources().stream().collect(Collectors.toMap(Resource::id, Resource::origin,
        (a, b) -> a, TreeMap::new));
  }

  @Test
  default void everyResourceSaysWhereItCameFrom() {
    Declared declared = declaring(List.of("alpha", "beta", "gamma"));
    DesiredState state = loader().load(snapshot(declared.files()));
    assertEquals(new TreeMap<>(declared.origins()), origins(state));
    assertEquals(3, state.size());
  }

  @Test
  default void theSameFilesLoadToTheSameResourcesWithTheSameOrigins() {
    Snapshot snapshot = snapshot(declaring(List.of("alpha", "beta")).files());
    DesiredState first = loader().load(snapshot);
    DesiredState again = loader().load(snapshot);
    assertEquals(first, again);
    assertEquals(origins(first), origins(again));
    assertEquals(2, first.size());
  }

  @Test
  default void loadsFromSeveralThreadsAlike() throws Exception {
    Loader loader = loader();
    Snapshot snapshot = snapshot(declaring(List.of("alpha", "beta", "gamma")).files());
    DesiredState alone = loader.load(snapshot);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<DesiredState>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(pool.submit(() -> loader.load(snapshot)));
      }
      for (Future<DesiredState> run : runs) {
        DesiredState state = run.get();
        assertEquals(alone, state);
        assertEquals(origins(alone), origins(state));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void nothingDeclaredLoadsAnEmptyState() {
    assertTrue(loader().load(snapshot(declaring(List.of()).files())).isEmpty());
  }

  @Test
  default void aBrokenFileIsNamedWithItsLine() {
    List<String> names = List.of("alpha", "beta", "gamma");
    Broken broken = broken(names, "beta");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> loader().load(snapshot(broken.files())));
    if (!locatesProblemsItself()) {
      assertTrue(e.getMessage().contains(broken.file()), e.getMessage());
      return;
    }
    assertTrue(e.problems().stream().anyMatch(p -> p.file().equals(broken.file()) && p.line() == broken.line()),
        () -> "expected a problem at " + broken.file() + ":" + broken.line() + ", got " + e.problems());
    assertTrue(e.getMessage().contains(broken.file() + ":" + broken.line()), e.getMessage());
  }

  @Test
  default void everyProblemIsReportedAtOnce() {
    assumeTrue(reportsEveryProblem(), "this loader stops at its first problem");
    List<String> names = List.of("alpha", "beta", "gamma");
    Broken first = broken(names, "alpha");
    Broken last = broken(names, "gamma");
    Map<String, String> files = new TreeMap<>(first.files());
    files.put(last.file(), last.files().get(last.file()));
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> loader().load(snapshot(files)));
    for (Broken b : List.of(first, last)) {
      assertTrue(e.problems().stream().anyMatch(p -> p.file().equals(b.file()) && p.line() == b.line()),
          () -> "expected a problem at " + b.file() + ":" + b.line() + ", got " + e.problems());
    }
  }

  @Test
  default void aResourceDeclaredTwiceIsRefusedNamingBothPlaces() {
    Map<String, String> files = twice("alpha");
    assumeTrue(files != null, "this format cannot declare one id twice");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> loader().load(snapshot(files)));
    ResourceId alpha = declaring(List.of("alpha")).origins().keySet().iterator().next();
    if (!locatesProblemsItself()) {
      assertTrue(e.getMessage().contains(alpha.name()), e.getMessage());
      return;
    }
    Problem p = e.problems().stream().filter(q -> alpha.equals(q.id())).findFirst()
        .orElseThrow(() -> new AssertionError("no problem names " + alpha + ": " + e.problems()));
    assertFalse(p.file().isEmpty(), p::toString);
    assertTrue(p.message().contains("also declared at"), p::toString);
  }

  @Test
  default void garbageIsAProblemNeverAnotherException() {
    Map<String, String> files = new TreeMap<>(declaring(List.of("alpha")).files());
    files.replaceAll((path, text) -> text.replace(":", "\u0000: [{\"\u00ff").replace("-", "\t- &a *b"));
    try {
      loader().load(snapshot(files));
    } catch (InvalidDesiredStateException expected) {
      assertFalse(expected.problems().isEmpty());
    }
  }
}

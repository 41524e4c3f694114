package dev.gitops.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pure engine stays pure: no source file of {@code dev.gitops.model}, {@code .diff} or
 * {@code .plan}, nor of any package they use — the {@code internal} packages where most of the
 * engine lives included, found by following their references — uses I/O, the network, threads, a
 * clock or JGit, nor the packages that talk to the world ({@code apply}, {@code reconcile},
 * {@code source}, {@code target}). A thread-safe table ({@code ConcurrentHashMap}, atomics) is
 * allowed: it starts no thread.
 */
class PurityTest {
  private static final List<String> PURE = List.of("model", "diff", "plan");
  /** Packages the closure must reach: if one drops out, the closure is computed wrongly. */
  private static final List<String> KNOWN_ENGINE = List.of("dev.gitops.internal",
      "dev.gitops.internal.diff", "dev.gitops.internal.plan", "dev.gitops.internal.tune",
      "dev.gitops.internal.glob");
  /**
   * The one door to I/O in the engine's types: a large file's content ({@code Content.Bytes} over
   * {@code LARGE} bytes) holds the way to open its bytes, which a source makes and a target uses to
   * stream them; the engine never opens it ({@code LargeFilePlanTest} counts the opens of planning,
   * rendering and saving a plan: none). A small file read on demand ({@code OnDemandBytes}) holds the
   * same kind of opener, used once when its bytes are first asked for (a diff, a write). These files
   * may name java.io's stream types, nothing else of it.
   */
  private static final Set<String> STREAM_DOOR = Set.of("model/Content.java", "model/CheckedStream.java",
      "model/OnDemandBytes.java");
  private static final Pattern STREAM_TYPES =
      Pattern.compile("\\bjava\\.io\\.(InputStream|IOException|ByteArrayInputStream|FilterInputStream);");

  private static final Map<String, String> BANNED = Map.ofEntries(
      Map.entry("\\bjava\\.io\\b", "I/O (java.io)"),
      Map.entry("\\bjava\\.nio\\.file\\b", "file I/O (java.nio.file)"),
      Map.entry("\\bjava\\.nio\\.channels\\b", "I/O (java.nio.channels)"),
      Map.entry("\\bjava\\.net\\b", "the network (java.net)"),
      Map.entry("\\bjava\\.util\\.concurrent\\.(?!ConcurrentHashMap\\b|atomic\\.)",
          "threads (java.util.concurrent)"),
      Map.entry("\\bThread\\b|\\bForkJoinPool\\b|\\bparallelStream\\b|\\.parallel\\(\\)", "threads"),
      Map.entry("\\bjava\\.time\\.Clock\\b|\\bClock\\b", "a clock"),
      Map.entry("\\bSystem\\.(currentTimeMillis|nanoTime)\\b|\\b(Instant|LocalDate|LocalDateTime|"
          + "ZonedDateTime|OffsetDateTime|LocalTime)\\.now\\b", "the clock"),
      Map.entry("\\borg\\.eclipse\\.jgit\\b", "JGit"),
      Map.entry("\\bdev\\.gitops\\.(apply|reconcile|source|target)\\b",
          "a package that talks to the world"));

  @Test
  void theEngineAndEveryPackageItUsesUseNoIoThreadsClocksOrJgit() throws IOException {
    Path root = sourceRoot();
    Set<String> engine = engine(Sources.of(List.of(root.getParent().getParent())));
    assertTrue(engine.containsAll(KNOWN_ENGINE), () -> "the engine's packages: " + engine);
    List<String> violations = new ArrayList<>();
    for (String pkg : engine) {
      Path dir = root.getParent().getParent().resolve(pkg.replace('.', '/'));
      List<Path> files;
      try (Stream<Path> walk = Files.list(dir)) {
        files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      }
      assertTrue(files.size() > 1, "found the sources of " + pkg + " in " + dir);
      for (Path f : files) {
        String where = root.relativize(f).toString().replace('\\', '/');
        String code = Files.readString(f, StandardCharsets.UTF_8);
        if (STREAM_DOOR.contains(where)) {
          code = STREAM_TYPES.matcher(code).replaceAll(";");
        }
        violations.addAll(violations(where, code));
      }
    }
    assertEquals(List.of(), violations, () -> "impure code in the pure engine " + engine + ":\n"
        + String.join("\n", violations));
  }

  /** {@code model}, {@code diff}, {@code plan} and every package their types refer to, transitively. */
  static Set<String> engine(Sources sources) {
    Set<String> packages = new TreeSet<>();
    PURE.forEach(p -> packages.add("dev.gitops." + p));
    Deque<String> todo = new ArrayDeque<>(packages);
    while (!todo.isEmpty()) {
      String pkg = todo.pop();
      for (Sources.Type t : sources.types()) {
        if (!t.pkg().equals(pkg)) {
          continue;
        }
        for (String dep : sources.deps(t.name())) {
          String depPkg = sources.type(dep).pkg();
          if (packages.add(depPkg)) {
            todo.push(depPkg);
          }
        }
      }
    }
    return packages;
  }

  @Test
  void theCheckCatchesImportsAndQualifiedUsesButNotComments() {
    String source = """
        package dev.gitops.plan;
        import java.io.File;
        import dev.gitops.target.Target;
        // java.net is fine in a comment, and so is Thread
        /** Javadoc may mention java.util.concurrent. */
        class Bad {
          String s = "java.nio.file in a string";
          long t = System.nanoTime();
          Object o = java.util.concurrent.Executors.newFixedThreadPool(2);
          Object fine = new java.util.concurrent.ConcurrentHashMap<String, String>();
          java.time.Instant now = java.time.Instant.now();
        }
        """;
    List<String> found = violations("plan/Bad.java", source);
    assertEquals(List.of(
        "plan/Bad.java:2: I/O (java.io)",
        "plan/Bad.java:3: a package that talks to the world",
        "plan/Bad.java:8: the clock",
        "plan/Bad.java:9: threads (java.util.concurrent)",
        "plan/Bad.java:11: the clock"), found);
  }

  /** {@code file:line: what} for every banned use in {@code source}, comments and strings aside. */
  static List<String> violations(String file, String source) {
    String code = stripCommentsAndStrings(source);
    List<String> out = new ArrayList<>();
    String[] lines = code.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      List<String> here = new ArrayList<>();
      for (var rule : BANNED.entrySet()) {
        Matcher m = Pattern.compile(rule.getKey()).matcher(lines[i]);
        if (m.find()) {
          here.add(file + ":" + (i + 1) + ": " + rule.getValue());
        }
      }
      here.sort(null);
      out.addAll(here);
    }
    return out;
  }

  /** Blanks comments, string and char literals and text blocks, keeping line breaks. */
  static String stripCommentsAndStrings(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      if (s.startsWith("//", i)) {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        end = end < 0 ? s.length() : end + 2;
        keepNewlines(out, s, i, end);
        i = end;
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        end = end < 0 ? s.length() : end + 3;
        keepNewlines(out, s, i, end);
        i = end;
      } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
        char q = s.charAt(i);
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != q && s.charAt(j) != '\n') {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        out.append(q).append(q);
        i = Math.min(j + 1, s.length());
      } else {
        out.append(s.charAt(i++));
      }
    }
    return out.toString();
  }

  private static void keepNewlines(StringBuilder out, String s, int from, int to) {
    for (int k = from; k < to; k++) {
      if (s.charAt(k) == '\n') {
        out.append('\n');
      }
    }
  }

  /** {@code src/main/java/dev/gitops} of gitops-core, from the module or the repository root. */
  private static Path sourceRoot() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path candidate : List.of(here.resolve("src/main/java/dev/gitops"),
        here.resolve("gitops-core/src/main/java/dev/gitops"))) {
      if (Files.isDirectory(candidate.resolve("model"))) {
        return candidate;
      }
    }
    throw new AssertionError("gitops-core sources not found from " + here);
  }
}

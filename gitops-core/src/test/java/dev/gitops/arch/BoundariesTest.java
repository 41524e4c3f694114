package dev.gitops.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The house rules of CONTRIBUTING.md, over every module's sources: adapters use only core's public
 * packages; a helper in an {@code internal} package serves several packages (one package's helper
 * is package-private there); the house reads top-down — no public type calls an internal helper
 * that calls it back, except the documented facades below.
 */
class BoundariesTest {
  /** Modules that build on core and must use only its public packages. */
  private static final List<String> ADAPTERS = List.of("gitops-k8s-adapter", "gitops-ssh-adapter",
      "samples", "benchmarks");
  private static final List<String> MODULES = List.of("gitops-core", "gitops-k8s-adapter",
      "gitops-ssh-adapter");
  private static final Pattern CORE_INTERNAL = Pattern.compile("\\bdev\\.gitops\\.internal\\b");

  /**
   * Public types that are facades over internal helpers which take them as arguments: the cycle is
   * the point (the value shows itself through its helpers), and it stays within one package pair.
   */
  private static final Map<String, String> FACADES = Map.of(
      "dev.gitops.plan.Plan", "renders, writes and reads itself through internal.plan");

  @Test
  void adaptersUseOnlyCoresPublicPackages() {
    Path root = Sources.repositoryRoot();
    List<String> violations = new ArrayList<>();
    int files = 0;
    for (String module : ADAPTERS) {
      for (String tree : List.of("src/main/java", "src/test/java")) {
        Path dir = root.resolve(module).resolve(tree);
        if (!dir.toFile().isDirectory()) {
          continue;
        }
        for (Path f : Sources.javaFiles(dir)) {
          files++;
          violations.addAll(coreInternalUses(module + "/" + tree + "/" + dir.relativize(f),
              Sources.read(f)));
        }
      }
    }
    assertTrue(files > 100, "found the adapters' sources under " + root);
    assertEquals(List.of(), violations, () -> "adapters reach into core's internal packages"
        + " (give them a public door instead):\n" + String.join("\n", violations));
  }

  @Test
  void theCheckFindsImportsAndQualifiedUsesOfCoreInternalButNotAdapterInternal() {
    String source = """
        package dev.gitops.k8s;
        import dev.gitops.internal.tune.Tuning;
        import dev.gitops.k8s.internal.Json;
        // dev.gitops.internal in a comment is fine
        class Bad { Object o = dev.gitops.internal.Checks.class; }
        """;
    assertEquals(List.of("Bad.java:2", "Bad.java:5"), coreInternalUses("Bad.java", source));
  }

  @Test
  void internalHelpersServeSeveralPackages() {
    Sources sources = modules();
    Map<String, Set<String>> served = servedPackages(sources);
    List<String> violations = new ArrayList<>();
    served.forEach((type, users) -> {
      if (users.size() < 2) {
        violations.add(type + " serves only " + users + ": make it package-private there");
      }
    });
    assertTrue(served.size() > 10, "found the internal helpers");
    assertEquals(List.of(), violations, () -> String.join("\n", violations));
  }

  @Test
  void noPublicTypeCallsAnInternalHelperThatCallsItBack() {
    Sources sources = modules();
    List<String> cycles = new ArrayList<>();
    for (Sources.Type t : sources.types()) {
      if (t.isInternal() || FACADES.containsKey(t.name())) {
        continue;
      }
      for (String dep : sources.deps(t.name())) {
        Sources.Type helper = sources.type(dep);
        if (helper.isInternal() && callsBack(sources, dep, t.name())) {
          cycles.add(t.name() + " -> " + dep + " -> ... -> " + t.simpleName());
        }
      }
    }
    FACADES.keySet().forEach(f -> assertTrue(sources.type(f) != null, () -> f + " is gone: drop it"));
    assertEquals(List.of(), cycles, () -> "public types called back by their internal helpers (move"
        + " what the helper needs into it, or document a facade):\n" + String.join("\n", cycles));
  }

  /** True when {@code helper} reaches {@code type} through internal types only. */
  private static boolean callsBack(Sources sources, String helper, String type) {
    Set<String> seen = new TreeSet<>();
    List<String> todo = new ArrayList<>(List.of(helper));
    while (!todo.isEmpty()) {
      String at = todo.remove(todo.size() - 1);
      for (String next : sources.deps(at)) {
        if (next.equals(type)) {
          return true;
        }
        if (sources.type(next).isInternal() && seen.add(next)) {
          todo.add(next);
        }
      }
    }
    return false;
  }

  /**
   * Per internal type, the packages (other than its own) it serves: those whose types refer to it,
   * or to a type of its package that reaches it within the package.
   */
  static Map<String, Set<String>> servedPackages(Sources sources) {
    Map<String, Set<String>> served = new TreeMap<>();
    for (Sources.Type t : sources.types()) {
      if (t.isInternal()) {
        served.computeIfAbsent(t.name(), n -> new TreeSet<>());
      }
      for (String dep : sources.deps(t.name())) {
        Sources.Type used = sources.type(dep);
        if (used.isInternal() && !used.pkg().equals(t.pkg())) {
          for (String reached : withinPackage(sources, dep)) {
            served.computeIfAbsent(reached, n -> new TreeSet<>()).add(t.pkg());
          }
        }
      }
    }
    return served;
  }

  /** {@code type} and the types of its package it reaches, through types of that package only. */
  private static Set<String> withinPackage(Sources sources, String type) {
    String pkg = sources.type(type).pkg();
    Set<String> seen = new TreeSet<>(List.of(type));
    List<String> todo = new ArrayList<>(seen);
    while (!todo.isEmpty()) {
      for (String next : sources.deps(todo.remove(todo.size() - 1))) {
        if (sources.type(next).pkg().equals(pkg) && seen.add(next)) {
          todo.add(next);
        }
      }
    }
    return seen;
  }

  static List<String> coreInternalUses(String file, String source) {
    String[] lines = PurityTest.stripCommentsAndStrings(source).split("\n", -1);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      Matcher m = CORE_INTERNAL.matcher(lines[i]);
      if (m.find()) {
        out.add(file + ":" + (i + 1));
      }
    }
    return out;
  }

  private static Sources modules() {
    Path root = Sources.repositoryRoot();
    return Sources.of(MODULES.stream().map(m -> root.resolve(m).resolve("src/main/java")).toList());
  }
}

package dev.gitops.arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The top-level types of source trees, read as text (no compiler, no bytecode): each type's
 * package, whether it is public, its code with comments and literals blanked, and the types of the
 * same trees it refers to — through imports, fully qualified names, or simple names of its own
 * package. Good enough for house rules about packages; it does not resolve nested or generic types.
 */
final class Sources {
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+?)(?:\\.\\*)?;",
      Pattern.MULTILINE);
  private static final Pattern QUALIFIED = Pattern.compile("\\b(dev\\.gitops(?:\\.\\w+)*\\.[A-Z]\\w*)");
  private static final Pattern SIMPLE = Pattern.compile("\\b([A-Z]\\w*)\\b");
  private static final Pattern PUBLIC_TYPE = Pattern.compile(
      "^public (?:final |abstract |sealed |non-sealed |static )*(?:class|interface|record|enum|@interface) ",
      Pattern.MULTILINE);

  /** One top-level type. */
  record Type(String name, String pkg, boolean isPublic, String file, String code) {
    String simpleName() {
      return name.substring(name.lastIndexOf('.') + 1);
    }

    boolean isInternal() {
      return pkg.contains(".internal");
    }
  }

  private final Map<String, Type> types = new TreeMap<>();
  private final Map<String, Set<String>> deps = new TreeMap<>();

  private Sources(Collection<Path> roots) {
    for (Path root : roots) {
      for (Path f : javaFiles(root)) {
        String source = read(f);
        Matcher pkg = PACKAGE.matcher(source);
        if (!pkg.find() || f.getFileName().toString().equals("package-info.java")) {
          continue;
        }
        String simple = f.getFileName().toString().replace(".java", "");
        String code = PurityTest.stripCommentsAndStrings(source);
        types.put(pkg.group(1) + "." + simple, new Type(pkg.group(1) + "." + simple, pkg.group(1),
            PUBLIC_TYPE.matcher(code).find(), root.relativize(f).toString().replace('\\', '/'), code));
      }
    }
    for (Type t : types.values()) {
      deps.put(t.name(), references(t));
    }
  }

  /** The types of the source roots that exist among {@code roots}. */
  static Sources of(Collection<Path> roots) {
    return new Sources(roots.stream().filter(Files::isDirectory).toList());
  }

  Collection<Type> types() {
    return types.values();
  }

  Type type(String name) {
    return types.get(name);
  }

  /** The types {@code type} refers to, itself excluded. */
  Set<String> deps(String type) {
    return deps.getOrDefault(type, Set.of());
  }

  private Set<String> references(Type t) {
    Set<String> out = new TreeSet<>();
    Matcher imports = IMPORT.matcher(t.code());
    while (imports.find()) {
      String[] parts = imports.group(1).split("\\.");
      for (int k = parts.length; k > 0; k--) { // a.b.C, a.b.C.Inner or a.b.C.member
        String candidate = String.join(".", List.of(parts).subList(0, k));
        if (types.containsKey(candidate)) {
          out.add(candidate);
          break;
        }
      }
    }
    String body = t.code().replaceAll("(?m)^import [^\\n]*", "");
    Matcher qualified = QUALIFIED.matcher(body);
    while (qualified.find()) {
      if (types.containsKey(qualified.group(1))) {
        out.add(qualified.group(1));
      }
    }
    Matcher simple = SIMPLE.matcher(body);
    while (simple.find()) {
      String candidate = t.pkg() + "." + simple.group(1);
      if (types.containsKey(candidate)) {
        out.add(candidate);
      }
    }
    out.remove(t.name());
    return out;
  }

  /** Every {@code .java} file under {@code root}, sorted. */
  static List<Path> javaFiles(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return new ArrayList<>(walk.filter(p -> p.toString().endsWith(".java")).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root, from a module directory or the root itself. */
  static Path repositoryRoot() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path candidate : List.of(here, here.getParent())) {
      if (candidate != null && Files.isDirectory(candidate.resolve("gitops-core/src/main/java"))) {
        return candidate;
      }
    }
    throw new AssertionError("repository root not found from " + here);
  }
}

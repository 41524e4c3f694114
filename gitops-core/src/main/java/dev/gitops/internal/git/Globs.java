package dev.gitops.internal.git;

import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.jgit.ignore.FastIgnoreRule;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Include and exclude patterns in gitignore syntax, matched by JGit's {@link IgnoreNode}. A file is
 * selected when it (or one of its directories) matches an include pattern, or there are none, and
 * neither it nor one of its directories matches an exclude pattern. Not part of the public API.
 */
public final class Globs {
  private final IgnoreNode include;
  private final IgnoreNode exclude;
  private final boolean includeAll;

  private Globs(List<String> include, List<String> exclude) {
    this.include = node(include);
    this.exclude = node(exclude);
    this.includeAll = include.isEmpty();
  }

  /** Patterns to include (empty: everything) and to exclude. */
  public static Globs of(List<String> include, List<String> exclude) {
    return new Globs(List.copyOf(include), List.copyOf(exclude));
  }

  /** Selects everything. */
  public static Globs all() {
    return of(List.of(), List.of());
  }

  /** True when a directory, {@code /}-separated relative path, is excluded with all it holds. */
  public boolean excludesDirectory(String dir) {
    return Boolean.TRUE.equals(exclude.checkIgnored(dir, true));
  }

  /** True when the file at this {@code /}-separated relative path is selected. */
  public boolean selects(String file) {
    return (includeAll || matches(include, file, false)) && !matches(exclude, file, false);
  }

  private static boolean matches(IgnoreNode node, String path, boolean directory) {
    Boolean hit = node.checkIgnored(path, directory);
    if (hit != null) {
      return hit;
    }
    int slash = path.lastIndexOf('/');
    return slash > 0 && matches(node, path.substring(0, slash), true);
  }

  private static IgnoreNode node(List<String> patterns) {
    return new IgnoreNode(patterns.stream()
        .map(String::strip)
        .filter(p -> !p.isEmpty() && !p.startsWith("#"))
        .map(FastIgnoreRule::new)
        .collect(Collectors.toList()));
  }
}

package dev.gitops.source;

import dev.gitops.internal.glob.GitignoreMatcher;
import java.util.List;

/**
 * A source's include and exclude patterns, each list read as a {@code .gitignore} file by the one
 * matcher ({@link GitignoreMatcher}, Git's rules). A file is selected when the include list matches it
 * (or has no pattern) and the exclude list does not; an excluded directory is not walked. Not part
 * of the public API.
 */
final class Globs {
  private final GitignoreMatcher include;
  private final GitignoreMatcher exclude;

  private Globs(GitignoreMatcher include, GitignoreMatcher exclude) {
    this.include = include;
    this.exclude = exclude;
  }

  /**
   * Patterns to include (none: everything) and to exclude.
   *
   * @throws IllegalArgumentException naming a line that is no glob
   */
  public static Globs of(List<String> include, List<String> exclude) {
    return new Globs(GitignoreMatcher.of(include), GitignoreMatcher.of(exclude));
  }

  /** Selects everything. */
  public static Globs all() {
    return of(List.of(), List.of());
  }

  /** True when a directory, {@code /}-separated relative path, is excluded with all it holds. */
  public boolean excludesDirectory(String dir) {
    return exclude.matchesDirectory(dir);
  }

  /** True when the file at this {@code /}-separated relative path is selected. */
  public boolean selects(String file) {
    return (include.isEmpty() || include.matchesFile(file)) && !exclude.matchesFile(file);
  }
}

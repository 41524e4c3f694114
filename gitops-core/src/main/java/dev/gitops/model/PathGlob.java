package dev.gitops.model;

import dev.gitops.internal.glob.GitignoreMatcher;
import java.util.List;

/**
 * Globs over resource names ({@code /}-separated file paths) with the semantics of a
 * {@code .gitignore} file, decided as {@code git check-ignore} decides: the one matcher behind every glob a
 * user writes ({@code GitSource} and {@code DirectorySource} include and exclude, {@link Handler}
 * globs, the hosts adapter's {@code .gitops.yaml} {@code files}, {@code exclude} and {@code watch}).
 *
 * <p>A {@code PathGlob} is an ordered list of lines, read as git reads {@code .gitignore}: {@code *}
 * matches within one path segment, {@code ?} one byte but {@code /}, {@code [a-z]} /
 * {@code [!a-z]} a class of bytes, {@code **} any number of segments (paths and lines compared as UTF-8
 * bytes, as git compares them: {@code é} is two bytes, so {@code ??}; case counts); a line without a {@code /}
 * (other than a trailing one) matches at any depth, a leading or inner {@code /} anchors it at the
 * root; a trailing {@code /} matches directories only ({@code docs/} matches {@code docs/a.md}, not a
 * file named {@code docs}); a path under a matched directory is matched. The last line that matches
 * a path decides, and a line starting with {@code !} un-matches ({@code *.tmp} then
 * {@code !keep.tmp}) — except under a matched directory, which git never looks into. Blank lines and
 * {@code #} comments are skipped; {@code \#} and {@code \!} start a line with those characters.
 * Trailing spaces are dropped unless escaped ({@code \ }). A line that can match nothing (a lone
 * {@code !}, a class never closed) is rejected. Matching takes time proportional to pattern x path
 * whatever the pattern holds, so contributors' lines cannot stall a reader. Immutable and thread-safe;
 * equal when the lines are.
 *
 * <pre>{@code
 * PathGlob.of("nginx/**").matches("nginx/conf.d/web.conf");               // true
 * PathGlob.of("docs/", "!docs/keep.md").matches("docs/keep.md");          // true: docs/ is matched
 * PathGlob.of("*.md", "!README.md").matches("README.md");                 // false
 * }</pre>
 */
public final class PathGlob {
  private final GitignoreMatcher matcher;

  private PathGlob(GitignoreMatcher matcher) {
    this.matcher = matcher;
  }

  /**
   * Compiles {@code lines}, in order.
   *
   * @param lines gitignore lines
   * @return the glob
   * @throws IllegalArgumentException naming a line that is no glob (e.g. a lone {@code !})
   */
  public static PathGlob of(String... lines) {
    return of(List.of(lines));
  }

  /**
   * Compiles {@code lines}, in order.
   *
   * @param lines gitignore lines
   * @return the glob
   * @throws IllegalArgumentException naming a line that is no glob (e.g. a lone {@code !})
   */
  public static PathGlob of(List<String> lines) {
    return new PathGlob(GitignoreMatcher.of(lines));
  }

  /**
   * Whether the file at {@code path} is matched (a leading {@code /} is ignored).
   *
   * @param path a {@code /}-separated relative path
   * @return true when matched
   */
  public boolean matches(String path) {
    return matcher.matchesFile(path);
  }

  /**
   * The lines, as given.
   *
   * @return the lines
   */
  public List<String> lines() {
    return matcher.lines();
  }

  /**
   * Whether some line is a pattern (not only blanks and comments).
   *
   * @return false when the glob can match nothing
   */
  public boolean hasPatterns() {
    return !matcher.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathGlob g && g.lines().equals(lines());
  }

  @Override
  public int hashCode() {
    return lines().hashCode();
  }

  /** The lines, joined by {@code ", "}. */
  @Override
  public String toString() {
    return String.join(", ", lines());
  }
}

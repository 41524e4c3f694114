package dev.gitops.internal.glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one glob matcher of the library: an ordered list of gitignore lines ({@code GitignoreRule}, each
 * matched by {@link Wildmatch}), deciding as {@code git check-ignore} does (dir.c
 * {@code last_matching_pattern}, {@code prep_exclude}). A path is matched when one of its parent
 * directories is (a path under a matched directory cannot be matched back out, as in git), else by the
 * last line that matches it: a {@code !} line un-matches. Paths and patterns are compared as UTF-8 bytes,
 * case counting. Blank lines, {@code #} comments and a lone {@code /} are skipped; a line that can
 * match nothing (a lone {@code !}, a class never closed) is an {@link IllegalArgumentException}.
 *
 * <p>Why not JGit's {@code FastIgnoreRule}, which this class used before: it matches a pattern with
 * wildcards in a segment by a backtracking regular expression, whose time grows exponentially with the
 * number of {@code *}: {@code *a*a*a*a*a*b} took 3.8 s and 5.4 s on a name of 105 bytes (measured on these
 * machines, JGit 7.8.1; with seven stars {@code HostileGlobTest} times out), and the lines come from contributors ({@code .gitops.yaml},
 * a source's include and exclude). {@link Wildmatch} matches by dynamic programming, in time
 * O(pattern x path) whatever the pattern holds; {@code GitignoreOracleIT} checks it against
 * {@code git check-ignore}.
 *
 * <p>Pure string matching, no I/O, clock nor thread, so the pure {@code model} and {@code plan} may match
 * through it. Immutable and thread-safe. Not part of the public API.
 */
public final class GitignoreMatcher {
  private final List<String> lines;
  private final List<GitignoreRule> rules;

  private GitignoreMatcher(List<String> lines, List<GitignoreRule> rules) {
    this.lines = lines;
    this.rules = rules;
  }

  /**
   * Compiles {@code lines}, each one line of a {@code .gitignore} file.
   *
   * @throws IllegalArgumentException naming a line that spans lines or can match no path
   */
  public static GitignoreMatcher of(List<String> lines) {
    List<GitignoreRule> rules = new ArrayList<>();
    for (String line : lines) {
      if (line.contains("\n") || line.contains("\r")) {
        throw new IllegalArgumentException("a glob is one line: '" + line.replace("\n", "\\n") + "'");
      }
      if (line.isBlank() || line.startsWith("#") || line.equals("/")) {
        continue;
      }
      GitignoreRule rule = GitignoreRule.parse(line);
      if (rule == null) {
        throw new IllegalArgumentException("not a glob: '" + line + "'");
      }
      rules.add(rule);
    }
    return new GitignoreMatcher(List.copyOf(lines), List.copyOf(rules));
  }

  /** The lines as given. */
  public List<String> lines() {
    return lines;
  }

  /** True when no line is a pattern (only blanks and comments): nothing is matched. */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** True when the file at {@code path} ({@code /}-separated, relative) is matched. */
  public boolean matchesFile(String path) {
    return matches(path, false);
  }

  /** True when the directory at {@code path}, and so everything beneath it, is matched. */
  public boolean matchesDirectory(String path) {
    return matches(path, true);
  }

  private boolean matches(String path, boolean directory) {
    byte[] p = (path.startsWith("/") ? path.substring(1) : path).getBytes(StandardCharsets.UTF_8);
    for (int slash = 1; slash < p.length; slash++) {
      if (p[slash] == '/' && last(p, slash, true) == Boolean.TRUE) {
        return true;
      }
    }
    return last(p, p.length, directory) == Boolean.TRUE;
  }

  /** The verdict of the last rule matching {@code path[0, end)}: TRUE matched, FALSE un-matched, null none. */
  private Boolean last(byte[] path, int end, boolean directory) {
    for (int i = rules.size() - 1; i >= 0; i--) {
      GitignoreRule rule = rules.get(i);
      if (rule.matches(path, end, directory)) {
        return !rule.negative();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return String.join(", ", lines);
  }
}

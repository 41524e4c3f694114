package dev.gitops.internal.glob;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.ignore.FastIgnoreRule;

/**
 * The one glob matcher of the library: JGit's gitignore matcher ({@link FastIgnoreRule}) over an
 * ordered list of gitignore lines, deciding as {@code git check-ignore} does. A path is matched when
 * one of its parent directories is (a path under a matched directory cannot be matched back out,
 * as in git), else by the last line that matches it: a {@code !} line un-matches. Blank lines,
 * {@code #} comments and a lone {@code /} are skipped, as JGit's own {@code .gitignore} parser does;
 * a line JGit cannot read is an {@link IllegalArgumentException}.
 *
 * <p>This is the engine's only door to JGit, and it uses nothing of JGit but
 * {@code org.eclipse.jgit.ignore}, string matching that does no I/O, reads no clock and starts no
 * thread, so the pure {@code model} and {@code plan} may match through it. Immutable and
 * thread-safe. Not part of the public API.
 */
public final class GitignoreMatcher {
  private final List<String> lines;
  private final List<FastIgnoreRule> rules;

  private GitignoreMatcher(List<String> lines, List<FastIgnoreRule> rules) {
    this.lines = lines;
    this.rules = rules;
  }

  /**
   * Compiles {@code lines}, each one line of a {@code .gitignore} file.
   *
   * @throws IllegalArgumentException naming a line that is no pattern JGit can match
   */
  public static GitignoreMatcher of(List<String> lines) {
    List<FastIgnoreRule> rules = new ArrayList<>();
    for (String line : lines) {
      if (line.contains("\n") || line.contains("\r")) {
        throw new IllegalArgumentException("a glob is one line: '" + line.replace("\n", "\\n") + "'");
      }
      if (line.isBlank() || line.startsWith("#") || line.equals("/")) {
        continue;
      }
      FastIgnoreRule rule = new FastIgnoreRule(line);
      if (rule.isEmpty()) {
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
    String p = path.startsWith("/") ? path.substring(1) : path;
    for (int slash = p.indexOf('/'); slash > 0; slash = p.indexOf('/', slash + 1)) {
      if (last(p.substring(0, slash), true) == Boolean.TRUE) {
        return true;
      }
    }
    return last(p, directory) == Boolean.TRUE;
  }

  /** The verdict of the last rule matching {@code path}: TRUE matched, FALSE un-matched, null none. */
  private Boolean last(String path, boolean directory) {
    for (int i = rules.size() - 1; i >= 0; i--) {
      FastIgnoreRule rule = rules.get(i);
      if (rule.isMatch(path, directory, true)) {
        return rule.getResult();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return String.join(", ", lines);
  }
}

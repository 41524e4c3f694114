package dev.gitops.source;

import java.util.regex.Pattern;

/**
 * The names a host's file system writes as {@code .git}, a repository's own folder, which no source
 * may deliver (a hook written there runs on the next Git command in that checkout). Judged as Git
 * judges them under {@code core.protectHFS} and {@code core.protectNTFS} (git's {@code is_hfs_dotgit}
 * in {@code utf8.c} and {@code is_ntfs_dotgit} in {@code path.c}; JGit's {@code ObjectChecker}
 * {@code isMacHFSGit}, {@code isNormalizedGit} and {@code isGitTilde1}), on every platform, since the
 * host a target writes to may be either:
 * <ul>
 *   <li>HFS+ ignores the code points U+200C..U+200F, U+202A..U+202E, U+206A..U+206F and U+FEFF in a
 *       name and folds case: {@code .git} with U+200C after its {@code g}, or {@code .GIT} after a U+FEFF, is {@code .git};</li>
 *   <li>NTFS folds case, drops trailing dots and spaces ({@code .git .}), names the folder's
 *       stream after a colon ({@code .git::$INDEX_ALLOCATION}), and gives {@code .git} the 8.3
 *       short name {@code GIT~1} ({@code git~1}, with trailing dots or spaces too).</li>
 * </ul>
 * {@link GitSource} and {@link DirectorySource} refuse such names; a {@link Loader} that writes a
 * snapshot's paths to a host (whatever {@link Source} made the snapshot) refuses them the same way:
 *
 * <pre>{@code
 * for (String segment : path.split("/", -1)) {
 *   if (GitNames.isDotGit(segment)) {
 *     problems.add(new Problem(path, 0, null, "a name a host may write as .git: " + ResourceId.escape(path)));
 *   }
 * }
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class GitNames {
  /** After the ignorable code points are dropped: {@code .git} or {@code git~1}, then dots and spaces, then a stream. */
  private static final Pattern FOLDS_TO_GIT = Pattern.compile("(?i)(?:\\.git|git~1)[. ]*(?::.*)?", Pattern.DOTALL);

  private GitNames() {}

  /**
   * True when a host may write {@code name} (one path segment) as {@code .git}, {@code .git} itself
   * included.
   *
   * @param name a file or folder name (one segment of a path, without {@code /}); not null
   * @return whether it is {@code .git} on HFS+ or NTFS
   */
  public static boolean isDotGit(String name) {
    String kept = withoutIgnorable(name);
    // (?i) folds ASCII letters only: a name that does not start with '.', 'g' or 'G' is never one, and
    // most are not (every segment of every path of a tree is asked: a match each cost a plan's read)
    char first = kept.isEmpty() ? 0 : kept.charAt(0);
    return (first == '.' || first == 'g' || first == 'G') && FOLDS_TO_GIT.matcher(kept).matches();
  }

  /** {@code name} without the code points HFS+ ignores in names (git's {@code next_hfs_char}). */
  private static String withoutIgnorable(String name) {
    StringBuilder kept = null;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ignorable = c >= '\u200c' && c <= '\u200f' || c >= '\u202a' && c <= '\u202e'
          || c >= '\u206a' && c <= '\u206f' || c == '\ufeff';
      if (ignorable && kept == null) {
        kept = new StringBuilder(name.length()).append(name, 0, i);
      } else if (!ignorable && kept != null) {
        kept.append(c);
      }
    }
    return kept == null ? name : kept.toString();
  }
}

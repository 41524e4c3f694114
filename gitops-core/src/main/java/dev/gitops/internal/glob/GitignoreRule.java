package dev.gitops.internal.glob;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One line of a {@code .gitignore} file, read and matched as Git does (dir.c
 * {@code add_patterns_from_buffer}, {@code trim_trailing_spaces}, {@code parse_path_pattern},
 * {@code last_matching_pattern_from_list}, {@code match_basename}, {@code match_pathname}): trailing
 * spaces go unless escaped by {@code \}; a leading {@code !} negates; one trailing {@code /} makes the line
 * name folders only; a line with no other {@code /} is matched against the path's last name, any other
 * against the whole path, one leading {@code /} only anchoring it. Git compares the bytes before the first
 * wildcard ({@code * ? [ \}) literally and matches the rest with {@link Wildmatch}, so a {@code **} right
 * after that literal part counts as at the pattern's start. Immutable, thread-safe.
 */
final class GitignoreRule {
  private final boolean negative;
  private final boolean folders;
  private final boolean name;
  private final byte[] literal;
  private final Wildmatch rest;

  private GitignoreRule(boolean negative, boolean folders, boolean name, byte[] literal, Wildmatch rest) {
    this.negative = negative;
    this.folders = folders;
    this.name = name;
    this.literal = literal;
    this.rest = rest;
  }

  /**
   * The rule of {@code line}, a line that is neither blank nor a comment.
   *
   * @return null when the line can match no path (its pattern is empty, or one Git cannot read)
   */
  static GitignoreRule parse(String line) {
    byte[] p = trimTrailingSpaces(line.getBytes(StandardCharsets.UTF_8));
    boolean negative = p.length > 0 && p[0] == '!';
    int start = negative ? 1 : 0;
    int end = p.length;
    boolean folders = end > start && p[end - 1] == '/';
    if (folders) {
      end--;
    }
    if (end == start) {
      return null;
    }
    boolean name = true;
    for (int i = start; i < end; i++) {
      name &= p[i] != '/';
    }
    int from = !name && p[start] == '/' ? start + 1 : start;
    int simple = from;
    while (simple < end && "*?[\\".indexOf(p[simple]) < 0) {
      simple++;
    }
    if (name) {
      simple = start; // match_basename hands the whole pattern to wildmatch (its shortcuts agree with it)
    }
    Wildmatch rest = Wildmatch.compile(p, simple, end);
    if (rest.matchesNothing()) {
      return null;
    }
    return new GitignoreRule(negative, folders, name, Arrays.copyOfRange(p, from, Math.max(from, simple)), rest);
  }

  /** True when the line negates: a path it matches is not matched. */
  boolean negative() {
    return negative;
  }

  /** True when the line matches the file, or the folder when {@code folder}, at {@code path[0, end)}. */
  boolean matches(byte[] path, int end, boolean folder) {
    if (folders && !folder) {
      return false;
    }
    if (name) {
      int slash = end;
      while (slash > 0 && path[slash - 1] != '/') {
        slash--;
      }
      return rest.matches(path, slash, end);
    }
    if (end < literal.length || !Arrays.equals(path, 0, literal.length, literal, 0, literal.length)) {
      return false;
    }
    return rest.matches(path, literal.length, end);
  }

  /** Drops trailing spaces but an escaped one, as dir.c {@code trim_trailing_spaces} (tabs stay). */
  private static byte[] trimTrailingSpaces(byte[] line) {
    int lastSpace = -1;
    for (int i = 0; i < line.length; i++) {
      if (line[i] == ' ') {
        lastSpace = lastSpace < 0 ? i : lastSpace;
      } else if (line[i] == '\\' && ++i >= line.length) {
        return line;
      } else {
        lastSpace = -1;
      }
    }
    return lastSpace < 0 ? line : Arrays.copyOf(line, lastSpace);
  }
}

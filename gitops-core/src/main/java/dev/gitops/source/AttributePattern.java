package dev.gitops.source;

import dev.gitops.internal.glob.Wildmatch;
import java.util.Arrays;

/**
 * Where one {@code .gitattributes} line applies, decided for a file as Git decides (dir.c
 * {@code parse_path_pattern}, {@code match_basename}, {@code match_pathname}; attr.c
 * {@code path_matches}): a pattern ending in {@code /} names folders only, so no file; one without a
 * {@code /} is matched against the file's name; any other against the path below the folder of its
 * {@code .gitattributes}, a leading {@code /} only anchoring it there. Git compares the bytes before the
 * first wildcard ({@code * ? [ \}) literally and matches the rest with {@link dev.gitops.internal.glob.Wildmatch}, so a
 * {@code **} right after that literal part counts as at the pattern's start. Immutable, thread-safe.
 * Not part of the public API.
 */
final class AttributePattern {
  private final boolean folders;
  private final boolean name;
  private final byte[] literal;
  private final Wildmatch rest;

  private AttributePattern(boolean folders, boolean name, byte[] literal, Wildmatch rest) {
    this.folders = folders;
    this.name = name;
    this.literal = literal;
    this.rest = rest;
  }

  /** The pattern of a line, its bytes as written (unquoted). */
  static AttributePattern of(byte[] pattern) {
    int length = pattern.length;
    boolean folders = length > 0 && pattern[length - 1] == '/';
    if (folders) {
      length--;
    }
    boolean name = true;
    for (int i = 0; i < length; i++) {
      name &= pattern[i] != '/';
    }
    int from = !name && length > 0 && pattern[0] == '/' ? 1 : 0;
    int simple = from;
    while (simple < length && "*?[\\".indexOf(pattern[simple]) < 0) {
      simple++;
    }
    if (name) {
      simple = 0; // match_basename hands the whole pattern to wildmatch (its shortcuts agree with it)
    }
    return new AttributePattern(folders, name, Arrays.copyOfRange(pattern, from, simple),
        Wildmatch.compile(pattern, name ? 0 : simple, length));
  }

  /**
   * The bytes compared literally and the wildcard part's tokens: {@link #matches} takes at most this
   * many steps times the path's length plus one (0 for a pattern that names folders only: never matched).
   */
  int size() {
    return folders ? 0 : literal.length + rest.size();
  }

  /**
   * True when the line applies to the file at {@code path} (bytes of a {@code /}-separated path from the
   * repository's root), the line being in the {@code .gitattributes} of the folder whose path is the
   * first {@code base} bytes of {@code path} (0 for the root; else {@code path[base]} is {@code /}).
   */
  boolean matches(byte[] path, int base) {
    if (folders) {
      return false;
    }
    if (name) {
      int slash = path.length;
      while (slash > 0 && path[slash - 1] != '/') {
        slash--;
      }
      return rest.matches(path, slash, path.length);
    }
    int from = base == 0 ? 0 : base + 1;
    if (path.length - from < literal.length
        || !Arrays.equals(path, from, from + literal.length, literal, 0, literal.length)) {
      return false;
    }
    return rest.matches(path, from + literal.length, path.length);
  }
}

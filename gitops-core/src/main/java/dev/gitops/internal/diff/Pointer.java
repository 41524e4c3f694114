package dev.gitops.internal.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** RFC 6901 JSON pointers: escaping, building from a path stack, parsing, ordering. Not public API. */
public final class Pointer {
  /** Orders pointers segment by segment, numeric segments by value, so {@code /a/2 < /a/10}. */
  public static final Comparator<String> ORDER = Pointer::compare;

  private Pointer() {}

  /** Escapes one segment: {@code ~} to {@code ~0}, {@code /} to {@code ~1}. */
  public static String escape(String segment) {
    if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) {
      return segment;
    }
    return segment.replace("~", "~0").replace("/", "~1");
  }

  /** Unescapes one segment. */
  public static String unescape(String segment) {
    if (segment.indexOf('~') < 0) {
      return segment;
    }
    return segment.replace("~1", "/").replace("~0", "~");
  }

  /** The unescaped segments of {@code pointer}; {@code ""} has none. */
  public static List<String> segments(String pointer) {
    List<String> out = new ArrayList<>();
    if (pointer.isEmpty()) {
      return out;
    }
    if (!pointer.startsWith("/")) {
      throw new IllegalArgumentException("a JSON pointer starts with '/': " + pointer);
    }
    int start = 1;
    while (true) {
      int slash = pointer.indexOf('/', start);
      if (slash < 0) {
        out.add(unescape(pointer.substring(start)));
        return out;
      }
      out.add(unescape(pointer.substring(start, slash)));
      start = slash + 1;
    }
  }

  /** A pointer from the first {@code depth} segments; a null name means the index in {@code idx}. */
  public static String build(String[] names, int[] idx, int depth) {
    StringBuilder sb = new StringBuilder(depth * 12);
    for (int i = 0; i < depth; i++) {
      sb.append('/');
      if (names[i] == null) {
        sb.append(idx[i]);
      } else {
        sb.append(escape(names[i]));
      }
    }
    return sb.toString();
  }

  /** A pointer from segments. */
  public static String of(List<String> segments) {
    StringBuilder sb = new StringBuilder();
    for (String s : segments) {
      sb.append('/').append(escape(s));
    }
    return sb.toString();
  }

  private static int compare(String a, String b) {
    List<String> x = segments(a);
    List<String> y = segments(b);
    int n = Math.min(x.size(), y.size());
    for (int i = 0; i < n; i++) {
      int c = compareSegment(x.get(i), y.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.size(), y.size());
  }

  private static int compareSegment(String a, String b) {
    boolean na = isIndex(a);
    boolean nb = isIndex(b);
    if (na && nb) {
      int c = Integer.compare(a.length(), b.length());
      return c != 0 ? c : a.compareTo(b);
    }
    if (na != nb) {
      return na ? -1 : 1;
    }
    return a.compareTo(b);
  }

  /** True when {@code s} is a canonical array index ({@code 0}, {@code 17}, not {@code 07}). */
  public static boolean isIndex(String s) {
    if (s.isEmpty() || s.length() > 9 || (s.length() > 1 && s.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}

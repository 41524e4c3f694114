package dev.gitops.internal.git;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic-version range: comparators ({@code >=}, {@code >}, {@code <=}, {@code <}, {@code =})
 * separated by spaces, all of which must hold ({@code ">=1.2.0 <2.0.0"}). Pre-release versions only
 * match when a comparator names a pre-release. Not part of the public API.
 */
public final class SemverRange {
  private static final Pattern VERSION =
      Pattern.compile("[vV]?(\\d+)\\.(\\d+)\\.(\\d+)(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");
  private static final Pattern COMPARATOR = Pattern.compile("(>=|<=|>|<|=)?\\s*(\\S+)");

  private enum Op { GE, GT, LE, LT, EQ }

  private record Comparator(Op op, Version version) {
    boolean test(Version v) {
      int c = v.compareTo(version);
      return switch (op) {
        case GE -> c >= 0;
        case GT -> c > 0;
        case LE -> c <= 0;
        case LT -> c < 0;
        case EQ -> c == 0;
      };
    }
  }

  private final String text;
  private final List<Comparator> comparators;

  private SemverRange(String text, List<Comparator> comparators) {
    this.text = text;
    this.comparators = List.copyOf(comparators);
  }

  /** Parses a range; throws {@link IllegalArgumentException} naming the bad part. */
  public static SemverRange parse(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("empty semver range");
    }
    List<Comparator> list = new ArrayList<>();
    Matcher m = COMPARATOR.matcher(trimmed);
    int at = 0;
    while (at < trimmed.length()) {
      if (!m.find(at) || !trimmed.substring(at, m.start()).isBlank()) {
        throw new IllegalArgumentException("bad semver range: " + text);
      }
      Op op = switch (m.group(1) == null ? "=" : m.group(1)) {
        case ">=" -> Op.GE;
        case ">" -> Op.GT;
        case "<=" -> Op.LE;
        case "<" -> Op.LT;
        default -> Op.EQ;
      };
      Version v = Version.parse(m.group(2))
          .orElseThrow(() -> new IllegalArgumentException("bad version '" + m.group(2) + "' in semver range: " + text));
      list.add(new Comparator(op, v));
      at = m.end();
      while (at < trimmed.length() && Character.isWhitespace(trimmed.charAt(at))) {
        at++;
      }
    }
    return new SemverRange(trimmed, list);
  }

  /** True when {@code v} satisfies every comparator. */
  public boolean test(Version v) {
    if (!v.pre().isEmpty()
        && comparators.stream().noneMatch(c -> !c.version.pre().isEmpty() && c.version.sameCore(v))) {
      return false;
    }
    return comparators.stream().allMatch(c -> c.test(v));
  }

  /** The name with the highest version that matches, among names like {@code v1.2.3} or {@code 1.2.3}. */
  public Optional<String> highest(Collection<String> names) {
    String best = null;
    Version bestVersion = null;
    for (String name : names) {
      Optional<Version> v = Version.parse(name);
      if (v.isPresent() && test(v.get()) && (bestVersion == null || v.get().compareTo(bestVersion) > 0)) {
        best = name;
        bestVersion = v.get();
      }
    }
    return Optional.ofNullable(best);
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * A semantic version; build metadata is ignored.
   *
   * @param major major
   * @param minor minor
   * @param patch patch
   * @param pre pre-release identifiers, {@code ""} for a release
   */
  public record Version(int major, int minor, int patch, String pre) implements Comparable<Version> {
    /** Parses {@code 1.2.3}, {@code v1.2.3-rc.1}; empty when it is not a version. */
    public static Optional<Version> parse(String text) {
      Matcher m = VERSION.matcher(text);
      if (!m.matches()) {
        return Optional.empty();
      }
      try {
        return Optional.of(new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)), m.group(4) == null ? "" : m.group(4)));
      } catch (NumberFormatException tooLarge) {
        return Optional.empty();
      }
    }

    boolean sameCore(Version o) {
      return major == o.major && minor == o.minor && patch == o.patch;
    }

    @Override
    public int compareTo(Version o) {
      int c = Integer.compare(major, o.major);
      c = c != 0 ? c : Integer.compare(minor, o.minor);
      c = c != 0 ? c : Integer.compare(patch, o.patch);
      if (c != 0 || pre.equals(o.pre)) {
        return c;
      }
      if (pre.isEmpty() || o.pre.isEmpty()) {
        return pre.isEmpty() ? 1 : -1;
      }
      return comparePre(pre.split("\\."), o.pre.split("\\."));
    }

    private static int comparePre(String[] a, String[] b) {
      for (int i = 0; i < Math.min(a.length, b.length); i++) {
        boolean na = a[i].matches("\\d+");
        boolean nb = b[i].matches("\\d+");
        int c = na && nb ? Long.compare(Long.parseLong(a[i]), Long.parseLong(b[i]))
            : na != nb ? (na ? -1 : 1) : a[i].compareTo(b[i]);
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(a.length, b.length);
    }
  }
}

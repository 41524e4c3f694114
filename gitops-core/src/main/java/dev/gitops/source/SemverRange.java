package dev.gitops.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

/**
 * A semantic-version range in npm's grammar (node-semver; Cargo writes the same {@code ^}, {@code ~},
 * {@code *}, {@code x} and comparators), evaluated by semver4j: comparators {@code >=1.2.0 <2.0.0},
 * caret {@code ^1.2}, tilde {@code ~1.2}, wildcards {@code 1.x} and {@code *}, hyphen ranges
 * {@code 1.0 - 1.5}, alternatives joined by {@code ||}; Cargo's comma between comparators
 * ({@code >=1.2, <1.5}) is read as a space. A bare version means what it means to npm ({@code 1.2}
 * is {@code 1.2.x}), not Cargo's implied caret.
 *
 * <p>Pre-release versions are left out unless a comparator of the same alternative names a
 * pre-release of the same {@code major.minor.patch} (npm's rule): {@code >=1.2.0} never picks
 * {@code 1.3.0-rc.1}, {@code >=1.3.0-rc.0} picks {@code 1.3.0-rc.1} but not {@code 1.4.0-rc.1}.
 *
 * <p>This class checks the grammar itself before handing the range to the library, which reads some
 * malformed ranges as "nothing" or "everything" ({@code foo}, {@code 1.2.3 -}) and a lone {@code x}
 * as "nothing": every malformed range is an {@link IllegalArgumentException} naming the bad part.
 * Immutable and thread-safe. Not part of the public API.
 */
final class SemverRange {
  private static final String NR = "(?:0|[1-9][0-9]{0,8})";
  private static final String XR = "(?:[xX*]|" + NR + ")";
  private static final String IDS = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
  private static final Pattern PARTIAL = Pattern.compile(
      "[vV]?" + XR + "(?:\\." + XR + "(?:\\." + XR + "(?:-" + IDS + ")?(?:\\+" + IDS + ")?)?)?");
  private static final Pattern WILDCARD = Pattern.compile("[vV]?[xX*](?:\\.[xX*]){0,2}");
  private static final Pattern COMPARATOR = Pattern.compile("(<=|>=|<|>|=|~>|~|\\^)?(.*)");
  private static final Pattern HYPHEN = Pattern.compile("(\\S+)\\s+-\\s+(\\S+)");
  private static final Pattern OPERATOR_SPACE = Pattern.compile("(<=|>=|<|>|=|~>|~|\\^)\\s+");

  private final String text;
  private final RangesList ranges;

  private SemverRange(String text, RangesList ranges) {
    this.text = text;
    this.ranges = ranges;
  }

  /** Parses a range; throws {@link IllegalArgumentException} naming the bad part. */
  public static SemverRange parse(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("empty semver range");
    }
    List<String> alternatives = new ArrayList<>();
    for (String alternative : trimmed.split("\\|\\|", -1)) {
      alternatives.add(alternative(alternative.strip(), text));
    }
    String normalized = String.join(" || ", alternatives);
    RangesList ranges;
    try {
      ranges = RangesListFactory.create(normalized, false);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad semver range: " + text + " (" + e.getMessage() + ")", e);
    }
    if (ranges.get().size() != alternatives.size() || ranges.get().stream().anyMatch(List::isEmpty)) {
      throw new IllegalArgumentException("bad semver range: " + text);
    }
    return new SemverRange(trimmed, ranges);
  }

  /** One alternative (between {@code ||}), checked and written the way the library reads it. */
  private static String alternative(String alt, String text) {
    if (alt.isEmpty()) {
      throw new IllegalArgumentException("empty alternative in semver range: " + text);
    }
    Matcher hyphen = HYPHEN.matcher(alt);
    if (hyphen.matches()) {
      return partial(hyphen.group(1), text) + " - " + partial(hyphen.group(2), text);
    }
    // a comma is a space here (a regex around it took seconds on a long run of spaces: quadratic)
    String joined = OPERATOR_SPACE.matcher(alt.replace(',', ' ')).replaceAll("$1");
    List<String> out = new ArrayList<>();
    for (String token : joined.strip().split("\\s+")) {
      Matcher m = COMPARATOR.matcher(token);
      m.matches();
      String op = m.group(1) == null ? "" : m.group(1);
      String version = partial(m.group(2), text);
      if (WILDCARD.matcher(version).matches()) {
        if (op.equals("<") || op.equals(">")) {
          throw new IllegalArgumentException("'" + token + "' matches no version, in semver range: " + text);
        }
        out.add("*");
      } else {
        out.add(op + version);
      }
    }
    return String.join(" ", out);
  }

  private static String partial(String version, String text) {
    if (!PARTIAL.matcher(version).matches()) {
      throw new IllegalArgumentException("bad version '" + version + "' in semver range: " + text);
    }
    return version;
  }

  /** True when the tag ({@code 1.2.3} or {@code v1.2.3}) is a version in this range. */
  public boolean matches(String tag) {
    Semver v = version(tag);
    return v != null && ranges.isSatisfiedBy(v);
  }

  /**
   * The tag with the highest version in the range, among names like {@code v1.2.3} or {@code 1.2.3}
   * (other names are ignored). Versions equal but for build metadata ({@code 1.2.3+a},
   * {@code v1.2.3}) tie; the name that sorts first wins, so the choice never depends on order.
   */
  public Optional<String> highest(Collection<String> tags) {
    String best = null;
    Semver bestVersion = null;
    for (String tag : tags) {
      Semver v = version(tag);
      if (v == null || !ranges.isSatisfiedBy(v)) {
        continue;
      }
      int c = bestVersion == null ? 1 : v.compareTo(bestVersion);
      if (c > 0 || c == 0 && tag.compareTo(best) < 0) {
        best = tag;
        bestVersion = v;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The version a tag names ({@code v} or {@code V} prefix allowed), or null. */
  private static Semver version(String tag) {
    String t = tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
    try {
      return Semver.parse(t);
    } catch (RuntimeException notAVersion) {
      return null;
    }
  }

  @Override
  public String toString() {
    return text;
  }
}

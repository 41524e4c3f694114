package dev.gitops.benchmarks;

import java.util.Locale;
import java.util.Objects;

/**
 * One performance goal measured beside its anchor: {@code ours / anchor <= limit}.
 *
 * <p>Every benchmark main prints its goals with {@link #line()}, in the one format that
 * {@code benchmarks/run} collects:
 * {@code <goal>: <ours> vs <anchor> = <ratio>x (goal <= <limit>x) PASS|MISS}.
 * Immutable and thread-safe.
 *
 * @param name   what is measured, e.g. {@code plan 10000 (0% changed)}
 * @param ours   our figure, already formatted with its unit, e.g. {@code 41.2 ms}
 * @param anchor the anchor's figure with its name and unit, e.g. {@code JsonNode.equals 30.1 ms}
 * @param ratio  ours divided by the anchor
 * @param limit  the largest ratio that still meets the goal
 */
public record Goal(String name, String ours, String anchor, double ratio, double limit) {

  /** Validates the fields; throws {@link IllegalArgumentException} on a negative or NaN ratio. */
  public Goal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ours, "ours");
    Objects.requireNonNull(anchor, "anchor");
    if (Double.isNaN(ratio) || ratio < 0 || Double.isNaN(limit) || limit <= 0) {
      throw new IllegalArgumentException("bad ratio " + ratio + " or limit " + limit + " for " + name);
    }
  }

  /**
   * A goal over two times in milliseconds, printed with their units.
   *
   * @param name       the goal
   * @param oursMs     our time in milliseconds
   * @param anchorName what the anchor is, e.g. {@code rsync}
   * @param anchorMs   the anchor's time in milliseconds
   * @param limit      the largest acceptable ratio
   * @return the goal
   */
  public static Goal ofMillis(String name, double oursMs, String anchorName, double anchorMs,
                              double limit) {
    return new Goal(name, millis(oursMs), anchorName + " " + millis(anchorMs), oursMs / anchorMs, limit);
  }

  /** {@return whether the ratio is within the limit} */
  public boolean met() {
    return ratio <= limit;
  }

  /** {@return the one line {@code benchmarks/run} collects} */
  public String line() {
    return String.format(Locale.ROOT, "%s: %s vs %s = %.2fx (goal <= %sx) %s", name, ours, anchor,
        ratio, trim(limit), met() ? "PASS" : "MISS");
  }

  /** Prints {@link #line()} to standard output and returns this goal. */
  public Goal print() {
    System.out.println(line());
    System.out.flush();
    return this;
  }

  /**
   * Formats a duration in milliseconds with a readable unit.
   *
   * @param ms milliseconds
   * @return e.g. {@code 812 us}, {@code 41.2 ms}, {@code 3.05 s}
   */
  public static String millis(double ms) {
    if (ms < 1) {
      return String.format(Locale.ROOT, "%.0f us", ms * 1000);
    }
    if (ms < 1000) {
      return String.format(Locale.ROOT, ms < 100 ? "%.2f ms" : "%.1f ms", ms);
    }
    return String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  /**
   * Formats a byte count with a binary unit.
   *
   * @param bytes a size
   * @return e.g. {@code 512 B}, {@code 3.4 MiB}
   */
  public static String bytes(double bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB"};
    int u = 0;
    while (bytes >= 1024 && u < units.length - 1) {
      bytes /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  @Override
  public String toString() {
    return line();
  }
}

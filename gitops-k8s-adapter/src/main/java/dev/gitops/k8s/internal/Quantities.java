package dev.gitops.k8s.internal;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 1Gi}, {@code 2e3}) in one canonical form.
 * A cluster uses few distinct quantity texts, so the forms of the first 4,096 seen are kept.
 */
public final class Quantities {
  private static final Pattern QUANTITY =
      Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");
  private static final Map<String, BigDecimal> SUFFIX = Map.ofEntries(
      Map.entry("Ki", BigDecimal.valueOf(1024L)),
      Map.entry("Mi", BigDecimal.valueOf(1024L * 1024)),
      Map.entry("Gi", BigDecimal.valueOf(1024L * 1024 * 1024)),
      Map.entry("Ti", BigDecimal.valueOf(1024L * 1024 * 1024 * 1024)),
      Map.entry("Pi", BigDecimal.valueOf(1024L * 1024 * 1024 * 1024 * 1024)),
      Map.entry("Ei", BigDecimal.valueOf(1024L * 1024 * 1024 * 1024 * 1024 * 1024)),
      Map.entry("n", new BigDecimal("1e-9")),
      Map.entry("u", new BigDecimal("1e-6")),
      Map.entry("m", new BigDecimal("1e-3")),
      Map.entry("k", new BigDecimal("1e3")),
      Map.entry("M", new BigDecimal("1e6")),
      Map.entry("G", new BigDecimal("1e9")),
      Map.entry("T", new BigDecimal("1e12")),
      Map.entry("P", new BigDecimal("1e15")),
      Map.entry("E", new BigDecimal("1e18")));

  /** Canonical forms already computed ("" for text that is not a quantity); at most {@link #CACHED}. */
  private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<>();
  private static final int CACHED = 4096;

  private Quantities() {}

  /**
   * The canonical text of a quantity: its value in base units as a plain decimal without trailing
   * zeros ({@code 1Gi} and {@code 1024Mi} give {@code 1073741824}, {@code 1000m} gives {@code 1}),
   * or null when {@code text} is not a quantity.
   */
  public static String canonical(String text) {
    String known = CACHE.get(text);
    if (known != null) {
      return known.isEmpty() ? null : known;
    }
    String canonical = parse(text);
    if (CACHE.size() < CACHED) {
      CACHE.put(text, canonical == null ? "" : canonical);
    }
    return canonical;
  }

  private static String parse(String text) {
    Matcher m = QUANTITY.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    BigDecimal value = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    if (suffix != null) {
      BigDecimal factor = SUFFIX.get(suffix);
      value = factor != null ? value.multiply(factor)
          : value.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    }
    return value.stripTrailingZeros().toPlainString();
  }
}

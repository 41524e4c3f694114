package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 1Gi}, {@code 2e3}) in one canonical form.
 * A cluster uses few distinct quantity texts, so the forms of the first 4,096 seen are kept.
 */
final class Quantities {
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

  /** The largest quantity Kubernetes holds: 2^63-1. */
  private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  /** A scale for {@link #stored}: the value is kept exactly (a custom resource's quantity). */
  static final int EXACT = Integer.MAX_VALUE;
  /** Values below 10^-30 (far under the 1n Kubernetes rounds to) are out of range. */
  private static final int MIN_DIGITS = -30;

  /**
   * Characters past which a text is no quantity this library reads: real ones take a dozen ({@code 1.5Gi},
   * {@code 0.0357142857}), and a million digits took BigDecimal 50 s to parse.
   */
  static final int MAX_LENGTH = 100;

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

  /**
   * True when {@code actual} is {@code desired} as a server that keeps {@code scale} decimal places
   * stores it: rounded up, away from zero, as {@code resource.ParseQuantity} rounds to the nano and
   * {@code Quantity.RoundUp} to the milli ({@code 0.1m} at scale 3 is {@code 1m}, {@code -0.1m} is
   * {@code -1m}); {@link #EXACT} compares the values ({@code 1Gi} and {@code 1024Mi},
   * {@code 0.5} and {@code 500m} are one). False when either is
   * no quantity.
   */
  static boolean stored(JsonNode actual, JsonNode desired, int scale) {
    BigDecimal a = decimal(actual);
    BigDecimal d = decimal(desired);
    if (a == null || d == null) {
      return false;
    }
    if (scale != EXACT && d.scale() > scale) {
      d = d.setScale(scale, java.math.RoundingMode.UP);
    }
    return a.compareTo(d) == 0;
  }

  private static String canonical(com.fasterxml.jackson.databind.JsonNode v) {
    if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue())) {
      return null; // YAML's .inf and .nan: no quantity (the loader refuses them)
    }
    if (v.isNumber()) {
      return canonical(v.decimalValue().toPlainString());
    }
    return v.isTextual() ? canonical(v.textValue()) : null;
  }

  /**
   * How {@code resource.Quantity} prints a value (apimachinery {@code pkg/api/resource/quantity.go}
   * {@code Format}): {@code ParseQuantity} takes it from the suffix written ({@code Ki} ... {@code Ei}:
   * binary; {@code e3}: exponent; none or {@code m}, {@code k}, {@code M} ...: decimal), and a sum
   * keeps the first term's ({@code Add}; a zero takes the other's).
   */
  enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final Map<Integer, String> DECIMAL_SUFFIXES = Map.of(-9, "n", -6, "u", -3, "m", 0, "",
      3, "k", 6, "M", 9, "G", 12, "T", 15, "P", 18, "E");
  private static final BigDecimal KI = BigDecimal.valueOf(1024);

  /** The format {@code ParseQuantity} reads from {@code node} (a number is decimal, as its text has no suffix). */
  static Format format(JsonNode node) {
    Matcher m = node.isTextual() ? QUANTITY.matcher(node.textValue().trim()) : null;
    String suffix = m != null && m.matches() ? m.group(2) : null;
    if (suffix == null) {
      return Format.DECIMAL_SI;
    }
    return suffix.endsWith("i") ? Format.BINARY_SI
        : suffix.startsWith("e") || suffix.startsWith("E") ? Format.DECIMAL_EXPONENT : Format.DECIMAL_SI;
  }

  /**
   * {@code node}, a quantity, as the API server prints it once stored in a field that keeps
   * {@code scale} decimal places ({@link Defaulting#RESOURCE_LIST_SCALE} in a resource list): {@code 0.25}
   * is {@code 250m}, {@code 1024Mi} is {@code 1Gi}, {@code 1.5Gi} is {@code 1536Mi}; {@code node} itself
   * when it is no quantity. For a value the server derives (a copy of a limit, a sum of requests), so
   * the plan shows what a read returns.
   */
  static JsonNode serverForm(JsonNode node, int scale) {
    BigDecimal value = decimal(node);
    return value == null ? node : com.fasterxml.jackson.databind.node.TextNode.valueOf(serverForm(value, format(node), scale));
  }

  /**
   * {@code Quantity.String()} of {@code value} in {@code format}, rounded up (away from zero) to
   * {@code scale} decimal places first: {@code CanonicalizeBytes} prints a binary quantity under 1024
   * in magnitude, or not whole, as a decimal one; a binary one with the largest power of 1024 that
   * divides it ({@code AsCanonicalBase1024Bytes}); a decimal one with its trailing zeros taken into
   * an exponent lowered to a multiple of 3 ({@code int64Amount.AsCanonicalBytes}), named by its SI
   * suffix, or written {@code e<n>} in the exponent format.
   */
  static String serverForm(BigDecimal value, Format format, int scale) {
    BigDecimal v = scale != EXACT && value.scale() > scale ? value.setScale(scale, java.math.RoundingMode.UP) : value;
    if (v.signum() == 0) {
      return "0";
    }
    if (format == Format.BINARY_SI && v.abs().compareTo(KI) >= 0 && v.stripTrailingZeros().scale() <= 0) {
      java.math.BigInteger n = v.toBigIntegerExact();
      int power = 0;
      while (power < BINARY_SUFFIXES.length - 1 && n.mod(KI.toBigInteger()).signum() == 0) {
        n = n.divide(KI.toBigInteger());
        power++;
      }
      return n + BINARY_SUFFIXES[power];
    }
    BigDecimal stripped = v.stripTrailingZeros();
    int exponent = -stripped.scale();
    int down = Math.floorMod(exponent, 3);
    java.math.BigInteger mantissa = stripped.unscaledValue().multiply(java.math.BigInteger.TEN.pow(down));
    exponent -= down;
    String suffix = format == Format.DECIMAL_EXPONENT ? null : DECIMAL_SUFFIXES.get(exponent);
    return mantissa + (suffix != null ? suffix : exponent == 0 ? "" : "e" + exponent);
  }

  /** The value of a quantity written as text or a number, or null when it is none or out of range. */
  static BigDecimal decimal(JsonNode node) {
    String c = canonical(node);
    return c == null ? null : new BigDecimal(c);
  }

  private static String parse(String text) {
    BigDecimal value = value(text);
    return value == null || !inRange(value) ? null : value.stripTrailingZeros().toPlainString();
  }

  /**
   * True when {@code text} is a quantity whose value Kubernetes cannot hold: above 2^63-1 in
   * magnitude, or an exponent so large or small that writing the number out would take more memory
   * than a process has ({@code 1e999999999}). The loader refuses those with file and line.
   */
  public static boolean outOfRange(String text) {
    BigDecimal value = value(text);
    return value != null && !inRange(value);
  }

  /**
   * Why {@code node}, a value the schema types as a quantity, cannot be held: {@code quantity
   * "1e999999999" is out of range (...)} when {@link #outOfRange(String) out of range} or a number
   * YAML read as infinite, its length (never the text) when longer than {@link #MAX_LENGTH}; null when it
   * can. A field is a quantity by its place in its kind's schema, never by its name.
   */
  static String rangeProblem(JsonNode node) {
    if (node.isTextual() && node.textValue().length() > MAX_LENGTH) {
      return "a quantity of " + node.textValue().length() + " characters, more than the " + MAX_LENGTH + " this"
          + " loader reads (real ones take a few: 1.5Gi, 250m): write it shorter";
    }
    boolean infinite = node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue());
    if (infinite || node.isTextual() && outOfRange(node.asText())) {
      String shown = node.isTextual() ? node.toString() : node.asText();
      return "quantity " + shown + " is out of range (Kubernetes holds at most 2^63-1)";
    }
    return null;
  }

  private static boolean inRange(BigDecimal value) {
    return value.signum() == 0 || value.abs().compareTo(MAX) <= 0 && value.precision() - value.scale() > MIN_DIGITS;
  }

  /** The value of a quantity, or null when {@code text} is not one; never expands its exponent. */
  private static BigDecimal value(String text) {
    if (text.length() > MAX_LENGTH) {
      return null;
    }
    Matcher m = QUANTITY.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    BigDecimal value = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    if (suffix == null) {
      return value;
    }
    BigDecimal factor = SUFFIX.get(suffix);
    if (factor != null) {
      return value.multiply(factor);
    }
    String digits = suffix.substring(1).replaceFirst("^[+-]", "");
    int sign = suffix.charAt(1) == '-' ? -1 : 1;
    // past 6 digits the exponent is absurd either way: keep it out of range without computing it
    int exponent = digits.length() > 6 ? sign * 1_000_000 : sign * Integer.parseInt(digits);
    return value.scaleByPowerOfTen(exponent); // only the scale changes: no digits are written out
  }
}

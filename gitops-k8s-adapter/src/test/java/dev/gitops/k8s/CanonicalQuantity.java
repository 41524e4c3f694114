package dev.gitops.k8s;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text an API server writes for a {@code resource.Quantity}, for the test-side stand-in: the
 * canonical form the Kubernetes OpenAPI describes (the largest suffix that keeps the value exact,
 * no fractional digits, at most milli precision rounded up; a binary quantity under 1024 or with a
 * fraction is written decimal). Written here from that description, independent of the adapter's
 * own quantity code.
 */
final class CanonicalQuantity {
  private static final Pattern FORM = Pattern.compile(
      "([+-]?)([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?");
  private static final Map<String, Integer> BINARY = Map.of("Ki", 1, "Mi", 2, "Gi", 3, "Ti", 4, "Pi", 5, "Ei", 6);
  private static final Map<String, Integer> DECIMAL = Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3,
      "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
  private static final String[] BINARY_SUFFIX = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final BigInteger KI = BigInteger.valueOf(1024);

  private CanonicalQuantity() {}

  /** The canonical text of {@code text}, or null when it is no quantity. */
  static String of(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    BigDecimal value = new BigDecimal(m.group(2).startsWith(".") ? "0" + m.group(2) : m.group(2));
    if (m.group(1).equals("-")) {
      value = value.negate();
    }
    String suffix = m.group(3) == null ? "" : m.group(3);
    boolean binary = BINARY.containsKey(suffix);
    if (binary) {
      value = value.multiply(new BigDecimal(KI.pow(BINARY.get(suffix))));
    } else if (DECIMAL.containsKey(suffix)) {
      value = value.scaleByPowerOfTen(DECIMAL.get(suffix));
    } else {
      value = value.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    }
    value = value.setScale(3, RoundingMode.UP).stripTrailingZeros(); // milli precision, rounded up
    if (binary && value.abs().compareTo(BigDecimal.valueOf(1024)) >= 0 && value.scale() <= 0) {
      return binaryForm(value.toBigIntegerExact());
    }
    return decimalForm(value);
  }

  private static String binaryForm(BigInteger v) {
    int power = 0;
    BigInteger mantissa = v;
    while (power < 6 && mantissa.signum() != 0 && mantissa.mod(KI).signum() == 0) {
      mantissa = mantissa.divide(KI);
      power++;
    }
    return mantissa + BINARY_SUFFIX[power];
  }

  private static String decimalForm(BigDecimal v) {
    if (v.signum() == 0) {
      return "0";
    }
    for (int exp = 18; exp >= -3; exp -= 3) {
      BigDecimal mantissa = v.scaleByPowerOfTen(-exp);
      if (mantissa.stripTrailingZeros().scale() <= 0) {
        int at = exp;
        String suffix = DECIMAL.entrySet().stream().filter(e -> e.getValue() == at)
            .map(Map.Entry::getKey).findFirst().orElseThrow();
        return mantissa.toBigIntegerExact() + suffix;
      }
    }
    throw new IllegalStateException("more than milli precision after rounding: " + v);
  }
}

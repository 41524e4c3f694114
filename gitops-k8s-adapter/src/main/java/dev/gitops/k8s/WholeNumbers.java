package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigDecimal;

/**
 * Numbers in a built-in kind's whole-number fields (Go's {@code int32} and {@code int64}, and the
 * {@code int32} of an int-or-string), as kubectl sends them and the API server decodes them.
 * kubectl reads YAML into Go values (a {@code 3.0} or {@code 1e3} becomes the float64 3 or 1000)
 * and writes JSON back ({@code 3}, {@code 1000}), which the server takes; the server's JSON decoder
 * refuses a fraction ({@code 2.5}) and a number its Go type cannot hold ({@code replicas:
 * 99999999999999999999}: "cannot unmarshal number ... into Go struct field ... of type int32").
 * Not public API.
 */
final class WholeNumbers {
  private WholeNumbers() {}

  /** What the server refuses in {@code value} as a whole number of at most {@code max}; null when nothing or not a number. */
  static String problem(JsonNode value, long max) {
    if (!value.isNumber()) {
      return null;
    }
    if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
      return "not a finite number, where the API server takes a whole number";
    }
    BigDecimal number = value.decimalValue();
    if (number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
      return "a fraction where the API server takes a whole number";
    }
    if (number.compareTo(BigDecimal.valueOf(max)) > 0 || number.compareTo(BigDecimal.valueOf(-max - 1)) < 0) {
      return "a number out of the range of Go's " + (max == Integer.MAX_VALUE ? "int32" : "int64")
          + " (" + (-max - 1) + " to " + max + ") where the API server takes one";
    }
    return null;
  }

  /**
   * {@code value}, a whole number {@link #problem} found nothing in, as an integer node when it was
   * written with a fraction or exponent ({@code 3.0}, {@code 1e3}); else {@code value} itself.
   */
  static JsonNode integral(JsonNode value) {
    if (!value.isNumber() || value.isIntegralNumber() || problem(value, Long.MAX_VALUE) != null) {
      return value;
    }
    long whole = value.decimalValue().longValueExact();
    return whole == (int) whole ? IntNode.valueOf((int) whole) : LongNode.valueOf(whole);
  }
}

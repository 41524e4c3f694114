package dev.gitops.internal.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/** Equality of JSON values where numbers compare by value ({@code 1 == 1L == 1.0}). Not public API. */
public final class Values {
  private Values() {}

  /** Deep equality, numbers by value. */
  public static boolean equivalent(JsonNode a, JsonNode b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    JsonNodeType ta = a.getNodeType();
    JsonNodeType tb = b.getNodeType();
    if (ta == JsonNodeType.NUMBER && tb == JsonNodeType.NUMBER) {
      return numbersEqual(a, b);
    }
    if (ta != tb) {
      return false;
    }
    if (ta == JsonNodeType.OBJECT) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        if (!equivalent(e.getValue(), b.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (ta == JsonNodeType.ARRAY) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<JsonNode> ia = a.elements();
      Iterator<JsonNode> ib = b.elements();
      while (ia.hasNext()) {
        if (!equivalent(ia.next(), ib.next())) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** Scalar equality (containers compare by {@code equals}), numbers by value. */
  public static boolean scalarsEqual(JsonNode a, JsonNode b) {
    JsonNodeType ta = a.getNodeType();
    JsonNodeType tb = b.getNodeType();
    if (ta == JsonNodeType.NUMBER && tb == JsonNodeType.NUMBER) {
      return numbersEqual(a, b);
    }
    return ta == tb && a.equals(b);
  }

  /** Numeric equality by value across Jackson's number node types. */
  public static boolean numbersEqual(JsonNode a, JsonNode b) {
    if (a.numberType() == b.numberType() && !a.isBigDecimal()) {
      return a.equals(b);
    }
    if (a.isIntegralNumber() && b.isIntegralNumber()) {
      if (a.canConvertToLong() && b.canConvertToLong()) {
        return a.longValue() == b.longValue();
      }
      return a.bigIntegerValue().equals(b.bigIntegerValue());
    }
    if (!finite(a) || !finite(b)) {
      return Double.compare(a.doubleValue(), b.doubleValue()) == 0;
    }
    return a.decimalValue().compareTo(b.decimalValue()) == 0;
  }

  /** A canonical text for a scalar used as a merge key; numbers by value. */
  public static String keyText(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "\u0000missing";
    }
    if (v.isNumber()) {
      if (!finite(v)) {
        return "n" + v.doubleValue();
      }
      BigDecimal d = v.decimalValue().stripTrailingZeros();
      return "n" + d.toPlainString();
    }
    if (v.isTextual()) {
      return "s" + v.textValue();
    }
    return v.getNodeType().name() + v;
  }

  private static boolean finite(JsonNode n) {
    return !(n.isDouble() || n.isFloat()) || Double.isFinite(n.doubleValue());
  }
}

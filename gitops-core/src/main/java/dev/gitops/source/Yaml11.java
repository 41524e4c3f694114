package dev.gitops.source;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What YAML 1.1, as go-yaml v2 resolves it (so kubectl and Helm, through sigs.k8s.io/yaml), makes of
 * a plain scalar: {@code y} and {@code n} are booleans, {@code 0o12}, {@code 0X1F} and {@code 012}
 * integers as Go's {@code ParseInt} with base 0 reads them after dropping {@code _}, {@code 08} a float,
 * a number too large for Go's types ({@code 1e400}, {@code 0x1}{@code 0000000000000000}) or with
 * colons ({@code 190:20:30.15}) text; and a mapping key is typed like a value, then written back as
 * text ({@code on:} is sent as {@code "true"}).
 */
final class Yaml11 {
  private static final Set<String> TRUE = Set.of("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True",
      "TRUE");
  private static final Set<String> FALSE = Set.of("n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False",
      "FALSE");
  private static final Set<String> NULL = Set.of("", "~", "null", "Null", "NULL");
  private static final Set<String> NAN = Set.of(".nan", ".NaN", ".NAN");
  private static final Set<String> INFINITY = Set.of(".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF");
  private static final Set<String> MINUS_INFINITY = Set.of("-.inf", "-.Inf", "-.INF");
  /** Go's ParseInt and ParseUint with base 0: sign, then 0x, 0o, 0b, a leading 0 (octal) or decimal digits. */
  private static final Pattern GO_INT = Pattern.compile("([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)"
      + "|0([0-7]*)|([1-9][0-9]*))");
  /** go-yaml v2's yamlStyleFloat, which it parses with Go's ParseFloat. */
  private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  /** What Go's ParseFloat takes starting with '.': digits, '_' only between two of them. */
  private static final Pattern POINT_FLOAT = Pattern.compile("\\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?");
  /** The timestamps go-yaml v2 reads: a date, with a time and zone after T or t, or a time without zone after a space. */
  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
      + "(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})"
      + "| [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\\.[0-9]+)?)?");
  private static final BigInteger UINT64 = BigInteger.ONE.shiftLeft(64);
  /** The prefix of YAML's core tags: {@code !!int} is {@code tag:yaml.org,2002:int}. */
  static final String CORE = "tag:yaml.org,2002:";
  /** The length of the longest word of the sets above: a longer scalar is in none of them. */
  private static final int LONGEST_WORD = Stream.of(TRUE, FALSE, NULL, NAN, INFINITY, MINUS_INFINITY)
      .flatMap(Set::stream).mapToInt(String::length).max().orElseThrow();

  private Yaml11() {
  }

  /**
   * Why a double-quoted scalar that escapes a UTF-16 surrogate ({@code \\uD800} to {@code \\uDFFF}) is
   * refused: go-yaml reads each {@code \\u} escape as one code point and refuses a surrogate ("found
   * invalid Unicode character escape code"), alone or as one of two that JSON and SnakeYAML join into
   * one character ({@code "\\uD83D\\uDE00"}, an emoji to them). Single-quoted and plain scalars hold
   * no escapes, and {@code \\U0001F600} is one.
   */
  static final String SURROGATE_ESCAPE = "a \\u escape of a UTF-16 surrogate (\\uD800 to \\uDFFF), alone or as one"
      + " of a pair such as \\uD83D\\uDE00, which kubectl refuses (go-yaml: \"found invalid Unicode character escape"
      + " code\"): write the character itself, or its one \\U escape (\\U0001F600)";

  /**
   * The value kubectl sends for a scalar value: a plain one {@link #resolve resolved}, a quoted one
   * its text, a tagged one as go-yaml v2 reads the tag ({@code !!str yes} and {@code ! 1} are text,
   * {@code !!null ""} null, {@code !!binary} its decoded UTF-8 text).
   *
   * @throws IllegalArgumentException saying why kubectl would refuse it or send other than it says:
   *     infinity or not-a-number, a tag the text does not fit ({@code !!int yes}), {@code !!binary}
   *     that is no padded base64 of UTF-8 text (an escape of a UTF-16 surrogate is the parser's to
   *     find: {@link #SURROGATE_ESCAPE})
   */
  static JsonNode value(String text, String tag, boolean plain, JsonNodeFactory nodes) {
    JsonNode value;
    if (tag == null) {
      value = plain ? resolve(text, nodes) : null;
    } else if (tag.equals(CORE + "timestamp") && !TIMESTAMP.matcher(text).matches()) {
      throw new IllegalArgumentException("the tag !!timestamp does not fit '" + text + "', which kubectl refuses");
    } else if (!tag.startsWith(CORE) || tag.equals(CORE + "str") || tag.equals(CORE + "timestamp")) {
      value = null; // go-yaml keeps a timestamp, and the text under a tag of its own, as text
    } else if (tag.equals(CORE + "binary")) {
      return nodes.textNode(binary(text));
    } else {
      value = typed(tag.substring(CORE.length()), text, nodes);
    }
    if (value != null && value.isDouble() && !Double.isFinite(value.doubleValue())) {
      throw new IllegalArgumentException("'" + text + "' is YAML's float for infinity or not-a-number, which JSON"
          + " (and so the Kubernetes API) cannot hold: quote it if you mean text");
    }
    return value != null ? asGoWritesIt(value, nodes) : nodes.textNode(text);
  }

  /**
   * {@code value} as the number sigs.k8s.io/yaml hands kubectl: go-yaml's float64 written by Go's
   * encoding/json, in its shortest decimal, 'f' format below 1e21. From 2^53 on every double is whole
   * and its shortest decimal another integer than its exact binary value ({@code 000001000000010767e06}:
   * kubectl sends {@code 1000000010767000000}, the double's own value is 1000000010767000064), which
   * the API server reads as that integer: so such a float is that integer here too (Jackson's
   * shortest writer, {@link NumberOutput#toString(double, boolean)}, gives the digits). Other values
   * as they are: below 2^53 a whole double is its decimal.
   */
  private static JsonNode asGoWritesIt(JsonNode value, JsonNodeFactory nodes) {
    if (!value.isDouble()) {
      return value;
    }
    double magnitude = Math.abs(value.doubleValue());
    return magnitude < 0x1p53 || magnitude >= 1e21 ? value
        : nodes.numberNode(new BigDecimal(NumberOutput.toString(value.doubleValue(), true)).toBigIntegerExact());
  }

  /** {@code text} under the core tag {@code name} ({@code int}, {@code bool} ...), as go-yaml v2 reads it. */
  private static JsonNode typed(String name, String text, JsonNodeFactory nodes) {
    JsonNode value = resolve(text, nodes);
    boolean fits = switch (name) {
      case "bool" -> value != null && value.isBoolean();
      case "int" -> value != null && value.isIntegralNumber();
      case "float" -> value != null && value.isNumber();
      case "null" -> value != null && value.isNull();
      default -> true; // a collection's tag on a scalar, or !!merge: go-yaml keeps the text
    };
    if (!fits) {
      throw new IllegalArgumentException("the tag !!" + name + " does not fit '" + text + "', which kubectl refuses"
          + " (cannot decode it as a !!" + name + ")");
    }
    if (name.equals("float") && value.isIntegralNumber()) {
      return nodes.numberNode(value.doubleValue());
    }
    return switch (name) {
      case "bool", "int", "float", "null" -> value;
      default -> null;
    };
  }

  /** go-yaml v2's !!binary: padded base64, line breaks left out, read as the text of its bytes. */
  private static String binary(String text) {
    String base64 = text.replace("\n", "").replace("\r", "");
    byte[] bytes;
    try {
      bytes = base64.length() % 4 == 0 ? Base64.getDecoder().decode(base64) : null;
    } catch (IllegalArgumentException e) {
      bytes = null;
    }
    if (bytes == null) {
      throw new IllegalArgumentException("a !!binary value that is no padded base64, which kubectl refuses");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a !!binary value whose bytes are no UTF-8 text, which kubectl would send"
          + " changed (as U+FFFD): give a Secret's bytes as base64 text in its data, without the tag");
    }
  }

  /** The boolean YAML 1.1 reads in a plain scalar, or null when it reads none. */
  static Boolean bool(String plain) {
    if (plain.length() > LONGEST_WORD) { // most scalars: no set to hash them into
      return null;
    }
    return TRUE.contains(plain) ? Boolean.TRUE : FALSE.contains(plain) ? Boolean.FALSE : null;
  }

  /**
   * The value go-yaml v2 resolves a plain scalar to (null, a boolean, an integer, a float, which may
   * be infinite or not a number), or null when it is text.
   */
  static JsonNode resolve(String plain, JsonNodeFactory nodes) {
    if (plain.length() <= LONGEST_WORD) {
      JsonNode word = word(plain, nodes);
      if (word != null) {
        return word;
      }
    }
    char first = plain.charAt(0);
    if (first == '.') { // Go's ParseFloat on the text as written, which takes '_' between digits
      return POINT_FLOAT.matcher(plain).matches() ? finite(Double.parseDouble(plain.replace("_", "")), nodes) : null;
    }
    if (first != '+' && first != '-' && (first < '0' || first > '9')) {
      return null;
    }
    String digits = plain.replace("_", "");
    JsonNode integer = integer(digits, nodes);
    if (integer != null) {
      return integer;
    }
    return FLOAT.matcher(digits).matches() ? finite(Double.parseDouble(digits), nodes) : null;
  }

  /** A boolean, null, infinity or not-a-number word's value, or null when {@code plain} is none of them. */
  private static JsonNode word(String plain, JsonNodeFactory nodes) {
    Boolean bool = bool(plain);
    if (bool != null) {
      return nodes.booleanNode(bool);
    }
    if (NULL.contains(plain)) {
      return nodes.nullNode();
    }
    if (NAN.contains(plain) || INFINITY.contains(plain) || MINUS_INFINITY.contains(plain)) {
      return nodes.numberNode(NAN.contains(plain) ? Double.NaN
          : INFINITY.contains(plain) ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
    }
    return null;
  }

  /** Go's ParseInt, else ParseUint, with base 0: an int64, else a uint64, else null. */
  private static JsonNode integer(String digits, JsonNodeFactory nodes) {
    Matcher m = GO_INT.matcher(digits);
    if (!m.matches()) {
      return null;
    }
    int radix = m.group(2) != null ? 16 : m.group(3) != null ? 8 : m.group(4) != null ? 2 : m.group(5) != null ? 8 : 10;
    String body = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4)
        : m.group(5) != null ? (m.group(5).isEmpty() ? "0" : m.group(5)) : m.group(6);
    if (significant(body) > (radix == 2 ? 64 : radix == 8 ? 22 : radix == 16 ? 16 : 20)) {
      return null; // past uint64, which ParseInt and ParseUint refuse: no BigInteger of a million digits (quadratic)
    }
    BigInteger value = new BigInteger(body, radix);
    if (m.group(1).equals("-")) {
      value = value.negate();
    }
    if (value.bitLength() < 64) {
      long v = value.longValue();
      return v == (int) v ? nodes.numberNode((int) v) : nodes.numberNode(v);
    }
    return m.group(1).isEmpty() && value.signum() > 0 && value.compareTo(UINT64) < 0 ? nodes.numberNode(value) : null;
  }

  /** The digits of {@code body} after its leading zeros. */
  private static int significant(String body) {
    int zeros = 0;
    while (zeros < body.length() - 1 && body.charAt(zeros) == '0') {
      zeros++;
    }
    return body.length() - zeros;
  }

  /** Go's ParseFloat refuses a number out of float64's range, and go-yaml keeps such a scalar as text. */
  private static JsonNode finite(double value, JsonNodeFactory nodes) {
    return Double.isInfinite(value) ? null : nodes.numberNode(value);
  }

  /**
   * Why a plain mapping key means other text to a YAML 1.1 reader, or null when it means itself:
   * a boolean other than {@code true} and {@code false} (sent as one of them), null (which
   * sigs.k8s.io/yaml refuses as a key), a number Go writes back otherwise ({@code 0x1F} as
   * {@code 31}, {@code 1.10} as {@code 1.1}, {@code 1e3} as {@code 1000}: a float key is written as
   * a float32, {@code .Inf} as {@code .inf}), or too large for an int64 (refused as a key).
   */
  static String keyProblem(String key) {
    JsonNode value = resolve(key, JsonNodeFactory.instance);
    if (value == null || keptAsWritten(key, value)) {
      return null;
    }
    String quote = ": quote it ('" + key + "') to keep it as written";
    if (value.isBoolean()) {
      return "the plain key '" + key + "' is the boolean " + value + " in YAML 1.1, which kubectl reads, and would be"
          + " sent as \"" + value + "\"" + quote + ", or write " + value;
    }
    if (value.isNull()) {
      return "the plain key '" + key + "' is null in YAML 1.1, which kubectl reads and refuses as a key" + quote;
    }
    return "the plain key '" + key + "' is a number in YAML 1.1, which kubectl reads, and would be sent in Go's "
        + "number format (0x1F as \"31\", 1.10 as \"1.1\")" + quote;
  }

  /** True when sigs.k8s.io/yaml writes the plain key {@code key}, resolved to {@code value}, back as {@code key}. */
  private static boolean keptAsWritten(String key, JsonNode value) {
    if (value.isBoolean() || value.isInt() || value.isLong()) {
      return key.equals(value.asText());
    }
    if (!value.isDouble()) {
      return false; // null and uint64 keys are refused
    }
    double d = value.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return key.equals(Double.isNaN(d) ? ".nan" : d > 0 ? ".inf" : "-.inf");
    }
    return key.equals(goFloat32(d));
  }

  /** Go's {@code strconv.FormatFloat(d, 'g', -1, 32)}, as sigs.k8s.io/yaml writes a float key. */
  static String goFloat32(double d) {
    float f = (float) d;
    if (Float.isInfinite(f) || f == 0) {
      return Float.isInfinite(f) ? (f > 0 ? ".inf" : "-.inf") : (1 / f < 0 ? "-0" : "0");
    }
    BigDecimal exact = new BigDecimal(f);
    BigDecimal digits = exact;
    for (int precision = 1; precision <= 9; precision++) { // the shortest that reads back, nearest first
      digits = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (Float.parseFloat(digits.toString()) == f) {
        break;
      }
    }
    digits = digits.stripTrailingZeros();
    int exponent = digits.precision() - digits.scale() - 1;
    if (exponent >= -4 && exponent < 6) {
      return digits.toPlainString();
    }
    String mantissa = digits.unscaledValue().abs().toString();
    return (digits.signum() < 0 ? "-" : "") + mantissa.charAt(0) + (mantissa.length() > 1 ? "." + mantissa.substring(1) : "")
        + (exponent < 0 ? "e-" : "e+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
  }
}

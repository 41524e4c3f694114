package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The values of a built-in kind's maps of strings (labels, annotations, a ConfigMap's {@code data},
 * a Secret's {@code stringData}, a {@code nodeSelector}) and of bytes (a Secret's {@code data}), as
 * the API server decodes them into Go's {@code map[string]string} and {@code map[string][]byte}:
 *
 * <ul>
 *   <li>A {@code null} value (YAML {@code EXTRA:} with nothing after it) keeps its entry with the
 *       zero value: the server stores and returns {@code ""}. Planned as written, the {@code null}
 *       is dropped as absent and the entry the server keeps is drift on every plan, an update each
 *       run that changes nothing; so the desired object gets {@code ""} instead.
 *   <li>A number, boolean, mapping or list (an unquoted {@code prometheus.io/scrape: true}, a
 *       ConfigMap's {@code PORT: 8080}) is refused by the server ("cannot unmarshal number into Go
 *       struct field ... of type string"): a problem of the desired state, found before the first
 *       write instead of by the write of its wave.
 *   <li>Bytes are base64 with padding (line breaks ignored), as Go's decoder takes them; plain text
 *       under a Secret's {@code data} is a problem too.
 *   <li>Likewise for a declared field (or list element) of type string, integer or boolean (not
 *       int-or-string, not a quantity): an unquoted {@code env: [{name: PORT, value: 8080}]}, a
 *       quoted {@code replicas: "3"} or {@code hostNetwork: "true"} is a problem.
 *   <li>A mapping, list or scalar where the type has another shape ({@code labels: web},
 *       {@code args: --verbose}) is a problem; a {@code null} field of a built-in type (a
 *       {@code labels:} or {@code resources:} with nothing after it, as a Helm template leaves it) is
 *       dropped: Go decodes it as nil or the zero value.
 *   <li>A quantity Kubernetes cannot hold ({@code cpu: 1e999999999}) is a problem, with its value.
 *   <li>A whole number in an integer or int-or-string field is what its Go type holds: written
 *       {@code 3.0} or {@code 1e3} it becomes the integer kubectl sends; a fraction or a number out
 *       of range is a problem ({@link WholeNumbers}).
 * </ul>
 *
 * One walk of the desired object, beside its schema, does all of this.
 *
 * Problems never show the value (it may be a Secret's). Custom resources keep their nulls outside
 * {@code metadata} (which is ObjectMeta for every kind): their server drops a {@code null} field
 * (unless the schema says {@code nullable}), as the diff does.
 * Not public API.
 */
final class DecodedValues {
  private static final JsonNode EMPTY = JsonNodeFactory.instance.textNode("");

  private DecodedValues() {}

  /**
   * {@code tree} (a desired object) with each null value of a built-in map of strings or bytes
   * replaced by {@code ""} and each null field of a built-in struct dropped: a copy of the paths that
   * change (sharing the rest; {@code tree} is never changed), or {@code tree} itself when nothing
   * does. What the server would refuse is added to {@code problems}, each with the field's JSON
   * pointer and {@code path: what is wrong}.
   *
   * @param root the schema of {@code tree}, or null when nothing is known of it (a custom resource):
   *     then only its {@code metadata} is read, as ObjectMeta
   */
  static JsonNode checked(FieldSchema.Node root, JsonNode tree, List<Refusal> problems) {
    return checked(root, tree, problems, false);
  }

  /**
   * As {@link #checked(FieldSchema.Node, JsonNode, List)}; with {@code unknown}, a field that a
   * built-in struct of {@code root} does not declare is a problem too ({@link #UNKNOWN}): give it
   * only when {@code root} is the kind at the very {@code apiVersion} of {@code tree}. The
   * {@code metadata} of a custom resource ({@code root} null) is ObjectMeta's at any version, and
   * judged so with {@code unknown}.
   */
  static JsonNode checked(FieldSchema.Node root, JsonNode tree, List<Refusal> problems, boolean unknown) {
    if (root != null) {
      return walk(root, tree, null, new Walk(problems, unknown));
    }
    // a custom resource: the server decodes its metadata into ObjectMeta too
    JsonNode metadata = tree.get("metadata");
    FieldSchema.Node meta = ObjectMeta.NODE;
    if (!(tree instanceof ObjectNode object) || !(metadata instanceof ObjectNode) || meta == null) {
      return tree;
    }
    JsonNode now = walk(meta, metadata, FieldAt.field(null, "metadata"), new Walk(problems, unknown));
    if (now == metadata) {
      return tree;
    }
    ObjectNode copy = JsonNodeFactory.instance.objectNode().setAll(object);
    copy.set("metadata", now);
    return copy;
  }

  /** The schema of every object's {@code metadata}, from the built-in table (a ConfigMap's). */
  private static final class ObjectMeta {
    static final FieldSchema.Node NODE = node();

    private static FieldSchema.Node node() {
      FieldSchema.Node configMap = KubernetesSchema.builtin()
          .root(ResourceId.of("ConfigMap", "default", "any"), null, null, null);
      return configMap == null ? null : configMap.field("metadata");
    }
  }

  /**
   * One value the server would refuse.
   *
   * @param pointer the field's JSON pointer in the object ({@code /spec/replicas})
   * @param message {@code spec.replicas: what is wrong}, never the value
   */
  record Refusal(String pointer, String message) {
    /** How a message of what the API server refuses ends. */
    static final String SERVER = ": the API server refuses the object";

    /** {@code what} (a message naming its field) as what the API server refuses, at the line of {@code pointer}. */
    static Refusal server(String pointer, String what) {
      return new Refusal(pointer, what + SERVER);
    }

    /** {@code what} of the field at {@code pointer}, which the message names dotted, as what the API server refuses. */
    static Refusal serverAt(String pointer, String what) {
      return server(pointer, Pointers.dotted(pointer) + ": " + what);
    }
  }

  private static void refuse(List<Refusal> problems, FieldAt at, String what) {
    problems.add(new Refusal(at.pointer(), at.dotted() + ": " + what));
  }

  /** What one walk reports to: its {@code problems}, and whether undeclared fields are among them. */
  private record Walk(List<Refusal> problems, boolean unknown) {}

  /**
   * An undeclared field of a built-in kind's struct (a typo, {@code imagePullPolice}, or a line
   * indented under the wrong parent): kubectl and Helm refuse it by the API's schema; the API
   * server, without strict field validation (what this library writes with), drops it, so the
   * object on the cluster lacks what Git says and every plan shows it again.
   */
  static final String UNKNOWN = "no such field here in the Kubernetes " + KubernetesSchema.TABLE_VERSION
      + " API (a typo, or a line under the wrong parent?): kubectl refuses it, and the API server drops it";

  private static JsonNode walk(FieldSchema.Node schema, JsonNode node, FieldAt path, Walk walk) {
    List<Refusal> problems = walk.problems();
    if (node instanceof ObjectNode object) {
      SchemaType.Scalar values = values(schema);
      ObjectNode copy = null;
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        JsonNode value = e.getValue();
        JsonNode now = value;
        if (values != null) {
          now = value.isNull() ? EMPTY : value;
          String problem = value.isNull() ? null : problem(value, values);
          if (problem != null) {
            refuse(problems, FieldAt.field(path, e.getKey()), problem);
          }
        } else if (value.isNull()) {
          now = builtinStruct(schema) ? null : value; // Go decodes it as nil or zero: absent
        } else {
          FieldSchema.Node child = schema.field(e.getKey());
          String problem = child == null && walk.unknown() && builtinStruct(schema)
              && !(path == null && e.getKey().equals("status")) // a kind's status: kept out of the table, ignored by the server
              ? UNKNOWN : refused(child, value);
          if (problem != null) {
            refuse(problems, FieldAt.field(path, e.getKey()), problem);
          } else if (child != null && value.isContainerNode()) {
            now = walk(child, value, FieldAt.field(path, e.getKey()), walk);
          } else {
            now = whole(child, value);
          }
        }
        if (now != value) {
          copy = copy != null ? copy : JsonNodeFactory.instance.objectNode().setAll(object);
          if (now == null) {
            copy.remove(e.getKey());
          } else {
            copy.set(e.getKey(), now);
          }
        }
      }
      return copy != null ? copy : object;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = null;
      for (int i = 0; i < array.size(); i++) {
        JsonNode value = array.get(i);
        FieldSchema.Node child = value.isNull() ? null : schema.element(value);
        String problem = refused(child, value);
        if (problem != null) {
          refuse(problems, FieldAt.element(path, i), problem);
        }
        JsonNode now = problem != null ? value : child != null && value.isContainerNode()
            ? walk(child, value, FieldAt.element(path, i), walk) : whole(child, value);
        if (now != value) {
          copy = copy != null ? copy : JsonNodeFactory.instance.arrayNode(array.size()).addAll(array);
          copy.set(i, now);
        }
      }
      return copy != null ? copy : array;
    }
    return node;
  }

  /** What the server would refuse in {@code value} (not null) as {@code child} (or null), else null. */
  private static String refused(FieldSchema.Node child, JsonNode value) {
    return child == null ? null : value.isContainerNode() ? shape(child, value) : scalar(child, value);
  }

  /**
   * What the server would refuse in the scalar {@code value} of a built-in kind's field (or list
   * element) {@code field}: a number or boolean where Go has a string, text where it has a number
   * or a boolean (int-or-string fields and quantities take both), a quantity out of range
   * ({@link Quantities#rangeProblem}), text that is no time where Go has a {@code metav1.Time} or
   * {@code MicroTime} ({@link Times#problem}); null when nothing.
   */
  private static String scalar(FieldSchema.Node field, JsonNode value) {
    if (!(field instanceof SchemaField f)) {
      return null;
    }
    if (f.builtin && f.type().shape != SchemaType.Shape.SCALAR && f.type().shape != SchemaType.Shape.ANY) {
      return (value.isTextual() ? "text" : value.isNumber() ? "a number" : "a boolean")
          + " where the API server takes "
          + (f.type().shape == SchemaType.Shape.LIST ? "a list" : "a mapping");
    }
    if (f.type().shape != SchemaType.Shape.SCALAR) {
      return null;
    }
    if (f.type().scalar == SchemaType.Scalar.QUANTITY) {
      return Quantities.rangeProblem(value);
    }
    if (!f.builtin) {
      return null;
    }
    return switch (f.type().scalar) {
      case STRING -> value.isNumber() || value.isBoolean() ? problem(value, SchemaType.Scalar.STRING) : null;
      case INTEGER -> value.isTextual() ? "text where the API server takes a number: unquote it"
          : WholeNumbers.problem(value, f.type().max);
      case INT_OR_STRING -> WholeNumbers.problem(value, f.type().max);
      case NUMBER -> value.isTextual() ? "text where the API server takes a number: unquote it" : null;
      case BOOLEAN -> value.isTextual() ? "text where the API server takes true or false: unquote it" : null;
      case TIME, MICRO_TIME -> value.isTextual()
          ? Times.problem(value.textValue(), f.type().scalar == SchemaType.Scalar.MICRO_TIME)
          : problem(value, SchemaType.Scalar.STRING);
      default -> null;
    };
  }

  /**
   * {@code value} of {@code child} as the server gets it from kubectl: a whole number written with
   * a fraction or an exponent ({@code replicas: 3.0}, {@code 1e3}) in a built-in kind's integer or
   * int-or-string field as the integer Go's YAML reading writes ({@code 3}, which the server takes,
   * where {@code 3.0} is refused); else {@code value} itself.
   */
  private static JsonNode whole(FieldSchema.Node child, JsonNode value) {
    return child instanceof SchemaField f && f.builtin && f.type().max > 0 ? WholeNumbers.integral(value) : value;
  }

  private static boolean builtinStruct(FieldSchema.Node schema) {
    return schema instanceof SchemaField f && f.builtin && f.type().shape == SchemaType.Shape.STRUCT;
  }

  /**
   * What the server would refuse in {@code value}, a mapping or a list, as a built-in kind's
   * {@code field}: a mapping where it takes a list or a scalar, a list where it takes a mapping or
   * a scalar; null when nothing.
   */
  private static String shape(FieldSchema.Node field, JsonNode value) {
    if (!(field instanceof SchemaField f) || !f.builtin) {
      return null;
    }
    String what = value.isObject() ? "a mapping" : "a list";
    return switch (f.type().shape) {
      case SCALAR -> what + " where the API server takes " + scalarName(f.type().scalar);
      case LIST -> value.isObject() ? what + " where the API server takes a list" : null;
      case MAP, STRUCT -> value.isArray() ? what + " where the API server takes a mapping" : null;
      case ANY -> null;
    };
  }

  private static String scalarName(SchemaType.Scalar scalar) {
    return switch (scalar) {
      case INTEGER, NUMBER -> "a number";
      case BOOLEAN -> "true or false";
      case QUANTITY -> "a quantity";
      case INT_OR_STRING -> "a number or a string";
      default -> "a string";
    };
  }

  /** STRING or BYTES for a built-in kind's map of those, else null. */
  private static SchemaType.Scalar values(FieldSchema.Node schema) {
    if (!(schema instanceof SchemaField f) || f.type().shape != SchemaType.Shape.MAP) {
      return null;
    }
    SchemaField value = f.type().element;
    if (value == null || !value.builtin || value.type().shape != SchemaType.Shape.SCALAR) {
      return null;
    }
    SchemaType.Scalar scalar = value.type().scalar;
    return scalar == SchemaType.Scalar.STRING || scalar == SchemaType.Scalar.BYTES ? scalar : null;
  }

  /** What the server would refuse in {@code value} (not null), never showing it; null when nothing. */
  private static String problem(JsonNode value, SchemaType.Scalar scalar) {
    if (!value.isTextual()) {
      String what = value.isNumber() ? "a number" : value.isBoolean() ? "a boolean"
          : value.isObject() ? "a mapping" : value.isArray() ? "a list" : "not text";
      return what + " where the API server takes " + (scalar == SchemaType.Scalar.BYTES
          ? "base64 text" : "a string") + (value.isValueNode() ? ": quote it" : "");
    }
    if (scalar == SchemaType.Scalar.BYTES && !base64(value.textValue())) {
      return "not base64 (padded), as the API server takes bytes here; plain text goes under stringData";
    }
    return null;
  }

  /** True for what Go's {@code base64.StdEncoding} decodes: padded, line breaks ignored. */
  private static boolean base64(String text) {
    return bytes(text) != null;
  }

  /** The bytes of {@code text} as Go's {@code base64.StdEncoding} decodes it (padded, line breaks ignored), or null. */
  static byte[] bytes(String text) {
    String s = text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text
        : text.replace("\n", "").replace("\r", "");
    if (s.length() % 4 != 0) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * True when both are base64 text of the same bytes, as Go's {@code base64.StdEncoding} decodes
   * them (line breaks ignored); custom resources keep the text as applied, so only built-in kinds.
   */
  static boolean sameBytes(JsonNode a, JsonNode d) {
    if (!a.isTextual() || !d.isTextual()) {
      return false;
    }
    byte[] actual = bytes(a.textValue());
    return actual != null && java.util.Arrays.equals(actual, bytes(d.textValue()));
  }
}

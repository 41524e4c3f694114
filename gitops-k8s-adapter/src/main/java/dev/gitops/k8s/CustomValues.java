package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the API server refuses, and what it prunes, of a custom resource written at one version of
 * its CRD, judged by that version's {@code openAPIV3Schema} before anything is written. The server
 * prunes unknown fields and nulls and applies defaults (apiextensions-apiserver
 * {@code pkg/apiserver/schema/pruning}, {@code defaulting}, {@code objectmeta}), then validates with
 * kube-openapi's validator ({@code pkg/apiserver/validation}); under server-side apply its field
 * manager first types the applied object by the same schema (kube-openapi {@code schemaconv},
 * structured-merge-diff), which refuses a field the schema does not declare, whatever the
 * {@code fieldValidation}, except below {@code x-kubernetes-preserve-unknown-fields} and in an
 * object that declares no properties (typed as anything there, then pruned).
 *
 * <p>Refused: a value of another {@code type} ({@code "8080"} where an integer goes; a whole number
 * written {@code 8080.0} is an integer, as the server decodes it; int-or-string takes an integer or
 * text), a value outside {@code enum}, below {@code minimum} or above {@code maximum} (or at them,
 * {@code exclusive*}), text shorter than {@code minLength} or longer than {@code maxLength} (in
 * characters, as Go counts runes), text {@code pattern} does not find ({@link GoPatterns}), a list
 * shorter than {@code minItems} or longer than {@code maxItems}, a {@code required} field left out
 * (or a null the server prunes) without a {@code default}; under server-side apply, a field the
 * schema does not declare. Pruned (a warning, no refusal): such a field otherwise, and all an object
 * without properties holds; an embedded resource's {@code metadata} key that {@code ObjectMeta}
 * lacks is either, like an undeclared field.
 *
 * <p>Never refused, so as never to refuse what the server takes: nulls (pruned, defaulted, kept
 * where {@code nullable}: the server's to judge), {@code format} (the server checks a list of formats
 * that grows with its release, by Go parsers; {@code int32} and the like it does not check), a value
 * the live object holds alike at the same place (the server ratchets an unchanged value: {@code
 * validation/ratcheting.go}), a required field or a list's length where the live object may supply
 * what the write leaves out (a merge of granular lists, a field another manager set),
 * {@code multipleOf}, {@code *Properties}, {@code allOf}/{@code anyOf}/{@code oneOf}/{@code not}, CEL
 * rules, {@code status}, and the object's own {@code metadata} ({@link MetadataRules} and the loader's).
 * No value is ever named in a finding, only where it is. Pure; not thread-safe (one check's).
 */
final class CustomValues {
  /** What the server does with the value at {@code field}: refuses the object, or prunes the field. */
  record Finding(String field, String message, boolean refused) {}

  private static final Set<String> ROOT_KEPT = Set.of("apiVersion", "kind", "metadata", "status");
  private static final String REFUSED = ": the API server refuses the object";

  private final boolean serverSide;
  private final List<Finding> found = new ArrayList<>();

  private CustomValues(boolean serverSide) {
    this.serverSide = serverSide;
  }

  /**
   * The findings of {@code object} under {@code schema} (a CRD version's {@code openAPIV3Schema}),
   * beside {@code live} (the object as the cluster has it, or null), for a write server-side
   * ({@code serverSide}) or by create and JSON Patch.
   */
  static List<Finding> check(JsonNode schema, JsonNode object, JsonNode live, boolean serverSide) {
    CustomValues c = new CustomValues(serverSide);
    if (schema != null && schema.isObject() && object instanceof ObjectNode o) {
      c.fields(schema, o, live, null, schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false), true);
    }
    return c.found;
  }

  private void node(JsonNode s, JsonNode v, JsonNode live, FieldAt at, boolean lenient) {
    if (v == null || v.isNull() || s == null || !s.isObject() || v.equals(live)) {
      return; // a null is the server's to prune, default or keep; an unchanged value is ratcheted
    }
    if (!typed(s, v, at)) {
      return;
    }
    enumerated(s, v, at);
    if (v.isNumber()) {
      bounds(s, v, at);
    } else if (v.isTextual()) {
      text(s, v.textValue(), at);
    } else if (v instanceof ArrayNode list) {
      list(s, list, live, at, lenient);
    } else if (v instanceof ObjectNode o) {
      fields(s, o, live, at, lenient || s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false), false);
    }
  }

  private boolean typed(JsonNode s, JsonNode v, FieldAt at) {
    if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (v.isTextual() || whole(v)) {
        return true;
      }
      refuse(at, "is " + shape(v) + ", where its CRD's schema takes an integer or text (x-kubernetes-int-or-string)");
      return false;
    }
    String type = s.path("type").asText("");
    boolean ok = switch (type) {
      case "string" -> v.isTextual();
      case "integer" -> whole(v);
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      default -> true; // no type (x-kubernetes-preserve-unknown-fields): anything
    };
    if (!ok) {
      refuse(at, "is " + shape(v) + ", where its CRD's schema says " + type);
    }
    return ok;
  }

  /** True for a number without a fraction (Go's JSON decoding in the server makes {@code 3.0} the integer 3). */
  private static boolean whole(JsonNode v) {
    return v.isIntegralNumber() || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0;
  }

  private static String shape(JsonNode v) {
    return v.isTextual() ? "text" : v.isBoolean() ? "a boolean" : v.isObject() ? "a mapping" : v.isArray() ? "a list"
        : whole(v) ? "an integer" : "a number with a fraction";
  }

  /**
   * {@code enum}, compared as the server's validator compares (Go's {@code reflect} converts the value
   * to each allowed value's type): text to text, a boolean to booleans, a number to numbers; a number
   * beside allowed text (which Go would convert to a character) is not judged.
   */
  private void enumerated(JsonNode s, JsonNode v, FieldAt at) {
    if (!(s.get("enum") instanceof ArrayNode allowed) || allowed.isEmpty() || !v.isValueNode()) {
      return;
    }
    for (JsonNode a : allowed) {
      if (v.isNumber() && a.isTextual()) {
        return;
      }
      if (v.isNumber() && a.isNumber() && (v.doubleValue() == a.doubleValue()
          || v.decimalValue().compareTo(a.decimalValue()) == 0) || !v.isNumber() && v.equals(a)) {
        return;
      }
    }
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < allowed.size() && i < 12; i++) {
      values.append(i == 0 ? "" : ", ").append(allowed.get(i).isTextual() ? allowed.get(i).textValue() : allowed.get(i));
    }
    refuse(at, "is none of the values its CRD's schema allows (" + values + (allowed.size() > 12 ? ", ..." : "") + ")");
  }

  private void bounds(JsonNode s, JsonNode v, FieldAt at) {
    JsonNode min = s.get("minimum");
    JsonNode max = s.get("maximum");
    if (min != null && min.isNumber()) {
      boolean exclusive = s.path("exclusiveMinimum").asBoolean(false);
      if (beyond(min, v, exclusive)) {
        refuse(at, "is " + (exclusive ? "not above the exclusive minimum " : "below the minimum ") + min.asText()
            + " its CRD's schema sets");
      }
    }
    if (max != null && max.isNumber()) {
      boolean exclusive = s.path("exclusiveMaximum").asBoolean(false);
      if (beyond(v, max, exclusive)) {
        refuse(at, "is " + (exclusive ? "not below the exclusive maximum " : "above the maximum ") + max.asText()
            + " its CRD's schema sets");
      }
    }
  }

  /** True when {@code low} is above {@code high} (or equal, {@code exclusive}) both exactly and as Go's float64s compare. */
  private static boolean beyond(JsonNode low, JsonNode high, boolean exclusive) {
    int exact = low.decimalValue().compareTo(high.decimalValue());
    int go = Double.compare(low.doubleValue(), high.doubleValue());
    return exclusive ? exact >= 0 && go >= 0 : exact > 0 && go > 0;
  }

  private void text(JsonNode s, String text, FieldAt at) {
    int length = text.codePointCount(0, text.length());
    if (s.path("minLength").isIntegralNumber() && length < s.get("minLength").asLong()) {
      refuse(at, "is " + length + " characters long, shorter than the minLength " + s.get("minLength").asText()
          + " its CRD's schema sets");
    }
    if (s.path("maxLength").isIntegralNumber() && length > s.get("maxLength").asLong()) {
      refuse(at, "is " + length + " characters long, longer than the maxLength " + s.get("maxLength").asText()
          + " its CRD's schema sets");
    }
    if (s.path("pattern").isTextual() && Boolean.FALSE.equals(GoPatterns.finds(s.get("pattern").textValue(), text))) {
      refuse(at, "does not match the pattern " + s.get("pattern").textValue() + " its CRD's schema sets");
    }
  }

  private void list(JsonNode s, ArrayNode v, JsonNode live, FieldAt at, boolean lenient) {
    String listType = s.path("x-kubernetes-list-type").asText("");
    if (s.path("maxItems").isIntegralNumber() && v.size() > s.get("maxItems").asLong()) {
      refuse(at, "has " + v.size() + " items, more than the maxItems " + s.get("maxItems").asText()
          + " its CRD's schema sets");
    }
    boolean merged = live instanceof ArrayNode && (listType.equals("map") || listType.equals("set"));
    if (s.path("minItems").isIntegralNumber() && v.size() < s.get("minItems").asLong() && !merged) {
      refuse(at, "has " + v.size() + " items, fewer than the minItems " + s.get("minItems").asText()
          + " its CRD's schema sets");
    }
    for (int i = 0; i < v.size(); i++) {
      node(s.get("items"), v.get(i), correlated(s, listType, live, v.get(i), i), FieldAt.element(at, i), lenient);
    }
  }

  /**
   * The live element the server's ratcheting pairs with element {@code i}: by key in a map list, by
   * index in a list without a list type, none in a set or an atomic list.
   */
  private static JsonNode correlated(JsonNode s, String listType, JsonNode live, JsonNode element, int i) {
    if (!(live instanceof ArrayNode old) || listType.equals("set") || listType.equals("atomic")) {
      return null;
    }
    if (!listType.equals("map")) {
      return i < old.size() ? old.get(i) : null;
    }
    for (JsonNode o : old) {
      boolean same = true;
      for (JsonNode key : s.path("x-kubernetes-list-map-keys")) {
        same &= Objects.equals(o.get(key.asText()), element.get(key.asText()));
      }
      if (same) {
        return o;
      }
    }
    return null;
  }

  /** An object's fields; {@code root}: the resource's own, whose type and object metadata are kept. */
  private void fields(JsonNode s, ObjectNode v, JsonNode live, FieldAt at, boolean lenient, boolean root) {
    JsonNode properties = s.get("properties");
    boolean declares = properties instanceof ObjectNode p && !p.isEmpty();
    boolean embedded = root || s.path("x-kubernetes-embedded-resource").asBoolean(false);
    boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    JsonNode additional = s.get("additionalProperties");
    required(s, v, live, at, root);
    for (Map.Entry<String, JsonNode> f : v.properties()) {
      String name = f.getKey();
      FieldAt here = FieldAt.field(at, name);
      JsonNode was = live == null ? null : live.get(name);
      JsonNode declared = declares ? properties.get(name) : null;
      if (root && ROOT_KEPT.contains(name)) {
        continue; // the type and object metadata: judged elsewhere; status: the server's own
      } else if (embedded && name.equals("metadata")) {
        objectMeta(f.getValue(), was, here);
      } else if (declared != null) {
        node(declared, f.getValue(), was, here, lenient);
      } else if (embedded && (name.equals("apiVersion") || name.equals("kind"))) {
        continue; // kept, never pruned
      } else if (additional != null && additional.isObject()) {
        node(additional, f.getValue(), was, here, lenient);
      } else if (!preserve && additional == null) {
        undeclared(here, f.getValue(), was, lenient || !declares && !embedded);
      }
    }
  }

  /**
   * {@code required} fields: one left out, or null where the server prunes the null, with no
   * {@code default}, is refused unless the live object has it (the merge of the write may keep it).
   */
  private void required(JsonNode s, ObjectNode v, JsonNode live, FieldAt at, boolean root) {
    for (JsonNode r : s.path("required")) {
      String name = r.asText();
      JsonNode p = s.path("properties").path(name);
      JsonNode have = v.get(name);
      boolean pruned = have != null && have.isNull() && !p.path("nullable").asBoolean(false);
      if ((have == null || pruned) && !p.has("default") && (live == null || !live.has(name))
          && !(root && ROOT_KEPT.contains(name))) {
        refuse(FieldAt.field(at, name), (have == null ? "is left out" : "is null") + ", and its CRD's schema requires it");
      }
    }
  }

  /** An embedded resource's {@code metadata}: decoded into Go's {@code ObjectMeta}, which drops a key it lacks. */
  private void objectMeta(JsonNode v, JsonNode live, FieldAt at) {
    SchemaField meta = BuiltinSchemas.objectMeta();
    if (!(v instanceof ObjectNode o) || meta == null) {
      return;
    }
    for (Map.Entry<String, JsonNode> f : o.properties()) {
      if (!meta.type().fields.containsKey(f.getKey())) {
        undeclared(FieldAt.field(at, f.getKey()), f.getValue(), live == null ? null : live.get(f.getKey()), false);
      }
    }
  }

  /**
   * A field its schema does not declare: refused by server-side apply where the field manager types
   * it strictly ({@code lenient} false), else pruned; not judged where the live object has it.
   */
  private void undeclared(FieldAt at, JsonNode v, JsonNode live, boolean lenient) {
    if (live != null) {
      return;
    }
    if (serverSide && !lenient && !v.isNull()) {
      refuse(at, "is not declared by its CRD's schema, and a server-side apply of a field its schema does not"
          + " declare is refused (\"field not declared in schema\"), whatever the fieldValidation; remove it, or"
          + " declare it in the CRD");
    } else {
      found.add(new Finding(at.dotted(), "the API server drops this field: its CRD's schema does not declare it"
          + " (nor x-kubernetes-preserve-unknown-fields there), so the stored object never has it", false));
    }
  }

  private void refuse(FieldAt at, String what) {
    found.add(new Finding(at.dotted(), what + REFUSED, true));
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema.ListMatch;
import dev.gitops.k8s.SchemaField.Role;
import dev.gitops.k8s.SchemaType.Scalar;
import dev.gitops.k8s.SchemaType.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles OpenAPI v3 schemas into {@link SchemaType}s: the {@code components.schemas} of the
 * Kubernetes documents ({@code /openapi/v3/<group-version>}, or the table generated from them),
 * and the inline {@code openAPIV3Schema} of a CustomResourceDefinition. It reads:
 *
 * <ul>
 *   <li>shapes: {@code properties} (a struct), {@code additionalProperties} (a map), {@code items}
 *       (a list), {@code type} and {@code format} (scalars; {@code byte}, {@code int-or-string}),
 *       {@code $ref} or a single-element {@code allOf} of one;
 *   <li>atomic maps and structs: {@code x-kubernetes-map-type} of a type, or of a field beside its
 *       {@code $ref} (which wins);
 *   <li>lists: {@code x-kubernetes-list-type} ({@code map} with {@code x-kubernetes-list-map-keys},
 *       {@code set}, {@code atomic}), else {@code x-kubernetes-patch-merge-key}, else in a CRD
 *       atomic (as server-side apply merges it); a key field's {@code default} is the key's default;
 *   <li>a time: the named types of Go's {@code metav1.Time} and {@code metav1.MicroTime}, for
 *       built-in kinds ({@link Times}; a CRD's {@code format: date-time} string is kept as written);
 *   <li>a quantity: a type that is one of a string or a number (how
 *       {@code io.k8s.apimachinery.pkg.api.resource.Quantity} is written), or in a CRD an
 *       {@code x-kubernetes-int-or-string} field whose {@code pattern} is the quantity pattern;
 *       int-or-string: {@code format: int-or-string} or {@code x-kubernetes-int-or-string};
 *   <li>fields: {@code required}, and {@code default} (a zero default marks a Go field without
 *       {@code omitempty}, {@code default: {}} a struct that is not a pointer: the OpenAPI
 *       generator writes both for such fields, and nothing for pointers and {@code omitempty});
 *   <li>for built-in kinds, what the server's defaulting does that the OpenAPI does not say, by
 *       the named type holding the field ({@link Defaulting}): a zero it replaces, the value it
 *       sets when a write leaves a field out, a resource list's milli precision;
 *   <li>for a CRD, what its structural schema makes the server do ({@link CustomStorage}):
 *       {@code nullable} of a field, list element or map value; a {@code default} anywhere, stored
 *       with the defaults below it filled in; an {@code x-kubernetes-embedded-resource} object, a
 *       struct with {@code apiVersion}, {@code kind} and the built-in {@code ObjectMeta} as its
 *       {@code metadata}; unknown fields pruned unless {@code x-kubernetes-preserve-unknown-fields}.
 * </ul>
 *
 * Anything else (a built-in object with neither properties nor additional properties, a schema it
 * cannot read) compiles to {@link SchemaType#ANY}: nothing is known below; a CRD's such object is a
 * closed struct with no field, whose content the server prunes. Named types compile once; not
 * thread-safe (compile, then share the results). Not public API.
 */
final class SchemaCompiler {
  private static final String REF = "#/components/schemas/";
  /** How controller-gen writes a {@code resource.Quantity} field of a CRD. */
  private static final String QUANTITY_PATTERN = "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))";
  /** The named types of Go's {@code metav1.Time} and {@code metav1.MicroTime} ({@code format: date-time}). */
  private static final String TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
  private static final String MICRO_TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";

  private final Function<String, JsonNode> schemas;
  private final boolean builtin;
  private final Map<String, SchemaType> named = new HashMap<>();

  /**
   * A compiler.
   *
   * @param schemas the schema of a named type ({@code io.k8s.api.core.v1.PodSpec}), or null
   * @param builtin true for built-in kinds (Go types stored as protobuf: zero values dropped)
   */
  public SchemaCompiler(Function<String, JsonNode> schemas, boolean builtin) {
    this.schemas = schemas;
    this.builtin = builtin;
  }

  /** The root of an object of the named type. */
  public SchemaField root(String typeName) {
    return place(new SchemaField(named(typeName), Role.ROOT, builtin, false, false, null, null), null);
  }

  /** The root of an object of an inline schema (a CRD version's {@code openAPIV3Schema}). */
  public SchemaField inlineRoot(JsonNode schema) {
    return place(new SchemaField(type(schema), Role.ROOT, builtin, false, false, null, null), schema);
  }

  private SchemaType named(String name) {
    SchemaType t = named.get(name);
    if (t != null) {
      return t;
    }
    JsonNode s = schemas.apply(name);
    if (s == null || !s.isObject()) {
      return SchemaType.ANY;
    }
    t = builtin && (name.equals(TIME) || name.equals(MICRO_TIME))
        ? SchemaType.scalar(name.equals(TIME) ? Scalar.TIME : Scalar.MICRO_TIME) : shell(s, builtin);
    named.put(name, t);
    fill(t, s, name);
    return t;
  }

  private SchemaType type(JsonNode s) {
    String ref = ref(s);
    if (ref != null) {
      return named(ref);
    }
    if (s == null || !s.isObject()) {
      return SchemaType.ANY;
    }
    SchemaType t = shell(s, builtin);
    fill(t, s, null);
    return t;
  }

  /** The named type a schema refers to ({@code $ref}, or {@code allOf} of one {@code $ref}), else null. */
  static String ref(JsonNode s) {
    if (s == null) {
      return null;
    }
    JsonNode ref = s.get("$ref");
    if (ref == null && s.get("allOf") instanceof com.fasterxml.jackson.databind.node.ArrayNode all
        && all.size() == 1) {
      ref = all.get(0).get("$ref");
    }
    if (ref == null || !ref.isTextual()) {
      return null;
    }
    String text = ref.textValue();
    return text.startsWith(REF) ? text.substring(REF.length()) : text;
  }

  /**
   * A type of the right shape, fields not filled yet. In a CRD ({@code builtin} false) an object with
   * neither properties nor additional properties nor {@code x-kubernetes-preserve-unknown-fields} is
   * a closed struct with no field: the server prunes all it holds (apiextensions' pruning deletes
   * every key a schema does not declare), as controller-gen writes an embedded {@code ObjectMeta}
   * (kubernetes#103739); of the built-in documents it stays {@link SchemaType#ANY}.
   */
  private static SchemaType shell(JsonNode s, boolean builtin) {
    String format = s.path("format").asText("");
    boolean intOrString = "int-or-string".equals(format)
        || s.path("x-kubernetes-int-or-string").asBoolean(false);
    if (intOrString) {
      return SchemaType.scalar(s.path("pattern").asText("").startsWith(QUANTITY_PATTERN)
          ? Scalar.QUANTITY : Scalar.INT_OR_STRING);
    }
    if (oneOfStringOrNumber(s)) {
      return SchemaType.scalar(Scalar.QUANTITY);
    }
    String type = s.path("type").asText("");
    switch (type) {
      case "array":
        return new SchemaType(Shape.LIST, Scalar.NONE);
      case "string":
        return SchemaType.scalar("byte".equals(format) ? Scalar.BYTES : Scalar.STRING);
      case "integer":
        return SchemaType.integer(format);
      case "number":
        return SchemaType.scalar(Scalar.NUMBER);
      case "boolean":
        return SchemaType.scalar(Scalar.BOOLEAN);
      case "object":
      case "":
        if (s.get("properties") instanceof com.fasterxml.jackson.databind.node.ObjectNode p && !p.isEmpty()
            || embedded(s)) {
          SchemaType struct = new SchemaType(Shape.STRUCT, Scalar.NONE);
          struct.closed = !s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
          return struct;
        }
        JsonNode additional = s.get("additionalProperties");
        if (additional != null && (additional.isObject() || additional.asBoolean(false))) {
          return new SchemaType(Shape.MAP, Scalar.NONE);
        }
        if (!builtin && type.equals("object") && !s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
          SchemaType empty = new SchemaType(Shape.STRUCT, Scalar.NONE);
          empty.closed = true;
          return empty;
        }
        return SchemaType.ANY;
      default:
        return SchemaType.ANY;
    }
  }

  private static boolean oneOfStringOrNumber(JsonNode s) {
    JsonNode oneOf = s.get("oneOf");
    if (oneOf == null || !oneOf.isArray() || oneOf.size() != 2) {
      return false;
    }
    Set<String> types = new HashSet<>();
    oneOf.forEach(o -> types.add(o.path("type").asText("")));
    return types.equals(Set.of("string", "number"));
  }

  /** Fills a type's fields, element or values; {@code name} is a named type's name, else null. */
  private void fill(SchemaType t, JsonNode s, String name) {
    switch (t.shape) {
      case STRUCT -> {
        t.atomic = "atomic".equals(s.path("x-kubernetes-map-type").asText(""));
        Set<String> required = new HashSet<>();
        s.path("required").forEach(r -> required.add(r.asText()));
        List<String> inOrder = new ArrayList<>();
        s.path("required").forEach(r -> inOrder.add(r.asText()));
        t.required = inOrder.stream().distinct().toList();
        for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
          t.fields.put(p.getKey().intern(), property(name, p.getKey(), p.getValue(),
              required.contains(p.getKey())));
        }
        if (embedded(s)) {
          embeddedResource(t);
        }
      }
      case MAP -> {
        t.atomic = "atomic".equals(s.path("x-kubernetes-map-type").asText(""));
        JsonNode additional = s.get("additionalProperties");
        SchemaType values = additional.isObject() ? type(additional) : SchemaType.ANY;
        t.element = place(new SchemaField(values, Role.MAP_VALUE, builtin, false, false, null,
            customDefault(additional, values)), additional);
      }
      case LIST -> {
        SchemaType items = type(s.get("items"));
        t.match = match(s, items);
        t.element = place(new SchemaField(items, Role.ELEMENT, builtin, false, false,
            t.match == null ? null : t.match.kind(), customDefault(s.get("items"), items)), s.get("items"));
      }
      default -> { }
    }
  }

  /**
   * Field {@code field} of the type named {@code owner} (null for an inline one), with what the
   * server's defaulting does there ({@link Defaulting}): the value it puts in place of a zero, and
   * the milli precision of the values of a resource list (an inline map of quantities).
   */
  private SchemaField property(String owner, String field, JsonNode p, boolean required) {
    SchemaType t = type(p);
    JsonNode dflt = p.get("default");
    boolean present = t.shape == Shape.STRUCT && dflt != null && dflt.isObject() && dflt.isEmpty();
    boolean kept = required
        || (dflt != null && zeroOf(t, dflt) && !(builtin && Defaulting.dropsDeclaredZero(owner, field)));
    JsonNode prose = builtin ? Defaulting.whenLeftOut(owner, field) : null;
    if (prose != null && (dflt == null || zeroOf(t, dflt) || present)) {
      dflt = prose; // a default the OpenAPI leaves to the prose, or declares as the Go zero it replaces (a struct's {})
    } else if (!builtin) {
      dflt = customDefault(p, t);
    }
    SchemaField f = place(new SchemaField(t, Role.PROPERTY, builtin, kept, present, null, dflt), p);
    if (builtin) {
      f.zeroDefault = Defaulting.of(owner, field);
      if (t.shape == Shape.MAP && ref(p) == null && t.element.type.scalar == Scalar.QUANTITY
          && Defaulting.roundsToMilli(owner)) {
        t.element.quantityScale = Defaulting.RESOURCE_LIST_SCALE;
      }
    }
    return f;
  }

  /**
   * {@code f}, atomic as the schema of its place says ({@code x-kubernetes-map-type} beside a
   * {@code $ref}: a PersistentVolume's {@code claimRef} is a granular ObjectReference), else as its
   * type is; nullable when the place says {@code nullable: true} (a CRD's: the server keeps a null there).
   */
  private SchemaField place(SchemaField f, JsonNode place) {
    String said = place == null ? "" : place.path("x-kubernetes-map-type").asText("");
    f.atomic = said.equals("atomic") || !said.equals("granular") && f.type.atomic;
    f.nullable = !builtin && place != null && place.path("nullable").asBoolean(false);
    return f;
  }

  /**
   * A CRD's {@code default} at {@code place} as the server stores it: with the defaults of
   * {@code type} filled in below it ({@link CustomStorage#defaulted}); null for a built-in kind's
   * (its defaults are read as the OpenAPI states them) or when there is none.
   */
  private JsonNode customDefault(JsonNode place, SchemaType type) {
    JsonNode dflt = place == null || builtin ? null : place.get("default");
    return dflt == null ? null : CustomStorage.defaulted(dflt, type);
  }

  /** True for a CRD's {@code x-kubernetes-embedded-resource: true} object. */
  private static boolean embedded(JsonNode s) {
    return s.path("x-kubernetes-embedded-resource").asBoolean(false);
  }

  /**
   * {@code t} as the server handles an embedded resource: its {@code apiVersion} and {@code kind}
   * kept (never pruned) and its {@code metadata} decoded into the built-in {@code ObjectMeta} and
   * written back (apiextensions' {@code objectmeta.Coerce}), so empty maps and strings are dropped
   * as a built-in kind's, whatever the CRD declares there, and a key {@code ObjectMeta} lacks is
   * dropped (pruned: the decoding into Go's struct ignores it).
   */
  private void embeddedResource(SchemaType t) {
    for (String typeMeta : new String[] {"apiVersion", "kind"}) {
      t.fields.putIfAbsent(typeMeta, new SchemaField(SchemaType.scalar(Scalar.STRING), Role.PROPERTY,
          builtin, false, false, null, null));
    }
    SchemaField meta = BuiltinSchemas.objectMeta();
    if (meta != null) {
      t.fields.put("metadata", dropsUnknown(meta));
    }
  }

  /** The built-in {@code meta} with its unknown keys pruned ({@link SchemaType#dropsUnknown}). */
  private static SchemaField dropsUnknown(SchemaField meta) {
    SchemaType closed = new SchemaType(Shape.STRUCT, Scalar.NONE);
    closed.fields.putAll(meta.type().fields);
    closed.closed = true;
    closed.dropsUnknown = true;
    closed.atomic = meta.type().atomic;
    SchemaField f = new SchemaField(closed, Role.PROPERTY, true, meta.kept, meta.present, meta.list,
        meta.defaultValue);
    f.zeroDefault = meta.zeroDefault;
    f.quantityScale = meta.quantityScale;
    f.atomic = meta.atomic;
    return f;
  }

  private static boolean zeroOf(SchemaType t, JsonNode v) {
    if (t.shape != Shape.SCALAR) {
      return false;
    }
    return (v.isTextual() && v.textValue().isEmpty()) || (v.isNumber() && v.decimalValue().signum() == 0)
        || (v.isBoolean() && !v.booleanValue());
  }

  /**
   * How a list's elements match: as its list type says, else by its patch merge key; else, in a
   * CRD, as server-side apply merges it (kube-openapi's {@code schemaconv}: a merge strategy
   * without a key is a set, any other list is atomic, replaced whole by its applier); else, for a
   * built-in kind, not known (null).
   */
  private ListMatch match(JsonNode s, SchemaType items) {
    String listType = s.path("x-kubernetes-list-type").asText("");
    List<String> keys = new ArrayList<>();
    if (listType.equals("map")) {
      s.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
    } else if (listType.equals("set")) {
      return ListMatch.set();
    } else if (listType.equals("atomic")) {
      return ListMatch.atomic();
    }
    boolean merge = s.path("x-kubernetes-patch-strategy").asText("").contains("merge");
    if (keys.isEmpty() && s.hasNonNull("x-kubernetes-patch-merge-key") && merge) {
      keys.add(s.get("x-kubernetes-patch-merge-key").asText());
    }
    if (keys.isEmpty()) {
      return builtin ? null : merge && items.shape == Shape.SCALAR ? ListMatch.set() : ListMatch.atomic();
    }
    List<JsonNode> defaults = new ArrayList<>();
    for (String k : keys) {
      SchemaField f = items.shape == Shape.STRUCT ? items.fields.get(k) : null;
      defaults.add(f == null ? null : f.defaultValue);
    }
    return ListMatch.keyed(keys, defaults);
  }
}

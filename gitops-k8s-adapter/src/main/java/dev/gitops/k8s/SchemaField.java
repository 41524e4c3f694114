package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.diff.FieldSchema.ListMatch;

/**
 * A value's place in a compiled schema: its {@link SchemaType} plus what the place says about it
 * (a declared field of a struct, required or with a default; an element of a keyed, set or atomic
 * list; a map value; the root). As a {@link FieldSchema.Node} it answers the differ for built-in
 * and custom kinds alike, without allocating:
 *
 * <ul>
 *   <li><b>zero value</b>: a desired empty string, applied, where the live object has the text
 *       the server's defaulting put in its place (a Go string cannot tell {@code ""} from left
 *       out); and a desired zero value where the live object has none, for a declared
 *       field of a built-in kind (Go types, protobuf storage), in the cases the server drops it:
 *       an empty list or map (never stored non-null), an empty struct the type always writes
 *       ({@code default: {}}), and a zero scalar ({@code 0}, {@code false}, {@code ""}) of a field
 *       that is neither required nor defaulted to its zero (so {@code omitempty} or a pointer)
 *       when the last-applied record shows it was applied, so the server dropped it; and a desired
 *       {@code 0} of a plain number field the server's defaulting sets when zero, against the value
 *       it sets ({@link Defaulting}: a probe's {@code timeoutSeconds: 0} is stored as 1);
 *   <li><b>default value</b>: a field {@code gitops} applied that Git now leaves out, whose live
 *       value is what the server's defaulting stores when a write leaves it out: what it puts in
 *       place of a plain number's zero ({@link Defaulting}), the default of a scalar or a struct,
 *       declared or from {@link Defaulting#whenLeftOut} (a chart's {@code revisionHistoryLimit:}
 *       null is applied and stored as 10) (one a sibling gives, a Service port's {@code targetPort}, is {@link LeftOutDefaults}'s);
 *       a CRD's default of any shape, as stored with the defaults below it ({@link CustomStorage});
 *   <li><b>allocated value</b>: a field the server allocated and keeps when a write leaves it empty
 *       (a Service's {@code clusterIP}, a port's {@code nodePort}: {@link Defaulting#ALLOCATED}),
 *       left out, null or empty in the manifest;
 *   <li><b>quantity</b>: a live quantity that is the desired one as the server stores it: written
 *       another way ({@code 1Gi}, {@code 1024Mi}), or rounded up to the precision the server keeps
 *       here ({@code cpu: 0.1m} is stored as {@code 1m}, see {@link Defaulting});
 *   <li><b>time</b>: a live time of a built-in kind that is the desired one as the server stores
 *       it: in UTC, to the second ({@code metav1.Time}) or the microsecond ({@code MicroTime};
 *       {@link Times}): {@code 2025-01-02T05:04:05.5+02:00} is stored as {@code 2025-01-02T03:04:05Z},
 *       and Go's zero time ({@code 0001-01-01T00:00:00Z}, in any offset) as nothing ({@code null});
 *   <li><b>integer text</b>: integer text against the same number in an integer field, or a
 *       built-in kind's int-or-string field (a custom resource stores {@code "8080"} as text, which
 *       its controller reads as a name, so there it is a change);
 *   <li><b>base64 text</b>: two base64 texts of the same bytes in a built-in kind's bytes field
 *       (a Secret's {@code data}, a ConfigMap's {@code binaryData}): Go's decoder ignores line
 *       breaks, so the server stores the bytes of a value wrapped at 76 columns and returns them in
 *       one line;
 *   <li><b>server-appended entry</b>: an element only the live object has, never applied, in a
 *       keyed list or set;
 *   <li><b>kept by admission</b>: what only the live value has inside an atomic value {@code gitops}
 *       owns whole, and the live value of a scalar it owns, where a dry run of the write showed that
 *       admission puts it back ({@link AdmissionKept});
 *   <li><b>pruned field</b>: a desired field a custom resource's structural schema does not declare
 *       (no {@code x-kubernetes-preserve-unknown-fields} there), which the server prunes from every
 *       write: the live object never has it;
 *   <li><b>dropped by the server</b>: a desired field the live object lacks where what was applied
 *       last holds {@link ServerDrops#DROPPED}: {@code gitops}'s own entry in {@code managedFields}
 *       still owns it, so the server took the write and its strategy dropped the field (a feature
 *       gate off, a field its storage lacks).
 * </ul>
 *
 * Not public API.
 */
final class SchemaField implements FieldSchema.Node {
  /** Reason: a zero value the server drops. */
  public static final String ZERO_VALUE = "zero value";
  /** Reason: one quantity written two ways. */
  public static final String QUANTITY = "quantity";
  /** Reason: one time written another way than the server stores it (offset, fraction). */
  public static final String TIME = "time";
  /** Reason: integer text where the number is meant. */
  public static final String INTEGER_TEXT = "integer text";
  /** Reason: the same bytes in base64 text written another way (with line breaks). */
  public static final String BASE64_TEXT = "base64 text";
  /** Reason: a field a custom resource's structural schema does not declare, which the server prunes. */
  public static final String PRUNED = "pruned field";
  /** Reason: a value the server allocated and keeps when a write leaves it empty. */
  public static final String ALLOCATED = "allocated value";
  /** Reason: an applied field left out of Git, whose live value the server's defaulting stores again. */
  public static final String DEFAULT_VALUE = "default value";
  /** Reason: an element the server (admission, a controller) added to a list. */
  public static final String SERVER_APPENDED = "server-appended entry";
  /**
   * Reason: what only the live value of an atomic value {@code gitops} owns has, which admission (a
   * mutating webhook, an admission plugin) puts back on every write, as a dry run showed ({@link AdmissionKept}).
   */
  public static final String KEPT_BY_ADMISSION = "kept by admission";
  /**
   * Reason: a field {@code gitops} wrote, which its {@code managedFields} entry still owns, that the
   * server did not store (a feature gate off, a field its storage version lacks: {@link ServerDrops}).
   */
  public static final String DROPPED = "dropped by the server";

  /** Where a value sits. */
  enum Role { ROOT, PROPERTY, ELEMENT, MAP_VALUE }

  SchemaType type;
  final Role role;
  /** True for kinds of Go types stored as protobuf, whose zero values the server drops. */
  final boolean builtin;
  /** A declared field that the server keeps when zero (required, or its default is its zero). */
  final boolean kept;
  /** A struct field the server always writes ({@code default: {}}: not a pointer). */
  final boolean present;
  /** An element's list kind (for {@link Role#ELEMENT}), else null. */
  final ListMatch.Kind list;
  /** The declared default, or null. */
  final JsonNode defaultValue;
  /**
   * What the server's defaulting stores in place of a zero here, or null: a plain number field it
   * sets when 0, or {@link Defaulting#ALLOCATED} ({@link Defaulting#of}). Set once while compiling.
   */
  JsonNode zeroDefault;
  /**
   * The decimal places the server keeps of a quantity here, rounding up away from zero: a resource
   * list's values 3, a built-in kind's other quantities 9, a custom resource's all (stored as
   * applied). Set once while compiling ({@link Defaulting#roundsToMilli}).
   */
  int quantityScale;
  /**
   * A struct or map server-side apply owns whole here ({@code x-kubernetes-map-type: atomic} of the
   * field, else of its type: {@link SchemaType#atomic}). Set once while compiling.
   */
  boolean atomic;
  /**
   * A place of a CRD's schema that says {@code nullable: true}: the server keeps a null written
   * there (neither pruned nor defaulted; {@link CustomStorage}). Set once while compiling.
   */
  boolean nullable;

  SchemaField(SchemaType type, Role role, boolean builtin, boolean kept, boolean present,
              ListMatch.Kind list, JsonNode defaultValue) {
    this.type = type;
    this.role = role;
    this.builtin = builtin;
    this.kept = kept;
    this.present = present;
    this.list = list;
    this.defaultValue = defaultValue;
    this.quantityScale = builtin ? Defaulting.QUANTITY_SCALE : Quantities.EXACT;
  }

  /** The type. */
  public SchemaType type() {
    return type;
  }

  /** Any field a custom resource's closed struct does not declare: the server prunes it. */
  private static final SchemaField UNDECLARED =
      new SchemaField(SchemaType.ANY, Role.PROPERTY, false, false, false, null, null);

  @Override
  public FieldSchema.Node field(String name) {
    return switch (type.shape) {
      case STRUCT -> declared(name);
      case MAP -> type.element;
      default -> null;
    };
  }

  /**
   * The declared field {@code name}; for a custom resource's closed struct ({@link SchemaType#closed})
   * a field it does not declare is {@link #UNDECLARED} (not a root's {@code apiVersion} or
   * {@code kind}, which the server keeps), as it is of an embedded resource's {@code ObjectMeta}
   * ({@link SchemaType#dropsUnknown}); null for a built-in kind's (the shipped table may be older
   * than the server).
   */
  private SchemaField declared(String name) {
    SchemaField f = type.fields.get(name);
    if (f != null || builtin && !type.dropsUnknown || !type.closed) {
      return f;
    }
    return role == Role.ROOT && (name.equals("apiVersion") || name.equals("kind")) ? null : UNDECLARED;
  }

  /**
   * True when {@code name} in the object {@code node} types (unwrapped of its {@link ForwardingNode}s)
   * is an entry of a map, which server-side apply's type converter (kube-openapi {@code schemaconv})
   * gives no field name: a key of a map ({@code additionalProperties}), or a key a custom resource's
   * struct does not declare where it keeps unknown fields ({@code x-kubernetes-preserve-unknown-fields},
   * a free-form object: the deduced element type). Such an entry is a member of its applier's set
   * ({@code typed/tofieldset.go}), but not made one when another manager owns only fields inside it
   * ({@code fieldpath/set.go EnsureNamedFieldsAreMembers}). False where nothing is known, and for a
   * built-in struct's unknown field (the shipped table may be older than the server).
   */
  static boolean mapEntry(FieldSchema.Node node, String name) {
    SchemaField s = ForwardingNode.declared(node);
    if (s == null) {
      return false;
    }
    return switch (s.type.shape) {
      case MAP -> true;
      case STRUCT -> !s.builtin && !s.type.closed && !s.type.fields.containsKey(name);
      case ANY -> !s.builtin;
      default -> false;
    };
  }

  @Override
  public FieldSchema.Node element(JsonNode element) {
    return type.shape == SchemaType.Shape.LIST ? type.element : null;
  }

  @Override
  public ListMatch match() {
    return type.shape == SchemaType.Shape.LIST ? type.match : null;
  }

  @Override
  public boolean atomic() {
    return atomic && (type.shape == SchemaType.Shape.STRUCT || type.shape == SchemaType.Shape.MAP)
        || FieldSchema.Node.super.atomic();
  }

  /**
   * A custom resource's field with a CRD {@code default}, which the server stores when a write
   * leaves it out (apiextensions-apiserver {@code defaulting/algorithm.go} {@code Default}); a
   * built-in kind's field with a fixed default other than its zero ({@link Defaulting#whenLeftOut},
   * the OpenAPI's), which {@code SetDefaults_*} puts back: an applied {@code revisionHistoryLimit: 3}
   * left out is stored as 10 (pairs 422 to 424), and the plan shows that, not a removal. Not for a
   * zero (dropped when {@code omitempty}), an empty struct, a list, a gated default
   * ({@link Defaulting#gated}) or one a sibling decides ({@link LeftOutDefaults}); a plain number's zero
   * the defaulting replaces is its {@link #zeroDefault} (a probe's {@code successThreshold} 1). Null
   * for a map value or list element.
   */
  @Override
  public JsonNode storedWhenLeftOut() {
    if (role != Role.PROPERTY || defaultValue == null || !builtin) {
      return role != Role.PROPERTY ? null : defaultValue != null ? defaultValue
          : zeroDefault != null && zeroDefault.isNumber() ? zeroDefault : null;
    }
    boolean fixed = defaultValue.isValueNode() && !Json.isZero(defaultValue)
        || defaultValue.isObject() && !defaultValue.isEmpty() && !Defaulting.gated(defaultValue);
    return fixed ? defaultValue : null;
  }

  @Override
  public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    if (desired == null) {
      if (AdmissionKept.KEPT.equals(lastApplied)) {
        return KEPT_BY_ADMISSION; // inside an atomic value a dry run of the apply showed admission keeps
      }
      if (zeroDefault == Defaulting.ALLOCATED) {
        return ALLOCATED; // a removal: the write leaves it empty, the server keeps what it allocated
      }
      if (zeroDefault == Defaulting.STAMPED && actual != null) {
        return TIME; // left out, the server sets the time of the write (a device taint's timeAdded)
      }
      if (lastApplied == null) {
        return role == Role.ELEMENT && list != ListMatch.Kind.ATOMIC ? SERVER_APPENDED : null;
      }
      return defaultedWhenLeftOut(actual) ? DEFAULT_VALUE : null;
    }
    if (actual != null && AdmissionKept.KEPT.equals(lastApplied)) {
      return KEPT_BY_ADMISSION; // an owned value admission rewrites on every apply, as a dry run of it showed
    }
    if (zeroDefault == Defaulting.ALLOCATED && leftEmpty(desired)) {
      return ALLOCATED;
    }
    if (this == UNDECLARED) {
      return actual == null ? PRUNED : null;
    }
    if (actual == null) {
      return droppedWhenZero(desired, lastApplied) ? ZERO_VALUE : zeroTime(desired) ? TIME
          : ServerDrops.DROPPED.equals(lastApplied) || ServerDrops.UNLESS_ZERO.equals(lastApplied) && !omitsZero()
          ? DROPPED : null;
    }
    if (type.shape != SchemaType.Shape.SCALAR) {
      return null;
    }
    return switch (type.scalar) {
      case QUANTITY -> Quantities.stored(actual, desired, quantityScale) ? QUANTITY : null;
      case INTEGER -> integerText(actual, desired) ? INTEGER_TEXT : defaultedZero(actual, desired) ? ZERO_VALUE : null;
      case NUMBER -> integerText(actual, desired) ? INTEGER_TEXT : null;
      case INT_OR_STRING -> builtin && integerText(actual, desired) ? INTEGER_TEXT : null;
      case BYTES -> builtin && DecodedValues.sameBytes(actual, desired) ? BASE64_TEXT : null;
      case TIME, MICRO_TIME -> Times.stored(actual, desired, type.scalar == SchemaType.Scalar.MICRO_TIME) ? TIME : null;
      case STRING -> defaultedEmpty(actual, desired, lastApplied) ? ZERO_VALUE : null;
      default -> null;
    };
  }

  /** True when {@code desired} is a time the server stores as Go's zero time and returns as nothing. */
  private boolean zeroTime(JsonNode desired) {
    return type.shape == SchemaType.Shape.SCALAR && (type.scalar == SchemaType.Scalar.TIME
        || type.scalar == SchemaType.Scalar.MICRO_TIME)
        && Times.storedAsNothing(desired, type.scalar == SchemaType.Scalar.MICRO_TIME);
  }

  /**
   * True when {@code desired} is an empty string the last-applied record shows was applied and the
   * live value is another text: a Go string cannot tell {@code ""} from left out, so the server's
   * defaulting filled it ({@code roleRef.apiGroup: ""} reads back as rbac.authorization.k8s.io,
   * {@code dnsPolicy: ""} as ClusterFirst), and applying it again gives the same value. A field
   * another manager changed is no longer in the record (that manager owns it), so this is no drift.
   * Not for a pointer whose {@code ""} the server keeps ({@link Defaulting#KEPT}).
   */
  private boolean defaultedEmpty(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    return builtin && role == Role.PROPERTY && zeroDefault != Defaulting.KEPT && lastApplied != null
        && desired.isTextual() && desired.textValue().isEmpty() && actual.isTextual() && !actual.textValue().isEmpty();
  }

  /**
   * True when {@code desired} is a zero the server's defaulting replaces here and the live value is
   * what it puts in its place: a plain Go number cannot tell 0 from left out ({@code timeoutSeconds: 0}
   * of a probe is stored as 1), so applying it again gives the same value. A live value other than
   * the default (Git turned 5 into 0) stays a change.
   */
  private boolean defaultedZero(JsonNode actual, JsonNode desired) {
    return zeroDefault != null && desired.isNumber() && desired.decimalValue().signum() == 0
        && actual.isNumber() && actual.decimalValue().compareTo(zeroDefault.decimalValue()) == 0;
  }

  /**
   * True when {@code actual} is what the server's defaulting stores in this field when a write
   * leaves it out: the value it puts in place of a plain number's zero ({@link Defaulting}: a
   * probe's {@code timeoutSeconds} 1), or the default of a scalar or struct, declared or
   * {@link Defaulting#whenLeftOut} (a Deployment's {@code revisionHistoryLimit} 10, a ClientIP
   * Service's {@code clientIP}). Applying without the field
   * then stores the same value again, so the removal of an applied field is no change; a live value
   * other than the default (Git once said 5) stays one.
   */
  private boolean defaultedWhenLeftOut(JsonNode actual) {
    if (role != Role.PROPERTY || actual == null) {
      return false;
    }
    return defaultedZero(actual, IntNode.valueOf(0))
        || defaultValue != null && (defaultValue.isValueNode() || defaultValue.isObject() || !builtin)
        && (Json.sameValue(actual, defaultValue) || builtin && Json.sameValue(actual, Defaulting.beforeGates(defaultValue, actual)));
  }

  /**
   * True for {@code 0} and {@code ""}: what a write leaving a scalar empty holds (an empty list is
   * compared element by element, so {@code clusterIPs: []} is not covered).
   */
  private static boolean leftEmpty(JsonNode v) {
    return v.isNumber() && v.decimalValue().signum() == 0 || v.isTextual() && v.textValue().isEmpty();
  }

  /** True when the server would not store {@code desired} here, so an absent live value equals it. */
  boolean droppedWhenZero(JsonNode desired, JsonNode lastApplied) {
    if (!builtin || role != Role.PROPERTY) {
      return false;
    }
    return switch (type.shape) {
      case LIST -> desired.isArray() && desired.isEmpty();
      case MAP -> desired.isObject() && desired.isEmpty();
      case STRUCT -> present && desired.isObject() && desired.isEmpty();
      case SCALAR -> !kept && lastApplied != null && zeroScalar(desired);
      case ANY -> false;
    };
  }

  /** True where Go's encoder leaves a zero value out of what the server returns (see {@link #droppedWhenZero}). */
  private boolean omitsZero() {
    return builtin && role == Role.PROPERTY && switch (type.shape) {
      case LIST, MAP -> true;
      case STRUCT -> present;
      case SCALAR -> !kept;
      case ANY -> false;
    };
  }

  private boolean zeroScalar(JsonNode v) {
    return switch (type.scalar) {
      case STRING, BYTES -> v.isTextual() && v.textValue().isEmpty();
      case INTEGER, NUMBER -> v.isNumber() && v.decimalValue().signum() == 0;
      case BOOLEAN -> v.isBoolean() && !v.booleanValue();
      default -> false;
    };
  }

  /** True when one side is integer text and the other that integer. */
  private static boolean integerText(JsonNode a, JsonNode d) {
    JsonNode text = a.isTextual() ? a : d.isTextual() ? d : null;
    JsonNode number = a.isIntegralNumber() ? a : d.isIntegralNumber() ? d : null;
    if (text == null || number == null) {
      return false;
    }
    String s = text.textValue();
    if (s.isEmpty() || s.length() > 19) {
      return false;
    }
    for (int i = s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    try {
      return new java.math.BigInteger(s).equals(number.bigIntegerValue());
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return role + " " + type;
  }
}

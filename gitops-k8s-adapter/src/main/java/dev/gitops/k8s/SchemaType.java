package dev.gitops.k8s;

import dev.gitops.diff.FieldSchema.ListMatch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One compiled schema type: an object with declared fields (a struct), a map, a list, a scalar, or
 * anything ({@code x-kubernetes-preserve-unknown-fields}, {@code RawExtension}: nothing known
 * below). Built by {@link SchemaCompiler} (which fills a named type's fields after creating it, so
 * that recursive types compile) and never changed afterwards; shared by every field of its type.
 * Not public API.
 */
final class SchemaType {
  /** What kind of value a type describes. */
  public enum Shape { STRUCT, MAP, LIST, SCALAR, ANY }

  /** What kind of scalar. */
  public enum Scalar {
    /** Text. */
    STRING,
    /** An integer ({@code int32}, {@code int64}). */
    INTEGER,
    /** Any number. */
    NUMBER,
    /** True or false. */
    BOOLEAN,
    /** Base64 text of bytes ({@code format: byte}). */
    BYTES,
    /** A resource quantity ({@code 500m}, {@code 1Gi}). */
    QUANTITY,
    /** An integer or a string ({@code format: int-or-string}, {@code x-kubernetes-int-or-string}). */
    INT_OR_STRING,
    /** A built-in kind's {@code metav1.Time}: stored in UTC to the second ({@link Times}). */
    TIME,
    /** A built-in kind's {@code metav1.MicroTime}: stored in UTC to the microsecond ({@link Times}). */
    MICRO_TIME,
    /** Not a scalar. */
    NONE
  }

  /** The type of values nothing is known about. */
  static final SchemaType ANY = new SchemaType(Shape.ANY, Scalar.NONE);

  final Shape shape;
  final Scalar scalar;
  /** A struct's fields by name (filled once while compiling). */
  final Map<String, SchemaField> fields;
  /** A map's values or a list's elements. */
  SchemaField element;
  /** How a list's elements match, null when the schema does not say. */
  ListMatch match;
  /**
   * The largest number Go's type of a whole-number scalar holds: {@code int32} ({@code format:
   * int32}, and every int-or-string) or {@code int64} (any other integer); 0 for other types.
   */
  final long max;
  /**
   * A struct whose unknown fields the server prunes: one of a CustomResourceDefinition's
   * structural schema without {@code x-kubernetes-preserve-unknown-fields}, an embedded
   * resource's too (whose {@code apiVersion}, {@code kind} and {@code metadata} are declared
   * fields; set once while compiling).
   */
  boolean closed;
  /**
   * A built-in struct whose unknown keys the server drops where a custom resource holds it (an
   * embedded resource's {@code ObjectMeta}: decoded into Go's struct and written back), though a
   * built-in kind's own struct is not judged so (the shipped table may be older than the server).
   * Set once while compiling.
   */
  boolean dropsUnknown;
  /**
   * A struct or map that server-side apply owns as one field, whole ({@code x-kubernetes-map-type:
   * atomic} on its schema; a field may say otherwise: {@link SchemaField#atomic}). Set once while compiling.
   */
  boolean atomic;
  /**
   * A struct's fields its schema lists as {@code required} (OpenAPI), in the schema's order; empty
   * for other shapes. Set once while compiling ({@link RequiredFields} reads it).
   */
  List<String> required = List.of();

  SchemaType(Shape shape, Scalar scalar) {
    this(shape, scalar, scalar == Scalar.INT_OR_STRING ? Integer.MAX_VALUE
        : scalar == Scalar.INTEGER ? Long.MAX_VALUE : 0);
  }

  private SchemaType(Shape shape, Scalar scalar, long max) {
    this.shape = shape;
    this.scalar = scalar;
    this.max = max;
    this.fields = shape == Shape.STRUCT ? new HashMap<>() : Map.of();
  }

  /** An integer of OpenAPI {@code format} ({@code int32}, {@code int64} or none: Go's int64). */
  static SchemaType integer(String format) {
    return new SchemaType(Shape.SCALAR, Scalar.INTEGER, "int32".equals(format) ? Integer.MAX_VALUE : Long.MAX_VALUE);
  }

  static SchemaType scalar(Scalar scalar) {
    return new SchemaType(Shape.SCALAR, scalar);
  }

  @Override
  public String toString() {
    return shape == Shape.SCALAR ? scalar.toString() : shape + (shape == Shape.STRUCT ? fields.keySet().toString() : "");
  }
}

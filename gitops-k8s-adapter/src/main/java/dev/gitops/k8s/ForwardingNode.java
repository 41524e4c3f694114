package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.diff.FieldSchema.ListMatch;

/**
 * A schema node that wraps another (which may be null: nothing known) along some paths and forwards
 * what it does not decide: the list match, atomicity, extras counted, whether it is kept when left
 * out, what is stored when it is left out and, by default, what is hidden. Subclasses say where the wrapping goes on ({@link #field}, {@link #element}) and what
 * more they hide. Not public API.
 */
abstract class ForwardingNode implements FieldSchema.Node {
  /** The wrapped node, or null. */
  final FieldSchema.Node schema;

  ForwardingNode(FieldSchema.Node schema) {
    this.schema = schema;
  }

  /** The built-in or custom field schema below every wrapper of {@code node}, or null when there is none. */
  static SchemaField declared(FieldSchema.Node node) {
    FieldSchema.Node n = node;
    while (n instanceof ForwardingNode f) {
      n = f.schema;
    }
    return n instanceof SchemaField s ? s : null;
  }

  /** The wrapped node's field {@code name}, or null. */
  final FieldSchema.Node schemaField(String name) {
    return schema == null ? null : schema.field(name);
  }

  /** The wrapped node's element schema for {@code element}, or null. */
  final FieldSchema.Node schemaElement(JsonNode element) {
    return schema == null ? null : schema.element(element);
  }

  @Override
  public ListMatch match() {
    return schema == null ? null : schema.match();
  }

  @Override
  public boolean atomic() {
    return schema != null && schema.atomic();
  }

  @Override
  public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    return schema == null ? null : schema.hidden(actual, desired, lastApplied);
  }

  @Override
  public boolean countsExtras() {
    return schema != null && schema.countsExtras();
  }

  @Override
  public JsonNode storedWhenLeftOut() {
    return schema == null ? null : schema.storedWhenLeftOut();
  }

  @Override
  public boolean keptWhenLeftOut() {
    return schema != null && schema.keptWhenLeftOut();
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import java.util.Map;

/**
 * Makes the plan show an alternative of a one-of group that another manager keeps beside the one
 * Git sets ({@link OneOfFields#refused}): a server-side apply keeps that manager's field, the merged
 * object holds two alternatives and validation refuses the write on every run. The field is added
 * to the last-applied tree ({@link #removable}) and its removal counts whoever owns it ({@link #of}),
 * so the diff shows a change on another manager's field: a conflict, which the user resolves by
 * dropping that field (or by giving Git's alternative up). A group Git dropped that another manager
 * keeps without an alternative (a probe whose {@code timeoutSeconds} {@code kubectl edit} owns) is
 * marked whole: its removal is the conflict, and with force the writer removes it whole; so is an
 * element of a keyed list Git dropped that another manager keeps in a shape validation refuses
 * ({@link KeptElements}: marked {@code .}). Not public API.
 */
final class OneOfRefusals extends ForwardingNode {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** The refused fields below this node: an object's, a named list's elements, or a leaf (the managers). */
  private final JsonNode refused;

  private OneOfRefusals(FieldSchema.Node schema, JsonNode refused) {
    super(schema);
    this.refused = refused;
  }

  /** {@code root} (may be null) that counts every removal of {@code refused}; {@code root} when none. */
  static FieldSchema.Node of(FieldSchema.Node root, JsonNode refused) {
    return refused == null ? root : new OneOfRefusals(root, refused);
  }

  /** {@code lastApplied} (may be null) with every field of {@code refused} added: a new tree; {@code lastApplied} when none. */
  static JsonNode removable(JsonNode refused, JsonNode lastApplied) {
    if (refused == null) {
      return lastApplied;
    }
    ObjectNode out = lastApplied instanceof ObjectNode la ? la.deepCopy() : NODES.objectNode();
    merge(out, refused);
    return out;
  }

  private static void merge(ObjectNode into, JsonNode marks) {
    for (Map.Entry<String, JsonNode> e : marks.properties()) {
      JsonNode mark = e.getValue();
      if (e.getKey().equals(RequiredFields.KEY)) {
        continue; // the key fields naming an element, which {@link #named} wrote
      } else if (mark.isObject()) {
        merge(into.get(e.getKey()) instanceof ObjectNode o ? o : into.putObject(e.getKey()), mark);
      } else if (mark.isArray()) {
        ArrayNode list = into.get(e.getKey()) instanceof ArrayNode l ? l : into.putArray(e.getKey());
        for (JsonNode element : mark) {
          if (element.has(".")) {
            continue; // an element marked whole was applied: nothing to add (a Service port's record names it by its keys)
          }
          JsonNode same = RequiredFields.find(list, element);
          merge(same instanceof ObjectNode o ? o : named(list.addObject(), element), element);
        }
      } else if (!e.getKey().equals("name") || !into.has("name")) {
        into.set(e.getKey(), mark);
      }
    }
  }

  /** {@code element}, a new record's element, with the key fields or the name that {@code mark} names it by. */
  private static ObjectNode named(ObjectNode element, JsonNode mark) {
    if (mark.get(RequiredFields.KEY) instanceof ObjectNode key) {
      element.setAll(key.deepCopy());
      return element;
    }
    return element.put("name", mark.path("name").asText());
  }

  @Override
  public FieldSchema.Node field(String name) {
    FieldSchema.Node child = schemaField(name);
    JsonNode below = refused.isObject() ? refused.get(name) : null;
    // "name" keys an element's marks; no one-of group has a member of that name
    return below == null || name.equals("name") || name.equals(RequiredFields.KEY) ? child : new OneOfRefusals(child, below);
  }

  @Override
  public FieldSchema.Node element(JsonNode element) {
    FieldSchema.Node child = schemaElement(element);
    JsonNode below = refused.isArray() ? RequiredFields.markOf(refused, element) : null;
    return below == null ? child : new OneOfRefusals(child, below);
  }

  /** A refused alternative, or an element marked whole ({@code .}), goes whole, whatever another manager owns in it. */
  @Override
  public boolean keptWhenLeftOut() {
    return !whole() && super.keptWhenLeftOut();
  }

  @Override
  public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    if (whole() && desired == null && actual != null) {
      return null; // kept by another manager beside Git's alternative: the server refuses both
    }
    return super.hidden(actual, desired, lastApplied);
  }

  /** True for a refused value that goes whole: an alternative or a group (a leaf of the marks), an element marked {@code .}. */
  private boolean whole() {
    return refused.isTextual() || refused.has(".");
  }
}

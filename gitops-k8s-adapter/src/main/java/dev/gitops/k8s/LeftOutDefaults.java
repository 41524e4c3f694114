package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A schema node seen together with the desired value at its place, for one diff of a kind whose
 * defaulting derives a value from a sibling ({@link SiblingDefaults#covers}), so that the removal of
 * a field {@code gitops} applied is judged by what the server stores when a write leaves it out. A
 * left-out field is nil or Go's zero, so that is the desired object with the missing node in a
 * scalar field's place (an empty list or object in theirs), defaulted by {@link SiblingLeftOut#leftOut}: a Service
 * port's {@code targetPort} left out (a chart's {@code targetPort:} null, dropped on load) is stored
 * as its {@code port}, a {@code hostNetwork} Pod's {@code hostPort} as its {@code containerPort}, a
 * ClientIP Service's {@code sessionAffinityConfig} as {@code {clientIP: {timeoutSeconds: 10800}}}
 * (under {@code None} it is dropped: still a removal), a container's {@code imagePullPolicy} by its
 * image, a Service's traffic policies by its type, a Job's counts ({@link WorkloadDefaults}). A
 * scalar no rule sets stays missing and is no default, whatever the rules set beside it. A live
 * value equal to
 * that is {@value SchemaField#DEFAULT_VALUE}: applying again stores it again; any other live value
 * is a change, shown as replaced by that ({@link #storedWhenLeftOut}: {@code Local -> Cluster}),
 * not as a removal the server never makes. Only the element being judged stands for its list (the rules read an element
 * and its ancestors, never its siblings). A field {@code gitops} never applied is never asked about
 * as a removal, so nothing here claims it. Built along the paths the walk visits; what the schema
 * hides takes precedence. Not public API.
 */
final class LeftOutDefaults extends ForwardingNode {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final ResourceId id;
  private final LeftOutDefaults parent;
  /** The field's name; null for a list element or the root. */
  private final String name;
  /** The value here as desired has it (an element as the walk gives it), or null. */
  private final JsonNode desired;

  private LeftOutDefaults(ResourceId id, FieldSchema.Node schema, LeftOutDefaults parent, String name,
                          JsonNode desired) {
    super(schema);
    this.id = id;
    this.parent = parent;
    this.name = name;
    this.desired = desired;
  }

  /**
   * {@code schema} (may be null) aware of the desired tree, or {@code schema} when no removal could be
   * defaulted; a field or element the schema does not know stays unknown (null), as the walk judges
   * no live-only field there.
   */
  static FieldSchema.Node of(ResourceId id, FieldSchema.Node schema, JsonNode desired, JsonNode lastApplied) {
    return lastApplied == null || !(desired instanceof ObjectNode) || !SiblingDefaults.covers(id)
        ? schema : new LeftOutDefaults(id, schema, null, null, desired);
  }

  /**
   * The field's node, aware of the desired tree; below a field Git left out (a struct whose removal
   * the walk splits, as another manager keeps something in it) too, where the desired value stands
   * as an empty object: the server keeps the struct for that manager, and its defaulting fills it
   * (a StatefulSet's {@code updateStrategy} dropped whole while another manager owns
   * {@code rollingUpdate.maxUnavailable} keeps a rolling update, whose partition left out is stored as 0).
   */
  @Override
  public FieldSchema.Node field(String field) {
    FieldSchema.Node child = schemaField(field);
    if (child == null || !(desired instanceof ObjectNode) && (desired != null || name == null)) {
      return child;
    }
    return new LeftOutDefaults(id, child, this, field, desired == null ? null : desired.get(field));
  }

  @Override
  public FieldSchema.Node element(JsonNode element) {
    FieldSchema.Node child = schemaElement(element);
    return desired instanceof ArrayNode && child != null ? new LeftOutDefaults(id, child, this, null, element) : child;
  }

  @Override
  public String hidden(JsonNode actual, JsonNode d, JsonNode lastApplied) {
    String why = super.hidden(actual, d, lastApplied);
    if (why != null || d != null || actual == null || lastApplied == null || name == null) {
      return why;
    }
    JsonNode stored = leftOut(actual);
    if (stored == null || stored.isMissingNode() || stored.isNull()) {
      return null;
    }
    return Json.sameValue(actual, stored) || Json.sameValue(actual, Defaulting.beforeGates(stored, actual))
        || schema != null && SchemaField.QUANTITY.equals(schema.hidden(actual, stored, lastApplied))
        || sameQuantities(actual, stored, lastApplied) ? SchemaField.DEFAULT_VALUE : null;
  }

  /**
   * What the server stores here when a write leaves this applied field out, where a sibling decides
   * it ({@link SiblingLeftOut#leftOut} on the desired object with the field's zero in its place):
   * a NodePort Service's {@code externalTrafficPolicy: Local} left out is stored as {@code Cluster},
   * a container's {@code imagePullPolicy: Always} beside a tagged image as {@code IfNotPresent}, a
   * port's {@code targetPort} as its {@code port}; so the plan shows {@code Local -> Cluster}, not a
   * removal the server never makes. Null where the rules drop the field (a Deployment's
   * {@code rollingUpdate} beside {@code type: Recreate}, a {@code sessionAffinityConfig} under
   * {@code None}), whatever fixed default its type has. Else what the wrapped node says (a fixed
   * default; null where another manager owns the field or something in it, as the server keeps
   * their value): for a list element, and where no rule sets the field. A part of the value a feature
   * gate decides ({@link Defaulting#gated}: a StatefulSet's {@code maxUnavailable}, which an older
   * server does not store) is left out of it ({@link Defaulting#ungated}), so a partition left out
   * beside it shows {@code 3 -> 0} on any server; only a live value tells the gate, as {@link #hidden} reads it.
   */
  @Override
  public JsonNode storedWhenLeftOut() {
    JsonNode fixed = super.storedWhenLeftOut();
    if (name == null || parent == null || ownedByOthers(schema)) {
      return fixed;
    }
    JsonNode zero = shapedZero(schema);
    JsonNode stored = zero == null ? null : leftOut(zero);
    if (stored != null && stored.isNull()) {
      return null; // the rules drop it: removed, no default takes its place
    }
    if (stored == null || stored.isMissingNode() || stored.isContainerNode() && stored.isEmpty()) {
      return fixed; // no rule set it: the zero put in its place
    }
    // a part a feature gate decides is left to the live object: compared without it, its absence is no removal
    return Defaulting.gated(stored) ? Defaulting.ungated(stored) : stored;
  }

  /** True when {@code node}, through its wrappers, says that another manager owns something here ({@link OwnedNode}). */
  private static boolean ownedByOthers(FieldSchema.Node node) {
    for (FieldSchema.Node n = node; n instanceof ForwardingNode f; n = f.schema) {
      if (f instanceof OwnedNode) {
        return true;
      }
    }
    return false;
  }

  /** A value of the shape {@code node}'s type has, for {@link #zero}; null when the type is not known. */
  private static JsonNode shapedZero(FieldSchema.Node node) {
    SchemaField field = ForwardingNode.declared(node);
    if (field == null) {
      return null;
    }
    return switch (field.type.shape) {
      case LIST -> NODES.arrayNode();
      case STRUCT, MAP -> NODES.objectNode();
      case SCALAR -> NODES.nullNode();
      case ANY -> null;
    };
  }

  /**
   * True when {@code actual} and {@code stored} are maps of the same keys whose values are equal,
   * or quantities of the same value (a pod's requests the server summed from its containers' are
   * printed in its own form: {@link PodLevelRequests}).
   */
  private boolean sameQuantities(JsonNode actual, JsonNode stored, JsonNode lastApplied) {
    if (schema == null || !(actual instanceof ObjectNode a) || !(stored instanceof ObjectNode s) || a.size() != s.size()) {
      return false;
    }
    for (java.util.Map.Entry<String, JsonNode> e : a.properties()) {
      JsonNode other = s.get(e.getKey());
      FieldSchema.Node value = other == null ? null : schema.field(e.getKey());
      if (other == null || !Json.sameValue(e.getValue(), other) && (value == null
          || !SchemaField.QUANTITY.equals(value.hidden(e.getValue(), other, lastApplied)))) {
        return false;
      }
    }
    return true;
  }

  /**
   * What the server stores here when a write leaves this field out: the value {@link SiblingDefaults}
   * puts in place of its zero (the zero itself where no rule sets it); a JSON null when the rules
   * drop the field (or a field above it); null when no rule applies to the object at all.
   */
  private JsonNode leftOut(JsonNode actual) {
    JsonNode built = zero(actual);
    Deque<String> path = new ArrayDeque<>();
    for (LeftOutDefaults at = this; built != null && at.parent != null; at = at.parent) {
      if (at.name == null) {
        built = NODES.arrayNode().add(built); // field() and element() wrap only below an object or a list
        path.push("0");
      } else {
        ObjectNode object = NODES.objectNode();
        if (at.parent.desired instanceof ObjectNode kept) { // else left out: the struct another manager keeps
          object.setAll(kept);
        }
        built = object.set(at.name, built);
        path.push(at.name);
      }
    }
    if (built == null) {
      return null;
    }
    JsonNode value = SiblingLeftOut.leftOut(id, built);
    for (String segment : path) {
      if (value == null) {
        return null;
      }
      value = value.isArray() ? value.get(0) : value.get(segment);
      if (value == null) {
        return NODES.nullNode(); // the rules dropped it
      }
    }
    return value;
  }

  /**
   * What stands in the field's place as a write that leaves it out holds it: for a scalar the
   * missing node (a nil pointer, or a Go zero the rules read as left out), never a value the rules
   * could take for one written, so a field no rule sets keeps it and is no default
   * ({@code replicas: 0} beside a container's pull policy the rules fill in); an empty list or
   * object for a list or object.
   */
  private static JsonNode zero(JsonNode v) {
    if (v.isValueNode()) {
      return MissingNode.getInstance();
    }
    return v.isArray() ? NODES.arrayNode() : v.isObject() ? NODES.objectNode() : null;
  }
}

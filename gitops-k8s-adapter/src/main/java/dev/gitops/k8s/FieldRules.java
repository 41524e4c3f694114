package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldPath;
import dev.gitops.model.ResourceId;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes normalisation as a rule for one value at a time (see
 * {@link dev.gitops.diff.FieldNormalizer}): {@code status} and server-owned metadata dropped (by
 * their place: top level and {@code metadata}), noise annotations and empty labels and annotations
 * dropped, fields set to {@code null} dropped, a Secret's {@code stringData} folded into
 * {@code data}, an Endpoints' {@code subsets} repacked ({@link EndpointsRepack}), a Namespace's name
 * label as the server stores it ({@link NamespaceLabel}), and what the
 * server's defaulting derives from a sibling ({@link SiblingDefaults}). Nothing here matches a field by its name elsewhere in a tree: what depends on a
 * field's type (quantities, integers, keyed lists, zero values) is the schema's
 * ({@link SchemaField}). Applied top-down to every value it gives the tree the plain in-place
 * normalisation gives (checked on every fixture by {@code FieldRulesTest}), without mutating the
 * input and copying only what changes. Stateless. Not public API.
 */
final class FieldRules {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> SERVER_METADATA = Set.copyOf(Normalize.SERVER_METADATA);
  private static final Set<String> NOISE_ANNOTATIONS = Set.copyOf(Normalize.NOISE_ANNOTATIONS);

  private FieldRules() {}

  /** The normalised form of {@code v} at {@code path} of {@code id}: {@code v} itself, another node, or null to drop it. */
  public static JsonNode field(ResourceId id, FieldPath path, JsonNode v) {
    return field(id, path, v, false);
  }

  /**
   * As {@link #field(ResourceId, FieldPath, JsonNode)}, but a {@code null} value is kept when
   * {@code keepNull} (one the server keeps, of a custom resource: {@link CustomStorage}).
   */
  static JsonNode field(ResourceId id, FieldPath path, JsonNode v, boolean keepNull) {
    int depth = path.depth();
    if (depth == 0) {
      return root(id, v);
    }
    if (path.name(depth - 1) == null) {
      return v; // an array element
    }
    if (v.isNull() && !keepNull) {
      return null;
    }
    return depth <= 2 ? top(path, path.name(depth - 1), v) : v;
  }

  /**
   * A Secret's {@code stringData} folded into {@code data}, on a copy; an Endpoints' {@code subsets}
   * repacked as its registry stores them; a Namespace's name label and a v1beta3 priority level's zero shares
   * ({@link PriorityLevelShares}) as the server stores them; a CertificateSigningRequest without the
   * requester the server alone writes ({@link SigningRequester}); a {@code spec} holding a value
   * the server's defaulting derives from a sibling, as the server stores it ({@link SiblingDefaults}).
   */
  private static JsonNode root(ResourceId id, JsonNode v) {
    if ("Secret".equals(id.kind()) && id.group().isEmpty() && v.get("stringData") instanceof ObjectNode) {
      ObjectNode copy = (ObjectNode) v.deepCopy();
      Normalize.foldStringData(copy);
      return copy;
    }
    if ("Endpoints".equals(id.kind()) && id.group().isEmpty()) {
      ArrayNode subsets = EndpointsRepack.subsets(v.get("subsets"));
      if (subsets != null) {
        ObjectNode copy = NODES.objectNode().setAll((ObjectNode) v);
        return subsets.isEmpty() ? copy.without("subsets") : copy.set("subsets", subsets);
      }
    }
    JsonNode root = SigningRequester.root(id, PriorityLevelShares.root(id, NamespaceLabel.root(id, v)));
    ObjectNode spec = SiblingDefaults.spec(id, root);
    if (spec != null) {
      ObjectNode copy = NODES.objectNode().setAll((ObjectNode) root);
      copy.set("spec", spec);
      return copy;
    }
    return root;
  }

  /** {@code status} and server-owned metadata dropped, noise annotations and empty maps too. */
  private static JsonNode top(FieldPath path, String name, JsonNode v) {
    if (path.depth() == 1) {
      return name.equals("status") ? null : v;
    }
    if (!"metadata".equals(path.name(0))) {
      return v;
    }
    if (SERVER_METADATA.contains(name)) {
      return null;
    }
    if (name.equals("annotations") && v instanceof ObjectNode a) {
      ObjectNode kept = a;
      for (String noise : Normalize.NOISE_ANNOTATIONS) {
        if (a.has(noise)) {
          kept = NODES.objectNode();
          for (Map.Entry<String, JsonNode> e : a.properties()) {
            if (!NOISE_ANNOTATIONS.contains(e.getKey())) {
              kept.set(e.getKey(), e.getValue());
            }
          }
          break;
        }
      }
      return kept.isEmpty() ? null : kept;
    }
    if (name.equals("labels") && v.isObject() && v.isEmpty()) {
      return null;
    }
    return v;
  }
}

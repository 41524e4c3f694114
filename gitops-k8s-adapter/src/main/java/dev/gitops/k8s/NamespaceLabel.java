package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;

/**
 * The label a Namespace's name is stored in, as the API server stores it: core/v1
 * {@code SetDefaults_Namespace} sets {@value #KEY} to the object's name on every decode of a named
 * Namespace, overwriting a value given, and the Namespace strategy's {@code Canonicalize} does the
 * same after a {@code generateName}. So a manifest whose label names another Namespace (one
 * exported from a cluster, then renamed in Git) is stored with its own name, on every apply (corpus
 * pair 446): applied alike to the desired and the live object by the normalisation
 * ({@link FieldRules}), as the server applies it to every write. The label is never added where the
 * object lacks it (the server adds it to every Namespace, owned by nobody). Never mutates its input.
 * Stateless. Not public API.
 */
final class NamespaceLabel {
  /** The label ({@code v1.LabelMetadataName}). */
  static final String KEY = "kubernetes.io/metadata.name";

  private NamespaceLabel() {
  }

  /** {@code root}, an object of {@code id}, with the label set to its name where it holds other text: a copy; {@code root} when unchanged. */
  static JsonNode root(ResourceId id, JsonNode root) {
    if (!id.kind().equals("Namespace") || !id.group().isEmpty()) {
      return root; // asked of every object: the id first, the tree only for a Namespace
    }
    JsonNode name = root.path("metadata").path("name");
    JsonNode label = root.path("metadata").path("labels").path(KEY);
    if (!id.group().isEmpty() || !id.kind().equals("Namespace") || !name.isTextual() || name.asText().isEmpty()
        || !label.isTextual() || label.asText().equals(name.asText())) {
      return root;
    }
    ObjectNode labels = ((ObjectNode) root.path("metadata").path("labels")).deepCopy();
    labels.put(KEY, name.asText());
    ObjectNode metadata = JsonNodeFactory.instance.objectNode().setAll((ObjectNode) root.get("metadata"));
    metadata.set("labels", labels);
    ObjectNode copy = JsonNodeFactory.instance.objectNode().setAll((ObjectNode) root);
    copy.set("metadata", metadata);
    return copy;
  }

  /**
   * {@code root}, a Namespace of {@code id} whose labels lack the label ({@code null}, {@code ""} or
   * the missing node {@link LeftOutDefaults} puts in the place it judges), with the label set to its
   * name, as {@code SetDefaults_Namespace} stores every write, a JSON Patch or an apply that removes
   * it included: so the removal of a label {@code gitops} applied (an exported manifest's, then left
   * out of Git) is a default value, not a removal the server never makes (corpus pair 413). Null when
   * it is no such Namespace.
   */
  static ObjectNode leftOut(ResourceId id, ObjectNode root) {
    JsonNode name = root.path("metadata").path("name");
    if (!id.group().isEmpty() || !id.kind().equals("Namespace") || !name.isTextual() || name.asText().isEmpty()
        || !(root.path("metadata").get("labels") instanceof ObjectNode labels) || !labels.has(KEY)
        || !SiblingDefaults.lacks(labels.get(KEY))) {
      return null;
    }
    ObjectNode filled = JsonNodeFactory.instance.objectNode().setAll(labels);
    filled.put(KEY, name.asText());
    ObjectNode metadata = JsonNodeFactory.instance.objectNode().setAll((ObjectNode) root.get("metadata"));
    metadata.set("labels", filled);
    ObjectNode copy = JsonNodeFactory.instance.objectNode().setAll(root);
    copy.set("metadata", metadata);
    return copy;
  }
}

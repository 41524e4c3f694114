package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.util.Locale;

/**
 * What apiextensions/v1 {@code SetDefaults_CustomResourceDefinitionSpec} stores in a
 * CustomResourceDefinition's {@code spec.names} when a write leaves a name out, for
 * {@link SiblingLeftOut#leftOut}: a {@code singular} of length 0 becomes the kind in lower case
 * ({@code strings.ToLower}) and a {@code listKind} of length 0, beside a kind, the kind followed by
 * {@code List}. Both are {@code omitempty} strings, so a name Git leaves out, prints as an empty key
 * (applied, so owned) or quotes as {@code ""} is stored so on every write, and its removal is no
 * change. (The {@code conversion} it allocates when nil is a fixed default, {@link Defaulting#whenLeftOut}.)
 * Never mutates its input. Stateless. Not public API.
 */
final class DefinitionNames {
  private DefinitionNames() {}

  /** True for the kind whose names {@link #leftOut} defaults. */
  static boolean covers(ResourceId id) {
    return id.group().equals("apiextensions.k8s.io") && id.kind().equals("CustomResourceDefinition");
  }

  /** A copy of {@code root}, an object of {@code id}, with the names derived where they are lacking; null when none is. */
  static ObjectNode leftOut(ResourceId id, ObjectNode root) {
    if (!covers(id) || !(root.at("/spec/names") instanceof ObjectNode names)) {
      return null;
    }
    JsonNode kind = names.get("kind");
    if (kind == null || !kind.isTextual() || kind.textValue().isEmpty()
        || !SiblingDefaults.lacks(names.get("singular")) && !SiblingDefaults.lacks(names.get("listKind"))) {
      return null;
    }
    ObjectNode out = root.deepCopy();
    ObjectNode filled = (ObjectNode) out.at("/spec/names");
    if (SiblingDefaults.lacks(filled.get("singular"))) {
      filled.put("singular", kind.textValue().toLowerCase(Locale.ROOT));
    }
    if (SiblingDefaults.lacks(filled.get("listKind"))) {
      filled.put("listKind", kind.textValue() + "List");
    }
    return out;
  }
}

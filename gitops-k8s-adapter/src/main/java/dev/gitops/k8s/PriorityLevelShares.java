package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;

/**
 * A flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration's
 * {@code spec.limited.nominalConcurrencyShares} as the API server stores it (1.30 and 1.31 still
 * serve v1beta3; 1.32 removed it). In v1beta3 the field is a plain {@code int32}, and
 * {@code SetDefaults_PriorityLevelConfiguration} ({@code pkg/apis/flowcontrol/v1beta3/defaults.go})
 * replaces its 0 by 30 unless the object carries the annotation {@value #PRESERVE_ZERO}; a GET at
 * v1beta3 shows 30 then (and, for a stored 0, adds the annotation back:
 * {@code Convert_flowcontrol_PriorityLevelConfiguration_To_v1beta3_PriorityLevelConfiguration}).
 * The built-in table holds v1, where the field is a pointer whose 0 is kept, so this rewrite is
 * applied alike to the desired and the live object by the normalisation ({@link FieldRules}), as
 * the server applies it to every write (corpus pairs 406, 407). Never mutates its input. Stateless.
 * Not public API.
 */
final class PriorityLevelShares {
  /** {@code v1beta3.PriorityLevelPreserveZeroConcurrencySharesKey}. */
  static final String PRESERVE_ZERO = "flowcontrol.k8s.io/v1beta3-preserve-zero-concurrency-shares";
  /** {@code PriorityLevelConfigurationDefaultNominalConcurrencyShares}. */
  private static final int DEFAULT_SHARES = 30;

  private PriorityLevelShares() {
  }

  /** {@code root}, an object of {@code id}, with a v1beta3 zero of shares stored as 30: a copy; {@code root} when unchanged. */
  static JsonNode root(ResourceId id, JsonNode root) {
    if (!id.kind().equals("PriorityLevelConfiguration") || !id.group().equals("flowcontrol.apiserver.k8s.io")) {
      return root; // asked of every object: the id first, the tree only for a priority level
    }
    JsonNode shares = root.path("spec").path("limited").path("nominalConcurrencyShares");
    if (!"flowcontrol.apiserver.k8s.io/v1beta3".equals(root.path("apiVersion").asText(null))
        || !shares.isIntegralNumber() || shares.asLong() != 0
        || root.path("metadata").path("annotations").has(PRESERVE_ZERO)) {
      return root;
    }
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode limited = ((ObjectNode) root.get("spec").get("limited")).deepCopy();
    limited.put("nominalConcurrencyShares", DEFAULT_SHARES);
    ObjectNode spec = nodes.objectNode().setAll((ObjectNode) root.get("spec"));
    spec.set("limited", limited);
    ObjectNode copy = nodes.objectNode().setAll((ObjectNode) root);
    copy.set("spec", spec);
    return copy;
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldNormalizer;
import dev.gitops.diff.FieldPath;
import dev.gitops.model.ResourceId;

/**
 * Canonicalises Kubernetes objects before comparison, alike for desired and actual, so that what the
 * API server adds or rewrites at fixed places is not drift:
 *
 * <ul>
 *   <li>drops {@code status} and server-owned metadata ({@code managedFields},
 *       {@code resourceVersion}, {@code uid}, {@code generation}, {@code creationTimestamp},
 *       {@code selfLink}, deletion fields), the {@code kubectl.kubernetes.io/last-applied-configuration},
 *       {@code deployment.kubernetes.io/revision} and {@code deprecated.daemonset.template.generation}
 *       annotations (the server writes the last over any value), and this library's own
 *       bookkeeping annotation ({@value KubernetesTarget#APPLIED_ANNOTATION});
 *   <li>drops fields set to {@code null} and empty {@code labels} / {@code annotations} maps; in a
 *       custom resource whose CRD the preset's schema knows, only the nulls the API server drops
 *       (where the CRD declares the field and does not say {@code nullable: true}; a map value's or
 *       list element's null is its default when it has one), keeping those it stores (a Helm
 *       value set to null below {@code x-kubernetes-preserve-unknown-fields});
 *   <li>folds a Secret's {@code stringData} into base64 {@code data}, as the server does;
 *   <li>applies the defaults the server derives from a sibling field (a Service's affinity config
 *       under {@code None}, a port's {@code targetPort: 0}, a NetworkPolicy's empty
 *       {@code policyTypes}), which a schema node, seeing one value, cannot.
 * </ul>
 *
 * <p>What depends on a field's type (quantities, integer text, keyed lists and their default key
 * fields such as a port's {@code protocol}, zero values the server drops) is not normalised here
 * but known from the {@link KubernetesSchema}, which the preset {@link KubernetesDiff#options()}
 * carries: no rule matches a field by its name alone anywhere in a tree.
 *
 * <p>Idempotent, pure and thread-safe; returns the input tree itself when nothing changes. It never
 * copies the whole tree: only the paths that change are copied, the result shares every unchanged
 * subtree with the input, and {@code status} and {@code managedFields} are dropped unvisited. As a
 * {@link FieldNormalizer} it lets the {@link dev.gitops.diff.Differ} normalise only the fields it
 * compares: in desired-subset mode the live object's status, managed fields and defaults are
 * never visited.
 */
public final class KubernetesNormalizer implements FieldNormalizer {
  /** The CRDs known, or null: every null dropped. */
  private final KubernetesSchema schema;

  /** The normaliser without a schema: it drops every null, custom resources' too. */
  public KubernetesNormalizer() {
    this(null);
  }

  /**
   * The normaliser of {@link KubernetesDiff#options(KubernetesSchema, dev.gitops.diff.PathRule...)}:
   * the nulls of custom resources judged by their CRDs ({@link CustomStorage#nulls}).
   */
  KubernetesNormalizer(KubernetesSchema schema) {
    this.schema = schema;
  }

  @Override
  public JsonNode field(ResourceId id, FieldPath path, JsonNode value) {
    if (schema == null || path.depth() > 0 && !value.isNull()) {
      return FieldRules.field(id, path, value);
    }
    if (path.depth() == 0) {
      JsonNode apiVersion = value.get("apiVersion");
      SchemaField custom = schema.custom(id, apiVersion != null && apiVersion.isTextual()
          ? apiVersion.textValue() : null);
      JsonNode out = FieldRules.field(id, path, value);
      return custom == null ? out : CustomStorage.nulls(custom, out);
    }
    return FieldRules.field(id, path, value, schema.custom(id, null) != null); // a null the root's rules kept
  }

  @Override
  public String toString() {
    return "KubernetesNormalizer";
  }
}

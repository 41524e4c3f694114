package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldNormalizer;
import dev.gitops.diff.FieldPath;
import dev.gitops.k8s.internal.FieldRules;
import dev.gitops.model.ResourceId;

/**
 * Canonicalises Kubernetes objects before comparison, alike for desired and actual, so that what the
 * API server adds or rewrites is not drift:
 *
 * <ul>
 *   <li>drops {@code status} and server-owned metadata ({@code managedFields},
 *       {@code resourceVersion}, {@code uid}, {@code generation}, {@code creationTimestamp},
 *       {@code selfLink}, deletion fields), the {@code kubectl.kubernetes.io/last-applied-configuration}
 *       and {@code deployment.kubernetes.io/revision} annotations, and this library's own
 *       bookkeeping annotation ({@value KubernetesTarget#APPLIED_ANNOTATION});
 *   <li>drops fields set to {@code null} and empty {@code labels} / {@code annotations} maps;
 *   <li>writes resource quantities in one form ({@code 1000m} = {@code 1}, {@code 1Gi} =
 *       {@code 1024Mi}) under {@code limits}, {@code requests}, {@code hard}, {@code capacity} and
 *       the like;
 *   <li>turns integer text into numbers in numeric and int-or-string fields ({@code port},
 *       {@code targetPort}, {@code containerPort}, {@code replicas}, {@code maxSurge}, ...,
 *       {@code *Seconds}), and gives ports without a protocol the server's default {@code TCP};
 *   <li>folds a Secret's {@code stringData} into base64 {@code data}, as the server does.
 * </ul>
 *
 * <p>Idempotent, pure and thread-safe; returns the input tree itself when nothing changes. It never
 * copies the whole tree: only the paths that change are copied, the result shares every unchanged
 * subtree with the input, and {@code status} and {@code managedFields} are dropped unvisited. As a
 * {@link FieldNormalizer} it lets the {@link dev.gitops.diff.Differ} normalise only the fields it
 * compares: in desired-subset mode the live object's status, managed fields and defaults are
 * never visited.
 */
public final class KubernetesNormalizer implements FieldNormalizer {

  /** The normaliser; it has no configuration. */
  public KubernetesNormalizer() {}

  @Override
  public JsonNode field(ResourceId id, FieldPath path, JsonNode value) {
    return FieldRules.field(id, path, value);
  }

  @Override
  public String toString() {
    return "KubernetesNormalizer";
  }
}

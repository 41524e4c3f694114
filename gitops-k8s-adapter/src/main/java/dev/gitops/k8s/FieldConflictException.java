package dev.gitops.k8s;

import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import java.util.List;

/**
 * Server-side apply refused to take fields that another field manager owns. Lists each field with
 * its manager, as the API server reported it; apply again with
 * {@link KubernetesTarget.Options#withForce(boolean) force} to take them over.
 */
public class FieldConflictException extends TargetException {
  private static final long serialVersionUID = 1L;
  private final transient List<String> conflicts;

  /**
   * A conflict report; the message lists every field and says how to take them over.
   *
   * @param id the resource
   * @param conflicts one entry per field: {@code .spec.replicas (manager kubectl)}
   */
  public FieldConflictException(ResourceId id, List<String> conflicts) {
    super(id, "field conflicts with other managers (apply with force to take them over): "
        + String.join(", ", conflicts), false, null);
    this.conflicts = List.copyOf(conflicts);
  }

  /**
   * {@return the conflicting fields, each with its manager as the API server named it, e.g.
   * {@code .spec.replicas (manager kubectl)}; never empty}
   */
  public List<String> conflicts() {
    return conflicts;
  }
}

package dev.gitops.k8s;

import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import java.util.List;

/**
 * A write refused to take fields that another field manager owns: server-side apply's conflict, or
 * the same check of a {@code JSON_PATCH} update ({@code PatchConflicts}). Lists each field with its
 * manager; apply again with {@link KubernetesTarget.Options#withForce(boolean) force} to take them
 * over.
 */
public class FieldConflictException extends TargetException {
  private static final long serialVersionUID = 1L;
  private final transient List<String> conflicts;

  /**
   * A conflict report; the message lists every field and says how to take them over.
   *
   * @param id the resource
   * @param conflicts one entry per field, named as the API server names it:
   *     {@code .spec.template.spec.containers[name="app"].image (manager kubectl)}
   */
  public FieldConflictException(ResourceId id, List<String> conflicts) {
    super(id, "field conflicts with other managers (apply with force to take them over): "
        + String.join(", ", conflicts), false, null);
    this.conflicts = List.copyOf(conflicts);
  }

  /**
   * {@return the conflicting fields, each with its manager, the field named as the API server names
   * it in a conflict (structured-merge-diff's field path: a list element by its key, never by its
   * index), under either {@link ApplyStrategy}: {@code .spec.containers[name="app"].image (manager
   * kubectl)} from {@code JSON_PATCH}, {@code .spec.replicas (conflict with "kubectl" using apps/v1)}
   * as the server answers a server-side apply; never empty}
   */
  public List<String> conflicts() {
    return conflicts;
  }
}

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
    this(id, conflicts, null);
  }

  /**
   * A conflict report with the server's answer kept as its cause.
   *
   * @param id the resource
   * @param conflicts one entry per field, as {@link #FieldConflictException(ResourceId, List)} takes them
   * @param cause the server's refusal (its whole message: the server-side apply 409), or null
   */
  public FieldConflictException(ResourceId id, List<String> conflicts, Throwable cause) {
    super(id, "field conflicts with other managers (apply with force to take them over): "
        + String.join(", ", conflicts), false, cause);
    this.conflicts = List.copyOf(conflicts);
  }

  /**
   * {@return the conflicting fields, each with its manager, the field named as the API server names
   * it in a conflict (structured-merge-diff's field path: a list element by its key, never by its
   * index), one format under either {@link ApplyStrategy}: {@code .spec.containers[name="app"].image
   * (manager kubectl)}, with {@code , subresource status} after a manager that wrote through one.
   * Under server-side apply the manager is read from the server's 409 causes (its text
   * {@code conflict with "kubectl" using apps/v1} kept whole when it is not of that shape; the
   * server's answer is the {@linkplain #getCause() cause}); never empty}
   */
  public List<String> conflicts() {
    return conflicts;
  }
}

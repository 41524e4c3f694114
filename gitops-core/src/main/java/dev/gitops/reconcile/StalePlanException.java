package dev.gitops.reconcile;

import dev.gitops.GitOpsException;
import dev.gitops.model.ResourceId;
import java.util.List;

/**
 * A push deploy was refused: the plan made now differs from the plan that was approved, because the
 * revision or the target moved since. Names what moved. Nothing was written.
 */
public class StalePlanException extends GitOpsException {
  private static final long serialVersionUID = 1L;
  /** The approved plan's fingerprint. */
  private final String approvedFingerprint;
  /** The fresh plan's fingerprint. */
  private final String freshFingerprint;
  private final transient List<ResourceId> moved;

  /**
   * A refusal naming what moved.
   *
   * @param message where and what, naming what moved
   * @param approvedFingerprint the approved plan's fingerprint
   * @param freshFingerprint the fresh plan's fingerprint
   * @param moved the ids whose steps differ, sorted (may be empty when only inputs that do not
   *     change any step moved)
   */
  public StalePlanException(String message, String approvedFingerprint, String freshFingerprint,
                               List<ResourceId> moved) {
    super(message);
    this.approvedFingerprint = approvedFingerprint;
    this.freshFingerprint = freshFingerprint;
    this.moved = List.copyOf(moved);
  }

  /** {@return the approved plan's {@link dev.gitops.plan.Plan#fingerprint() fingerprint}} */
  public String approvedFingerprint() {
    return approvedFingerprint;
  }

  /** {@return the fingerprint of the plan made now, which differs from the approved one} */
  public String freshFingerprint() {
    return freshFingerprint;
  }

  /**
   * {@return the ids whose steps differ between the approved and the fresh plan, sorted; empty when
   * only inputs that change no step moved}
   */
  public List<ResourceId> moved() {
    return moved;
  }
}

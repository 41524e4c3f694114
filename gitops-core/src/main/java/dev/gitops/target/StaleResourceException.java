package dev.gitops.target;

import dev.gitops.model.ResourceId;

/** A resource moved since the plan was made: its version or digest is not the one planned against. */
public class StaleResourceException extends TargetException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal to write a resource that moved; never retryable (re-plan instead).
   *
   * @param id the resource
   * @param expected what the plan recorded
   * @param found what the target holds now ({@code absent} when gone)
   */
  public StaleResourceException(ResourceId id, String expected, String found) {
    super(id, "changed since the plan was made (planned against " + expected + ", found " + found + ")",
        false, null);
  }
}

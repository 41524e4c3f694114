package dev.gitops.diff;

/**
 * Differences at a path that a rule hid from the diff, and how many.
 *
 * @param rule the rule that hid them, as it prints: an ignore rule
 *     ({@code ignore apps/Deployment/*: /spec/replicas}) or the reason a {@link FieldSchema} gave
 *     ({@code zero value})
 * @param count how many differences it hid in this resource
 */
public record Suppressed(String rule, int count) {
  @Override
  public String toString() {
    return count + " hidden by " + rule;
  }
}

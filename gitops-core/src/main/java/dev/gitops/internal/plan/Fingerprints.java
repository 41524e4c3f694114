package dev.gitops.internal.plan;

import dev.gitops.diff.PathRule;
import dev.gitops.internal.Digests;
import dev.gitops.plan.Wave;
import java.util.List;

/**
 * Plan fingerprints: SHA-256 over the canonical JSON of what the plan does (owner and every step
 * with its precondition, desired content and diff; sensitive values only as digests), without the
 * revision. Two plans have equal fingerprints exactly when their JSON is equal but for the revision.
 * Not part of the public API.
 */
public final class Fingerprints {
  private Fingerprints() {}

  /** The fingerprint of a plan for {@code owner} with {@code waves}. */
  public static String of(String owner, List<Wave> waves, List<PathRule> sensitive) {
    return Digests.ofBytes(new PlanJsonWriter(PlanSecrets.rules(sensitive))
        .canonicalBody(owner, waves));
  }
}

package dev.gitops.internal.plan;

import dev.gitops.diff.PathRule;
import dev.gitops.diff.Suppressed;
import dev.gitops.internal.Digests;
import dev.gitops.plan.Action;
import dev.gitops.plan.Wave;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Plan fingerprints: SHA-256 over what the plan does — the owner, then wave by wave every step:
 * for a step that changes something the canonical JSON the plan's JSON holds for it (kind, id,
 * precondition, desired content, diff; sensitive values only as digests), for a no-op its id and
 * suppressed counts. The revision is not covered. Every field is length-prefixed, so two plans
 * have equal fingerprints exactly when their JSON is equal but for the revision. Unchanged
 * resources cost one id each: no content is serialised or digested for them. Not part of the
 * public API.
 */
public final class Fingerprints {
  private Fingerprints() {}

  /** The fingerprint of a plan for {@code owner} with {@code waves}. */
  public static String of(String owner, List<Wave> waves, List<PathRule> sensitive) {
    PlanJsonWriter writer = new PlanJsonWriter(PlanSecrets.rules(sensitive));
    MessageDigest d = Digests.sha256();
    field(d, "gitops-plan-1");
    field(d, owner);
    for (Wave w : waves) {
      field(d, "wave " + w.index() + " " + w.actions().size());
      for (Action a : w.actions()) {
        if (a instanceof Action.NoOp noop) {
          field(d, "noop");
          field(d, noop.id().toString());
          if (!noop.diff().changes().isEmpty()) {
            field(d, writer.canonicalAction(a));
          }
          for (Suppressed s : noop.diff().suppressed()) {
            field(d, s.rule());
            field(d, Integer.toString(s.count()));
          }
        } else {
          field(d, a.kind().word());
          field(d, writer.canonicalAction(a));
        }
      }
    }
    return Digests.format(d);
  }

  private static void field(MessageDigest d, String text) {
    field(d, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void field(MessageDigest d, byte[] bytes) {
    int n = bytes.length;
    d.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    d.update(bytes);
  }
}

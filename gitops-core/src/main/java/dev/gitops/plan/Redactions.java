package dev.gitops.plan;

import dev.gitops.diff.Change;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.internal.diff.Redactor;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;

/** Finds redaction markers in a plan. Not part of the public API. */
final class Redactions {
  private Redactions() {}

  /** True when any desired content or diff value of {@code plan} holds a redaction marker. */
  public static boolean any(Plan plan) {
    for (Action a : plan.actions()) {
      boolean found = switch (a.kind()) {
        case CREATE -> in(((Action.Create) a).desired());
        case UPDATE -> in(((Action.Update) a).desired()) || in(((Action.Update) a).diff());
        case ADOPT -> in(((Action.Adopt) a).desired()) || in(((Action.Adopt) a).diff());
        case NOOP -> in(((Action.NoOp) a).diff());
        case DELETE, RUN -> false;
      };
      if (found) {
        return true;
      }
    }
    return false;
  }

  private static boolean in(Resource r) {
    Content c = r.content();
    if (c instanceof Content.Tree t) {
      return Redactor.containsMarker(t.node());
    }
    return c instanceof Content.Bytes b && !b.isLarge() && Redactor.isMarker(b.data());
  }

  private static boolean in(ResourceDiff d) {
    for (Change c : d.changes()) {
      if (Redactor.containsMarker(c.before()) || Redactor.containsMarker(c.after())) {
        return true;
      }
    }
    return false;
  }
}

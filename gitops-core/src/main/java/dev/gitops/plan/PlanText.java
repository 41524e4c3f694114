package dev.gitops.plan;

import dev.gitops.diff.Change;
import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.DiffRenderer;
import dev.gitops.diff.PathRule;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.internal.diff.Redactor;
import dev.gitops.internal.diff.SecretValues;
import dev.gitops.model.Content;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.Optional;

/**
 * Renders a plan for review: the summary, then wave by wave every step that changes something with
 * its sign, id and origin in the repository ({@code from base/deploy.yaml:12}), updates and adoptions with their unified diff (sensitive values masked), handler
 * runs with what triggered them. Names (ids, origins, the revision) print escaped
 * ({@link ResourceId#escape}). Not part of the public API.
 */
final class PlanText {
  private PlanText() {}

  /** The plan as text; {@code options} decide masking, ignore views and merge keys. */
  public static String render(Plan plan, DiffOptions options) {
    DiffOptions masked = options; // the differ's rules add a Secret's values (SecretValues)
    StringBuilder out = new StringBuilder(plan.summary()).append('\n');
    if (!plan.revision().isEmpty()) {
      out.append("Revision: ").append(ResourceId.escape(plan.revision())).append('\n');
    }
    for (Wave w : plan.waves()) {
      if (w.isEmpty()) {
        continue;
      }
      out.append("\nWave ").append(w.index()).append(":\n");
      for (Action a : w.actions()) {
        if (a.kind() != Action.Kind.NOOP) {
          step(out, a, masked);
        }
      }
    }
    return out.toString();
  }

  private static void step(StringBuilder out, Action a, DiffOptions options) {
    out.append("  ").append(a.kind().sign()).append(' ').append(a.kind().word()).append(' ')
        .append(a.id()).append(from(a));
    switch (a.kind()) {
      case UPDATE -> diff(out, ((Action.Update) a).desired(), ((Action.Update) a).diff(), options);
      case ADOPT -> {
        Action.Adopt ad = (Action.Adopt) a;
        if (ad.diff().isEmpty()) {
          out.append(" (ownership only)\n");
        } else {
          diff(out, ad.desired(), ad.diff(), options);
        }
      }
      case RUN -> {
        Action.Run r = (Action.Run) a;
        out.append(" (because ").append(r.because().size()).append(r.because().size() == 1
            ? " resource changed: " : " resources changed: ");
        for (int i = 0; i < r.because().size(); i++) {
          out.append(i == 0 ? "" : ", ").append(r.because().get(i));
        }
        out.append(")\n");
      }
      default -> out.append('\n');
    }
  }

  /**
   * {@code " from base/deploy.yaml:12"}: where the step's resource (or handler) was declared in the
   * repository, or {@code ""} when unknown or when it says nothing the id does not (a file's origin
   * is the file itself).
   */
  public static String from(Action a) {
    Origin o = a.origin();
    return o.file().isEmpty() || a.id().kind().equals("File") ? "" : " from " + o;
  }

  private static void diff(StringBuilder out, Resource desired, ResourceDiff diff, DiffOptions options) {
    out.append('\n');
    ResourceId id = desired.id();
    for (Change c : diff.changes()) {
      if (c.sensitive()) {
        String path = c.path().endsWith("/-") ? c.path().substring(0, c.path().length() - 1) + "*" : c.path();
        options = options.masking(new PathRule(id.group(), id.kind(), id.name(), path));
      }
    }
    Optional<Content> actual = ActualView.of(id, desired.content(), diff, options);
    String text = actual.isPresent()
        ? DiffRenderer.unified(id, actual.get(), desired.content(), diff, options)
        : changes(id, diff);
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) {
        out.append("      ").append(line).append('\n');
      }
    }
    String explain = diff.explain();
    for (String line : explain.split("\n")) {
      if (!line.isEmpty()) {
        out.append("      (").append(line).append(")\n");
      }
    }
  }

  private static String changes(ResourceId id, ResourceDiff diff) {
    StringBuilder out = new StringBuilder();
    for (Change c : diff.changes()) {
      boolean hidden = c.sensitive() || SecretValues.at(id, c.path()) || Redactor.containsMarker(c.before())
          || Redactor.containsMarker(c.after());
      out.append(hidden ? new Change(c.op(), c.path(), c.before(), c.after(), true) : c).append('\n');
    }
    return out.toString();
  }
}

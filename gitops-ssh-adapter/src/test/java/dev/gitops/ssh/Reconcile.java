package dev.gitops.ssh;

import dev.gitops.apply.Applier;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.model.DesiredState;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.source.LoaderContract;
import dev.gitops.target.Scope;
import java.time.Duration;
import java.util.Map;

/** One reconcile of {@code hosts/web} of a snapshot onto a files target: load, read, plan, apply. */
public final class Reconcile {
  private Reconcile() {}

  public static Plan plan(FilesTarget target, Map<String, String> files, String owner) {
    return plan(target, files, PlanOptions.defaults().withOwner(owner));
  }

  public static Plan plan(FilesTarget target, Map<String, String> files, PlanOptions options) {
    DesiredState desired = FileTreeLoader.of("hosts/web").load(LoaderContract.snapshot(files));
    return new Planner().plan(desired, target.read(Scope.of(options.owner(), desired.byId().keySet())), options);
  }

  public static ApplyReport once(FilesTarget target, Map<String, String> files, String owner) {
    return apply(target, plan(target, files, owner));
  }

  public static ApplyReport once(FilesTarget target, Map<String, String> files, PlanOptions options) {
    return apply(target, plan(target, files, options));
  }

  public static ApplyReport apply(FilesTarget target, Plan plan) {
    ApplyReport report = new Applier().apply(plan, target,
        ApplyOptions.defaults().withRetry(1, Duration.ZERO, Duration.ZERO));
    target.flush();
    return report;
  }
}

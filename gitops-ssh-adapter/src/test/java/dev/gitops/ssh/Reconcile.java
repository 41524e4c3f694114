package dev.gitops.ssh;

import dev.gitops.apply.Applier;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.target.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** One reconcile of {@code hosts/web} of a snapshot onto a files target: load, read, plan, apply. */
public final class Reconcile {
  private Reconcile() {}

  public static Snapshot snapshot(Map<String, String> files) {
    Map<String, Content.Bytes> bytes = new TreeMap<>();
    files.forEach((p, t) -> bytes.put(p, Content.bytes(t.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR)));
    return Snapshot.of(Revision.of("0123456789abcdef0123456789abcdef01234567"), bytes);
  }

  public static Plan plan(FilesTarget target, Map<String, String> files, String owner) {
    DesiredState desired = FileTreeLoader.of("hosts/web").load(snapshot(files));
    return new Planner().plan(desired, target.read(Scope.of(owner, desired.byId().keySet())),
        PlanOptions.defaults().withOwner(owner));
  }

  public static ApplyReport once(FilesTarget target, Map<String, String> files, String owner) {
    return apply(target, plan(target, files, owner));
  }

  public static ApplyReport apply(FilesTarget target, Plan plan) {
    ApplyReport report = new Applier().apply(plan, target,
        ApplyOptions.defaults().withRetry(1, Duration.ZERO, Duration.ZERO));
    target.flush();
    return report;
  }
}

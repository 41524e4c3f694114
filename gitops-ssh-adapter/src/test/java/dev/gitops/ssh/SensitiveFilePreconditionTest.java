package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.PathRule;
import dev.gitops.model.DesiredState;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.source.LoaderContract;
import dev.gitops.target.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file whose content a custom sensitive rule hides: the plan's precondition for changing it is a
 * keyed digest, so a saved plan never holds the unkeyed digest of what is on the target (with it,
 * a guess of a short secret could be confirmed offline), and the precondition still guards the step.
 */
class SensitiveFilePreconditionTest {
  private static final ResourceId ID = ResourceId.file("db.password");
  @TempDir Path root;

  private static Plan plan(FilesTarget target, String content) {
    DesiredState desired = FileTreeLoader.of("hosts/web").load(LoaderContract.snapshot(Map.of("hosts/web/db.password", content)));
    DiffOptions masked = DiffOptions.defaults().masking(new PathRule("", "File", "db.password", "/content"));
    return new Planner().plan(desired, target.read(Scope.of("web", desired.byId().keySet())),
        PlanOptions.defaults().withOwner("web").withDiff(masked));
  }

  @Test
  void aSavedPlanHoldsNoUnkeyedDigestOfTheSensitiveFileOnTheTarget() throws Exception {
    FilesTarget target = FilesTarget.of(LocalHost.create(), root.toString());
    assertTrue(Reconcile.once(target, Map.of("hosts/web/db.password", "hunter2\n"), "web").isSuccess());
    String onTarget = target.read(Scope.of("web", java.util.Set.of(ID))).get(ID).resource().content().digest();
    String hex = onTarget.substring(onTarget.indexOf(':') + 1); // what anyone can compute from a guess

    Plan plan = plan(target, "s3cret-2\n");
    String json = plan.toJson();
    assertFalse(json.contains(hex), "the plan holds the unkeyed digest of the file on the target:\n" + json);
    assertFalse(json.contains("hunter2") || json.contains("s3cret-2"), json);

    ApplyReport applied = Reconcile.apply(target, plan);
    assertTrue(applied.isSuccess(), applied::toString);
    assertEquals("s3cret-2\n", Files.readString(root.resolve("db.password")));
  }

  @Test
  void theKeyedPreconditionStillRefusesAFileThatMovedSinceThePlan() throws Exception {
    FilesTarget target = FilesTarget.of(LocalHost.create(), root.toString());
    assertTrue(Reconcile.once(target, Map.of("hosts/web/db.password", "hunter2\n"), "web").isSuccess());
    Plan plan = plan(target, "s3cret-2\n");
    Files.writeString(root.resolve("db.password"), "changed by hand\n");

    ApplyReport stale = Reconcile.apply(target, plan);
    assertFalse(stale.isSuccess(), stale::toString);
    assertEquals("changed by hand\n", Files.readString(root.resolve("db.password")));
  }
}

package dev.gitops.samples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.reconcile.ReconcileResult;

/**
 * Machine output of {@code apply}, {@code push} and {@code pull --once} with {@code --json}, format
 * {@code gitops-apply-report} version 1: the revision, the plan's fingerprint, summary and counts,
 * the report's summary and counts, and one entry per step that did something (every step with
 * {@code --include-noops}) with its outcome (a handler's output as {@code detail}). Never file
 * contents.
 */
final class ReportJson {
  private ReportJson() {}

  static String of(ReconcileResult result, boolean includeNoops) {
    ObjectNode root = MachineJson.JSON.createObjectNode();
    root.put("format", "gitops-apply-report");
    root.put("format_version", MachineJson.FORMAT_VERSION);
    root.put("revision", result.revision().id());
    root.put("owner", result.plan().owner());
    root.put("fingerprint", result.plan().fingerprint());
    root.put("plan_summary", result.plan().summary());
    root.set("plan_counts", MachineJson.planCounts(result.plan()));
    root.put("summary", result.report().summary());
    root.set("counts", MachineJson.reportCounts(result.report()));
    root.put("success", result.isSuccess());
    root.put("dry_run", result.report().dryRun());
    root.put("took_ms", result.timings().total().toMillis());
    root.put("includes_noops", includeNoops);
    root.set("steps", MachineJson.steps(result.report().outcomes(), includeNoops, result.plan()));
    return MachineJson.write(root);
  }
}

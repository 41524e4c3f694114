package dev.gitops.samples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.apply.Outcome;
import dev.gitops.reconcile.ReconcileResult;

/**
 * Machine output of {@code apply}, {@code push} and {@code pull --once} with {@code --json}: the
 * revision, the plan's summary, and one entry per step with its outcome (a handler's output as
 * {@code detail}). Never file contents.
 */
final class ReportJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportJson() {}

  static String of(ReconcileResult result) {
    ObjectNode root = JSON.createObjectNode();
    root.put("revision", result.revision().id());
    root.put("plan", result.plan().summary());
    root.put("fingerprint", result.plan().fingerprint());
    root.put("success", result.isSuccess());
    root.put("dry_run", result.report().dryRun());
    root.put("took_ms", result.timings().total().toMillis());
    ArrayNode steps = root.putArray("steps");
    for (Outcome o : result.report().outcomes()) {
      ObjectNode step = steps.addObject();
      step.put("id", o.action().id().toString());
      step.put("action", o.action().kind().word());
      step.put("outcome", o.kind().word());
      if (o instanceof Outcome.Failed f) {
        step.put("message", f.cause().getMessage());
      } else if (o instanceof Outcome.Skipped s) {
        step.put("message", s.reason());
      } else if (o instanceof Outcome.Applied a && !a.detail().isEmpty()) {
        step.put("detail", a.detail());
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}

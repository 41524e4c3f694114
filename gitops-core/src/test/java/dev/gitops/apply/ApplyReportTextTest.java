package dev.gitops.apply;

import static dev.gitops.apply.Plans.create;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.GitOpsException;
import dev.gitops.model.Fixtures;
import dev.gitops.plan.Action;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A report's text shows what targets and handlers said with their invisible characters escaped. */
class ApplyReportTextTest {
  private final Action a = create(Fixtures.file("conf/a\u200db.yaml", "x"));

  @Test
  void aFailureMessageCannotForgeALineNorHideCharacters() {
    ApplyReport report = new ApplyReport(List.of(new Outcome.Failed(a,
        new GitOpsException("denied\napplied create File//conf/ab.yaml \u202eok"), Duration.ZERO)), Duration.ZERO, false);
    assertEquals(report.summary() + "\n  failed create File//conf/a\\u200db.yaml: denied\\napplied create"
        + " File//conf/ab.yaml \\u202eok", report.toString());
  }

  @Test
  void aHandlersOutputAndASkipReasonPrintTheirHiddenCharactersEscaped() {
    ApplyReport report = new ApplyReport(List.of(new Outcome.Applied(a, Duration.ZERO, "ok\u001b[2J\tdone\r\nnext\u2028line"),
        new Outcome.Skipped(a, "moved\u200b")), Duration.ZERO, false);
    assertEquals(report.summary() + "\n  applied create File//conf/a\\u200db.yaml:\n    ok\\x1b[2J\tdone\n    next\\u2028line"
        + "\n  skipped create File//conf/a\\u200db.yaml: moved\\u200b", report.toString());
  }
}

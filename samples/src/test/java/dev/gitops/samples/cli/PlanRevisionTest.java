package dev.gitops.samples.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A plan's revision and owner print escaped in every view of it, as the plan's own text prints them:
 * the stat and step views and the Markdown comment too.
 */
class PlanRevisionTest {
  private static final Plan PLAN = new Plan("web\u001b[2J", "0123\r\u202e", List.of(new Wave(0, List.of(
      new Action.Create(Resource.of(ResourceId.file("f"), Content.bytes(new byte[] {1}, FileMode.of(0644))))))),
      "sha256:" + "0".repeat(64));

  @Test
  void everyViewPrintsTheRevisionAndOwnerEscaped() {
    for (String text : List.of(PlanViews.text(PLAN, Console.DiffMode.stat), PlanViews.text(PLAN, Console.DiffMode.none),
        PlanViews.text(PLAN, Console.DiffMode.full), PlanMarkdown.render(PLAN))) {
      assertTrue(text.contains("0123\\r\\u202e"), text);
      assertFalse(text.contains("\r") || text.contains("\u202e") || text.contains("\u001b"), ResourceId.escape(text));
    }
    assertTrue(PlanMarkdown.render(PLAN).contains("owner `web\\x1b[2J`"), PlanMarkdown.render(PLAN));
  }
}

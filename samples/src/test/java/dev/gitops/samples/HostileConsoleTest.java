package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gitops.GitOpsException;
import dev.gitops.apply.Outcome;
import dev.gitops.diff.Change;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import dev.gitops.reconcile.Drift;
import dev.gitops.samples.cli.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the console prints on standard error in words it did not write — a commit message, a tag's
 * name, a failure a server or host put into words, a drifted field's path — never drives the terminal
 * nor forges a line: escapes, carriage returns, line separators and direction overrides print escaped.
 */
class HostileConsoleTest {
  /** An escape that clears the screen, a carriage return, a line separator and a direction override. */
  private static final String HOSTILE = "a\u001b[2J\rb\u2028c\u202ed\n[INFO] forged";

  private final StringWriter err = new StringWriter();
  private final Console console = new Console(new PrintWriter(new StringWriter()), new PrintWriter(err),
      new Console.Style(false, false, Console.DiffMode.auto, false));

  private static void assertHarmless(String text) {
    for (String bad : List.of("\u001b", "\r", "\u2028", "\u202e", "\n[INFO]")) {
      assertTrue(!text.contains(bad), "raw " + ResourceId.escape(bad) + " in: " + ResourceId.escape(text));
    }
  }

  @Test
  void aCommitMessageAndATagNamePrintEscapedOnOneLine() {
    console.revisionSeen(new Revision("0123456789abcdef0123456789abcdef01234567", "v1\u202e2", "", Instant.EPOCH,
        HOSTILE));
    String text = err.toString();
    assertHarmless(text);
    assertEquals("revision 0123456789ab (v1\\u202e2): a\\x1b[2J\\rb\\u2028c\\u202ed\n", text);
  }

  @Test
  void aFailuresMessageAndASkipsReasonPrintEscapedOnTheStepsLine() {
    Action create = new Action.Create(Resource.of(ResourceId.file("f"), Content.bytes(new byte[] {1},
        dev.gitops.model.FileMode.of(0644))));
    console.planned(new Plan("o", "", List.of(new Wave(0, List.of(create))), "sha256:" + "0".repeat(64)));
    console.applied(new Outcome.Failed(create, new GitOpsException(HOSTILE), Duration.ZERO));
    console.applied(new Outcome.Skipped(create, HOSTILE));
    String text = err.toString();
    assertHarmless(text);
    assertEquals(2, text.split("\n", -1).length - 1, "one line a step: " + ResourceId.escape(text));
    assertTrue(text.startsWith("  failed create File//f: a\\x1b[2J\\rb\\u2028c\\u202ed\\n[INFO] forged\n"), text);
  }

  @Test
  void aServersAnswerQuotingASecretsValuePrintsItMasked() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    com.fasterxml.jackson.databind.node.ObjectNode secret = f.objectNode().put("apiVersion", "v1").put("kind", "Secret");
    secret.putObject("stringData").put("password", "hunter2-in-a-422");
    Action create = new Action.Create(Resource.of(ResourceId.of("Secret", "default", "db"), Content.tree(secret)));
    console.planned(new Plan("o", "", List.of(new Wave(0, List.of(create))), "sha256:" + "0".repeat(64)));
    console.applied(new Outcome.Failed(create, new GitOpsException("HTTP 422: Secret \"db\" is invalid:"
        + " stringData.password: Invalid value: \"hunter2-in-a-422\": denied by policy"), Duration.ZERO));
    String text = err.toString();
    assertTrue(!text.contains("hunter2"), text);
    assertTrue(text.contains("Invalid value: \"***\": denied by policy"), text);
  }

  @Test
  void aDriftedFieldsPathPrintsEscaped() {
    ResourceId id = ResourceId.of("ConfigMap", "default", "web");
    JsonNodeFactory f = JsonNodeFactory.instance;
    ResourceDiff diff = new ResourceDiff(id, List.of(new Change(Change.Op.REPLACE, "/data/" + HOSTILE,
        f.textNode("1"), f.textNode("2"), false)), List.of());
    Resource desired = Resource.of(id, Content.tree(f.objectNode()));
    Plan plan = new Plan("o", "", List.of(new Wave(0, List.of(new Action.Update(desired, diff, "")))),
        "sha256:" + "0".repeat(64));
    console.driftFound(new Drift(Revision.of("0123456789abcdef0123456789abcdef01234567"), plan));
    String text = err.toString();
    assertHarmless(text);
    assertEquals(1, text.split("\n", -1).length - 1, ResourceId.escape(text));
  }

  @Test
  void anAgentsFailureKeepsItsLinesAndEscapesTheRest() {
    console.reportingFailures().failed(new GitOpsException("2 problems:\n  a.yaml:1: x\u001b[31m\r\n  b.yaml:2: y"));
    assertEquals("failed: 2 problems:\n  a.yaml:1: x\\x1b[31m\\r\n  b.yaml:2: y\n", err.toString());
  }
}

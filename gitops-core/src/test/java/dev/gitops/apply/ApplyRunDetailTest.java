package dev.gitops.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import dev.gitops.reconcile.RecordingLogger;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.TargetException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The debug line of a step ({@code --verbose}): a server's answer quoted there never prints a Secret's
 * value, nor a control character or line break that would forge a line.
 */
class ApplyRunDetailTest {
  private static final ResourceId DB = ResourceId.of("Secret", "default", "db");

  @Test
  void aFailedStepsMessageIsEscapedAndItsPlansSecretValuesMasked() {
    Action create = createSecret();
    Plan plan = Plans.of(List.of(create));

    String failed = ApplyRun.detail(new Outcome.Failed(create, new TargetException(DB,
        "admission webhook denied: password hunter2-value is weak\r\u001b[2Jerror: forged"), Duration.ZERO), plan.masker());
    assertFalse(failed.contains("hunter2-value"), failed);
    assertTrue(failed.contains("password *** is weak"), failed);
    assertFalse(failed.contains("\r") || failed.contains("\u001b"), failed);

    String skipped = ApplyRun.detail(new Outcome.Skipped(create, "waits for\nforged"), plan.masker());
    assertFalse(skipped.contains("\n"), skipped);
    assertEquals("", ApplyRun.detail(new Outcome.Unchanged(create), plan.masker()));
  }

  /**
   * What a listener throws is logged with the plan's owner: both were printed raw (the owner a saved
   * plan's JSON may hold, the listener's message quoting a name or a Secret's value), and the stack
   * trace a backend prints with the throwable repeated the message raw.
   */
  @Test
  void aListenersFailureIsLoggedEscapedAndMaskedStackTraceIncluded() {
    Action create = createSecret();
    Plan plan = new Plan("web\n[WARN] forged", "", List.of(new Wave(0, List.of(create))), "sha256:test");
    RecordingLogger log = new RecordingLogger();
    ApplyOptions options = ApplyOptions.defaults().withProgress(o -> {
      throw new IllegalStateException("db\n[WARN] forged\u001b[2J hunter2-value", new RuntimeException("cause\r\u202e"));
    });
    try (ApplyRun run = new ApplyRun(plan, InMemoryTarget.named("t"), options, log)) {
      run.run();
    }
    String text = log.text();
    assertTrue(text.contains("apply listener of web\\n[WARN] forged failed on Secret/default/db:"
        + " java.lang.IllegalStateException: db\\n[WARN] forged\\x1b[2J ***"), text);
    assertTrue(text.contains("at dev.gitops.apply.ApplyRun"), "the stack trace is kept: " + text);
    assertTrue(text.contains("Caused by: java.lang.RuntimeException: cause\\r\\u202e"), text);
    for (String raw : new String[] {"\n[WARN]", "\u001b", "\r", "\u202e", "hunter2-value"}) {
      assertFalse(text.contains(raw), ResourceId.escape(text));
    }
  }

  private static Action createSecret() {
    ObjectNode tree = new ObjectMapper().createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
    tree.putObject("metadata").put("name", "db").put("namespace", "default");
    tree.putObject("stringData").put("password", "hunter2-value");
    return new Action.Create(Resource.of(DB, Content.tree(tree)));
  }
}

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
    ObjectNode tree = new ObjectMapper().createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
    tree.putObject("metadata").put("name", "db").put("namespace", "default");
    tree.putObject("stringData").put("password", "hunter2-value");
    Action create = new Action.Create(Resource.of(DB, Content.tree(tree)));
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
}

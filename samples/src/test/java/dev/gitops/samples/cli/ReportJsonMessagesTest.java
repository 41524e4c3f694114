package dev.gitops.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.GitOpsException;
import dev.gitops.apply.Outcome;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A failure's message, a skip's reason and a handler's output in the report JSON are a server's, a
 * host's or a command's words: JSON escapes their controls, not a direction override, a line or
 * paragraph separator or a C1 control, which a terminal or log viewer showing the JSON acts on; and
 * the plan's Secret values, which such words may quote, are masked.
 */
class ReportJsonMessagesTest {
  private static final Action CREATE = new Action.Create(Resource.of(ResourceId.file("f"),
      Content.bytes(new byte[] {1}, FileMode.of(0644))));
  private static final Plan PLAN = new Plan("o", "", List.of(new Wave(0, List.of(CREATE))), "sha256:" + "0".repeat(64));

  @Test
  void aFailuresMessageInTheReportJsonHasNoDirectionOverrideNorLineSeparator() {
    JsonNode steps = MachineJson.steps(List.of(
        new Outcome.Failed(CREATE, new GitOpsException("a\u202eb\u2028c\u0085d\u001be"), Duration.ZERO),
        new Outcome.Skipped(CREATE, "x\u2029y"), new Outcome.Applied(CREATE, Duration.ZERO, "out\u202e\n")), false, PLAN);
    assertEquals("a\\u202eb\\u2028c\\x85d\\x1be", steps.get(0).path("message").asText());
    assertEquals("x\\u2029y", steps.get(1).path("message").asText());
    assertEquals("out\\u202e\n", steps.get(2).path("detail").asText());
  }

  @Test
  void aServersAnswerQuotingASecretsValueIsMaskedInTheReportJson() {
    ObjectNode tree = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Secret");
    tree.putObject("data").put("token", Base64.getEncoder().encodeToString("hunter2-token".getBytes(StandardCharsets.UTF_8)));
    Action create = new Action.Create(Resource.of(ResourceId.of("Secret", "default", "db"), Content.tree(tree)));
    Plan plan = new Plan("o", "", List.of(new Wave(0, List.of(create))), "sha256:" + "0".repeat(64));
    JsonNode steps = MachineJson.steps(List.of(new Outcome.Failed(create,
        new GitOpsException("admission webhook \"policy\" denied the request: token hunter2-token is weak"),
        Duration.ZERO)), false, plan);
    assertEquals("admission webhook \"policy\" denied the request: token *** is weak",
        steps.get(0).path("message").asText());
  }
}

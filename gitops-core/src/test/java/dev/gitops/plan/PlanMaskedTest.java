package dev.gitops.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Plan#masked}: words about a plan's steps (an API server's 422, an admission webhook's denial)
 * that quote a Secret's value print it masked, as the reconciler's log does.
 */
class PlanMaskedTest {
  @Test
  void aSecretsValuesAndWhatItsDataDecodesToAreMasked() {
    ObjectNode tree = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Secret");
    tree.putObject("metadata").put("name", "db").put("namespace", "default");
    tree.putObject("data").put("token", Base64.getEncoder().encodeToString("t0ken-value".getBytes(StandardCharsets.UTF_8)));
    tree.putObject("stringData").put("password", "hunter2-value");
    Plan plan = new Planner().plan(DesiredState.of(List.of(Resource.of(ResourceId.of("Secret", "default", "db"),
        Content.tree(tree)))), ActualState.empty(), PlanOptions.defaults().withOwner("o"));
    assertEquals("Invalid value: \"***\"; token *** (*** encoded); abc kept",
        plan.masked("Invalid value: \"hunter2-value\"; token t0ken-value (" + tree.path("data").path("token").asText()
            + " encoded); abc kept"));
    assertEquals("null", plan.masked(null));
  }

  /**
   * The API server stores a Secret's {@code stringData} in {@code data}, base64: its 422 on
   * {@code data[password]}, or a webhook's denial, quotes that form, which was printed in clear.
   */
  @Test
  void aStringDataValueIsMaskedInTheBase64TheServerQuotes() {
    ObjectNode tree = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Secret");
    tree.putObject("metadata").put("name", "db").put("namespace", "default");
    tree.putObject("stringData").put("password", "hunter2-value");
    Plan plan = new Planner().plan(DesiredState.of(List.of(Resource.of(ResourceId.of("Secret", "default", "db"),
        Content.tree(tree)))), ActualState.empty(), PlanOptions.defaults().withOwner("o"));
    String base64 = Base64.getEncoder().encodeToString("hunter2-value".getBytes(StandardCharsets.UTF_8));
    assertEquals("data[password]: Invalid value: \"***\" (***)",
        plan.masked("data[password]: Invalid value: \"" + base64 + "\" (hunter2-value)"));
  }
}

package dev.gitops.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kubectl's {@code kubectl.kubernetes.io/last-applied-configuration} annotation holds a Secret's
 * values in clear (the whole object as {@code kubectl apply} sent it; a manifest copied from a cluster
 * carries it): masked wherever the Secret's {@code data} is — the plan's text, its JSON (saved plans),
 * a diff's string form.
 */
class SecretLastAppliedTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceId DB = ResourceId.of("Secret", "default", "db");

  private static Resource secret(String password) {
    ObjectNode tree = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
    ObjectNode metadata = tree.putObject("metadata").put("name", "db").put("namespace", "default");
    metadata.putObject("annotations").put("kubectl.kubernetes.io/last-applied-configuration",
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"stringData\":{\"password\":\"" + password + "\"}}\n");
    tree.putObject("stringData").put("password", password);
    return Resource.of(DB, Content.tree(tree));
  }

  private static Plan plan(ActualState actual) {
    return new Planner().plan(DesiredState.of(List.of(secret("hunter2-new-value"))), actual,
        PlanOptions.defaults().withOwner("o"));
  }

  @Test
  void anUpdatedAnnotationPrintsMaskedInTextJsonAndTheDiff() {
    Plan plan = plan(ActualState.of(List.of(Observed.of(secret("hunter2-old-value"), "o"))));
    assertEquals(1, plan.counts().get(Action.Kind.UPDATE), plan::render);
    Action.Update update = (Action.Update) plan.changes().get(0);
    for (String text : List.of(plan.render(), plan.toJson(), update.diff().toString())) {
      assertFalse(text.contains("hunter2"), text);
    }
    Plan read = Plan.fromJson(plan.toJson()); // a saved plan with the annotation redacted reads back
    assertEquals(plan.fingerprint(), read.fingerprint());
    assertFalse(read.render().contains("hunter2"), read.render());
  }

  @Test
  void aCreatedSecretsAnnotationIsRedactedInTheJson() {
    String json = plan(ActualState.empty()).toJson();
    assertFalse(json.contains("hunter2"), json);
  }
}

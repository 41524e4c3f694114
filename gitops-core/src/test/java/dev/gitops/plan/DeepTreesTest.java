package dev.gitops.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.internal.SortedJson;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.source.YamlReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tree as deep as the YAML reader takes is planned, rendered, saved and read back like any other. */
class DeepTreesTest {
  private static final ResourceId ID = ResourceId.of("Widget", "default", "w");

  /** The deepest document {@link YamlReader} reads: a mapping, then lists down to level {@code MAX_DEPTH - 1}. */
  private static JsonNode deepest(int leaf) {
    int lists = YamlReader.MAX_DEPTH - 2;
    String text = "a: " + "[".repeat(lists) + leaf + "]".repeat(lists) + "\n";
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = YamlReader.typed().read("deep.yaml", text.getBytes(StandardCharsets.UTF_8),
        problems);
    assertEquals(List.of(), problems);
    return docs.get(0).tree();
  }

  @Test
  void theDeepestTreeTheReaderTakesIsPlannedRenderedAndReadBack() {
    Resource desired = Resource.of(ID, Content.tree(deepest(1)));
    ActualState actual = ActualState.of(List.of(Observed.of(Resource.of(ID, Content.tree(deepest(2))), "o")));
    Plan plan = new Planner().plan(DesiredState.of(List.of(desired)), actual, PlanOptions.defaults().withOwner("o"));
    assertEquals(1, plan.counts().get(Action.Kind.UPDATE));
    String text = plan.render();
    assertTrue(text.contains("-") && text.contains("2") && text.contains("+"), text);
    String json = plan.toJson();
    assertEquals(plan, Plan.fromJson(json));
  }

  @Test
  void aSavedPlanNestedPastTheLimitIsRefusedAsAPlanFormatError() {
    int depth = SortedJson.MAX_DEPTH + 1;
    PlanFormatException e = assertThrows(PlanFormatException.class,
        () -> Plan.fromJson("{\"a\": " + "[".repeat(depth) + "]".repeat(depth) + "}"));
    assertTrue(e.getMessage().startsWith("not a plan: invalid JSON"), e.getMessage());
  }
}

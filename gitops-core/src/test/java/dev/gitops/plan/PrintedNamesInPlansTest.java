package dev.gitops.plan;

import static dev.gitops.model.Fixtures.configMap;
import static dev.gitops.model.Fixtures.file;
import static dev.gitops.plan.PlanFixtures.observed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.gitops.diff.Change;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Origin;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Names that hold characters printing nothing (zero-width joiner, direction isolates, tag
 * characters) print escaped wherever a plan shows them to a person, and stay as they are where the
 * plan's JSON carries them as data.
 */
class PrintedNamesInPlansTest {
  private static final String HIDDEN_FILE = "conf/a\u200db.yaml";
  private static final String HIDDEN_ORIGIN = "deploy/\u2067lmth.yaml";
  private static final String HIDDEN_KEY = "mode\udb40\udc01";

  private static Plan plan() {
    Resource app = configMap("app", Map.of("a", "1")).withOrigin(new Origin(HIDDEN_ORIGIN, 3));
    Resource keys = configMap("keys", Map.of(HIDDEN_KEY, "fast"));
    return new Planner().plan(DesiredState.of(List.of(file(HIDDEN_FILE, "x\n"), app, keys)),
        ActualState.of(List.of(observed(configMap("keys", Map.of(HIDDEN_KEY, "slow")), "gitops"))),
        PlanOptions.defaults());
  }

  @Test
  void theTextPlanShowsEveryHiddenCharacterEscaped() {
    String text = plan().render();
    assertTrue(text.contains("File//conf/a\\u200db.yaml"), text);
    assertTrue(text.contains(" from deploy/\\u2067lmth.yaml:3"), text);
    assertTrue(text.contains("mode\\udb40\\udc01"), text);
    assertTrue(text.codePoints().allMatch(PrintedNamesInPlansTest::visible), text);
  }

  @Test
  void theRevisionOfAPlanPrintsEscapedInItsTextAndAsItIsInItsJson() throws Exception {
    Plan plan = plan().withRevision("rel\u202e1v@3f2c1e0");
    assertTrue(plan.render().contains("\nRevision: rel\\u202e1v@3f2c1e0\n"), plan.render());
    assertEquals("rel\u202e1v@3f2c1e0", new ObjectMapper().readTree(plan.toJson()).path("revision").asText());
  }

  @Test
  void theJsonPlanCarriesTheRealNamesAsDataAndReadsBack() throws Exception {
    Plan plan = plan();
    String json = plan.toJson();
    JsonNode tree = new ObjectMapper().readTree(json);
    assertTrue(json.contains("\"File//conf/a\\\\u200db.yaml\""), "the id field is the printed id");
    assertTrue(tree.toString().contains(HIDDEN_KEY), "the data keeps the real key");
    assertTrue(tree.toString().contains(HIDDEN_ORIGIN), "the origin keeps the real file");
    assertEquals(plan, Plan.fromJson(json));
    assertTrue(plan.action(ResourceId.file(HIDDEN_FILE)).isPresent());
  }

  @Test
  void aChangeShowsItsPathEscaped() {
    Change change = new Change(Change.Op.REPLACE, "/data/a\u200db\n", IntNode.valueOf(1), IntNode.valueOf(2), false);
    assertEquals("~ /data/a\\u200db\\n: 1 -> 2", change.toString());
    ResourceDiff diff = new ResourceDiff(ResourceId.of("ConfigMap", "ns", "x"), List.of(change), List.of());
    assertFalse(diff.toString().contains("\u200d"), diff.toString());
  }

  @Test
  void anOriginAndAProblemShowTheirFileEscaped() {
    assertEquals("deploy/\\u2067lmth.yaml:3", new Origin(HIDDEN_ORIGIN, 3).toString());
    assertEquals("a\\u200db.yaml:2: ConfigMap/ns/x\\ufeff: bad",
        new Problem("a\u200db.yaml", 2, ResourceId.of("ConfigMap", "ns", "x\ufeff"), "bad").toString());
  }

  @Test
  void aMalformedPlanQuotesHiddenCharactersEscaped() {
    String message = new PlanFormatException("bad id 'a\udb40\udc01b\u200d' (\\n kept)").getMessage();
    assertEquals("bad id 'a\\udb40\\udc01b\\u200d' (\\n kept)", message);
  }

  /** Neither printing nothing, nor moving text, nor a space that is not U+0020 (a newline is a line). */
  private static boolean visible(int c) {
    int type = Character.getType(c);
    return c == '\n' || c == ' ' || !(type == Character.CONTROL || type == Character.FORMAT
        || type == Character.UNASSIGNED || type == Character.PRIVATE_USE || type == Character.SURROGATE
        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SPACE_SEPARATOR || c == 0x200d || c >= 0xe0000 && c <= 0xe0fff);
  }
}

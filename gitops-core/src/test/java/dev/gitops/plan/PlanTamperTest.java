package dev.gitops.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A plan read from JSON says of itself what its steps say: its fingerprint is recomputed from its
 * own content (redaction markers as they are) and its summary from its steps, so a file edited
 * after review is refused on load whatever was edited.
 */
class PlanTamperTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String edited(Consumer<ObjectNode> edit) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(SamplePlan.plan().toJson());
    edit.accept(root);
    return JSON.writeValueAsString(root);
  }

  private static ObjectNode step(ObjectNode root, String id) {
    for (JsonNode wave : root.path("waves")) {
      for (JsonNode action : wave.path("actions")) {
        if (action.path("id").asText().equals(id)) {
          return (ObjectNode) action;
        }
      }
    }
    throw new AssertionError("no step " + id);
  }

  private static void assertRefused(String json, String says) {
    PlanFormatException e = assertThrows(PlanFormatException.class, () -> Plan.fromJson(json));
    assertTrue(e.getMessage().startsWith("the plan was edited after it was made: " + says), e.getMessage());
  }

  @Test
  void anUntouchedPlanWithRedactedSecretsReadsBack() {
    Plan plan = SamplePlan.plan();
    Plan back = Plan.fromJson(plan.toJson());
    assertTrue(back.isRedacted(), "the sample holds Secrets");
    assertEquals(plan.fingerprint(), back.fingerprint());
  }

  @Test
  void everyKindOfEditUnderTheOriginalFingerprintIsRefused() throws Exception {
    assertRefused(edited(r -> ((ObjectNode) step(r, "ConfigMap/default/app").at("/desired/content/tree/data"))
        .put("mode", "evil")), "its fingerprint");
    assertRefused(edited(r -> step(r, "ConfigMap/default/app").put("id", "ConfigMap/kube-system/app")),
        "its fingerprint");
    assertRefused(edited(r -> step(r, "apps/Deployment/default/old").put("kind", "noop")), "its fingerprint");
    assertRefused(edited(r -> step(r, "File//etc/app.conf").put("expected", "sha256:0")), "its fingerprint");
    assertRefused(edited(r -> ((ArrayNode) r.path("waves").get(0).path("actions")).remove(0)), "its fingerprint");
    assertRefused(edited(r -> ((ObjectNode) r.path("waves").get(0)).put("index", 7)), "its fingerprint");
    assertRefused(edited(r -> r.put("owner", "mallory")), "its fingerprint");
    assertRefused(edited(r -> r.put("summary", "Plan: 0 to create, 0 to update, 0 to delete, 0 to adopt.")),
        "its summary says 'Plan: 0 to create");
  }

  @Test
  void aSecretMarkerSwappedForAnotherIsRefused() throws Exception {
    assertRefused(edited(r -> {
      ObjectNode data = (ObjectNode) step(r, "Secret/default/db").at("/desired/content/tree/data");
      data.set("password", JSON.createObjectNode().put("redacted", "sha256:" + "0".repeat(64)));
    }), "its fingerprint");
  }
}

package dev.gitops.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
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
  @Test
  void aKeyGivenTwiceOrTextAfterThePlanIsRefusedThoughWhatJacksonKeepsIsThePlan() {
    String json = SamplePlan.plan().toJson();
    String owner = "\"owner\": \"shop\",";
    assertTrue(json.contains(owner));
    int line = (int) json.substring(0, json.indexOf(owner)).chars().filter(c -> c == '\n').count() + 1;
    PlanFormatException twice = assertThrows(PlanFormatException.class,
        () -> Plan.fromJson(json.replace(owner, "\"owner\": \"mallory\", " + owner)));
    assertTrue(twice.getMessage().startsWith("not a plan: invalid JSON at line " + line + ", column "), twice.getMessage());
    assertTrue(twice.getMessage().endsWith(": Duplicate field 'owner'"), twice.getMessage());
    String id = "\"id\": \"File//etc/app.conf\"";
    assertTrue(json.contains(id));
    assertThrows(PlanFormatException.class, () -> Plan.fromJson(json.replace(id, "\"id\": \"File//etc/passwd\", " + id)));
    for (String after : new String[] {json, " garbage", "]"}) {
      PlanFormatException e = assertThrows(PlanFormatException.class, () -> Plan.fromJson(json + after));
      assertTrue(e.getMessage().startsWith("not a plan: invalid JSON at line "), e.getMessage());
    }
    assertEquals(SamplePlan.plan().fingerprint(), Plan.fromJson(json + "\n\n").fingerprint(), "white space after is fine");
  }

  @Test
  void whatARefusalQuotesFromTheFileIsPrintedEscapedWhicheverFieldHoldsIt() throws Exception {
    List<PlanFormatException> refusals = hostileRefusals();
    assertTrue(refusals.size() > 10, refusals.toString());
    for (PlanFormatException e : refusals) {
      assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20 || c == 0x202e), e.getMessage());
    }
  }

  /**
   * A refusal's stack trace, as any logger prints it, holds its cause's message too: Jackson's or a
   * constructor's words quote the file's text (a key given twice, a file mode, an operation), and a
   * tampered plan is hostile input. The cause is kept, its class named, its messages escaped.
   */
  @Test
  void aRefusalsStackTracePrintsWhatItsCauseQuotesFromTheFileEscaped() throws Exception {
    List<PlanFormatException> refusals = hostileRefusals();
    assertTrue(refusals.stream().filter(e -> e.getCause() != null).count() > 3, refusals.toString());
    for (PlanFormatException e : refusals) {
      java.io.StringWriter printed = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(printed));
      String trace = printed.toString(); // a line per frame and per cause: nothing else breaks one
      assertTrue(trace.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x202e), trace);
    }
    PlanFormatException twice = refusals.get(refusals.size() - 1);
    assertTrue(twice.getCause().toString().startsWith("com.fasterxml.jackson.core.JsonParseException: Duplicate field '\\x1b[2J\\r\\u202e'"),
        twice.getCause().toString());
  }

  /**
   * What {@link Plan#fromJson} throws for the sample plan with each of its texts made hostile, for a
   * raw control character in a key and for a hostile key given twice (the last).
   */
  private static List<PlanFormatException> hostileRefusals() throws Exception {
    String hostile = "\u001b[2J\r\u202e";
    JsonNode sample = JSON.readTree(SamplePlan.plan().toJson());
    List<PlanFormatException> refusals = new ArrayList<>();
    for (String pointer : textPointers(sample, "")) {
      ObjectNode root = sample.deepCopy();
      JsonNode parent = root.at(pointer.substring(0, pointer.lastIndexOf('/')));
      String field = pointer.substring(pointer.lastIndexOf('/') + 1);
      String was = root.at(pointer).asText();
      if (parent instanceof ObjectNode o) {
        o.put(field, hostile + was);
      } else {
        ((ArrayNode) parent).set(Integer.parseInt(field), hostile + was);
      }
      try {
        Plan.fromJson(JSON.writeValueAsString(root));
      } catch (PlanFormatException e) {
        refusals.add(e);
      }
    }
    refusals.add(assertThrows(PlanFormatException.class, () -> Plan.fromJson("{\"" + hostile + "\": 1, \""
        + hostile + "\": 2}")));
    String escaped = "\\u001b[2J\\r\\u202e"; // JSON's escapes: a key given twice, its text quoted by Jackson
    refusals.add(assertThrows(PlanFormatException.class, () -> Plan.fromJson("{\"" + escaped + "\": 1, \""
        + escaped + "\": 2}")));
    return refusals;
  }

  private static List<String> textPointers(JsonNode node, String at) {
    List<String> out = new ArrayList<>();
    if (node.isTextual()) {
      out.add(at);
    } else if (node.isObject()) {
      node.fieldNames().forEachRemaining(f -> out.addAll(textPointers(node.get(f), at + "/" + f.replace("~", "~0").replace("/", "~1"))));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        out.addAll(textPointers(node.get(i), at + "/" + i));
      }
    }
    return out;
  }
}

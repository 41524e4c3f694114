package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 2: one versioned family of JSON formats, numeric counts, no-ops left out unless
 * asked for, and shipped JSON Schemas that the outputs validate against (every {@link Cli} run
 * checks its JSON too) and that refuse what breaks them.
 */
class MachineOutputTest extends RepoAndSite {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeEach
  void converged() throws Exception {
    for (int i = 0; i < 5; i++) {
      repo.write("site/page" + i + ".html", "<p>" + i + "</p>\n");
    }
    repo.commit("five pages");
    assertEquals(0, Cli.run(args("pull", "--once")).exit());
    repo.write("site/page0.html", "<p>zero</p>\n").commit("one page changed");
  }

  @Test
  void planJsonHasCountsAndOnlyTheStepsThatChangeSomething() throws Exception {
    JsonNode plan = Schemas.check(Cli.run(args("plan", "--json")).out());
    assertEquals("gitops-plan", plan.path("format").asText());
    assertEquals(1, plan.path("format_version").asInt());
    assertEquals(1, plan.path("counts").path("update").asInt());
    assertEquals(4, plan.path("counts").path("noop").asInt());
    assertEquals(1, plan.path("waves").get(0).path("actions").size(), plan::toString);

    JsonNode all = Schemas.check(Cli.run(args("plan", "--format", "json", "--include-noops")).out());
    assertEquals(5, all.path("waves").get(0).path("actions").size(), all::toString);
    assertTrue(all.path("includes_noops").asBoolean());
  }

  @Test
  void reportJsonHasCountsAndOnlyTheStepsThatDidSomething() throws Exception {
    Cli pull = Cli.run(args("push", "--yes", "--json"));
    assertEquals(0, pull.exit(), pull::toString);
    JsonNode report = Schemas.check(pull.out());
    assertEquals("gitops-apply-report", report.path("format").asText());
    assertEquals(1, report.path("counts").path("applied").asInt());
    assertEquals(4, report.path("counts").path("unchanged").asInt());
    assertEquals(1, report.path("plan_counts").path("update").asInt());
    assertEquals(1, report.path("steps").size(), report::toString);
    assertEquals("File//page0.html", report.path("steps").get(0).path("id").asText());

    repo.write("site/page1.html", "<p>one</p>\n").commit("another");
    JsonNode all = Schemas.check(Cli.run(args("pull", "--once", "--json", "--include-noops")).out());
    assertEquals(5, all.path("steps").size(), all::toString);
  }

  @Test
  void savedPlanHasTheFamilysHeaderAndEveryStep() throws Exception {
    Path saved = tmp.resolve("plan.json");
    assertEquals(0, Cli.run(args("plan", "--out", saved.toString())).exit());
    JsonNode file = Schemas.check(Files.readString(saved));
    assertEquals("gitops-saved-plan", file.path("format").asText());
    assertEquals(5, file.path("plan").path("waves").get(0).path("actions").size(), "apply needs every step");
    Cli apply = Cli.run("apply", "--plan", saved.toString(), "--target", "dir:" + site, "--json");
    assertEquals(0, apply.exit(), apply::toString);
    assertEquals(1, Schemas.check(apply.out()).path("counts").path("applied").asInt());
  }

  @Test
  void aSavedPlanOfTheFirstReleaseIsStillApplied() throws Exception {
    Path saved = tmp.resolve("plan.json");
    assertEquals(0, Cli.run(args("plan", "--out", saved.toString())).exit());
    ObjectNode old = (ObjectNode) JSON.readTree(saved.toFile());
    old.put("format", "gitops-saved-plan/1");
    old.remove(java.util.List.of("format_version", "namespace", "counts"));
    Files.writeString(saved, JSON.writeValueAsString(old), StandardCharsets.UTF_8);
    Cli apply = Cli.run("apply", "--plan", saved.toString(), "--target", "dir:" + site);
    assertEquals(0, apply.exit(), apply::toString);
    assertEquals("<p>zero</p>\n", Files.readString(site.resolve("page0.html")));
  }

  @Test
  void theSchemasRefuseWhatBreaksTheFormat() throws Exception {
    ObjectNode plan = (ObjectNode) JSON.readTree(Cli.run(args("plan", "--json")).out());
    assertTrue(Schemas.errors("gitops-plan", JSON.writeValueAsString(plan)).isEmpty());
    assertFalse(Schemas.errors("gitops-plan", JSON.writeValueAsString(plan.deepCopy().put("format_version", 2))).isEmpty());
    ObjectNode textCount = plan.deepCopy();
    ((ObjectNode) textCount.path("counts")).put("update", "1");
    assertFalse(Schemas.errors("gitops-plan", JSON.writeValueAsString(textCount)).isEmpty(), "counts are numbers");
    ObjectNode badKind = plan.deepCopy();
    ((ObjectNode) badKind.path("waves").get(0).path("actions").get(0)).put("kind", "replace");
    assertFalse(Schemas.errors("gitops-plan", JSON.writeValueAsString(badKind)).isEmpty());

    ObjectNode report = (ObjectNode) JSON.readTree(Cli.run(args("pull", "--once", "--json")).out());
    ObjectNode noMessage = report.deepCopy();
    ObjectNode step = (ObjectNode) noMessage.path("steps").get(0);
    step.put("outcome", "failed");
    assertFalse(Schemas.errors("gitops-apply-report", JSON.writeValueAsString(noMessage)).isEmpty(),
        "a failed step says why");
  }

  @Test
  void theLibrarysGoldenPlanIsAPlanOfTheSchema() throws Exception {
    try (var in = MachineOutputTest.class.getResourceAsStream("/plans/sample.json")) {
      JsonNode golden = JSON.readTree(in); // gitops-core's golden plan: every kind of step, origins, handlers
      ObjectNode envelope = JSON.createObjectNode().put("format", "gitops-saved-plan").put("format_version", 1)
          .put("repo", "/r").put("path", "").put("owner", "shop").put("namespace", "default");
      envelope.set("counts", JSON.readTree("{\"create\":4,\"update\":3,\"delete\":1,\"adopt\":1,\"noop\":1,\"run\":1}"));
      envelope.set("plan", golden);
      assertEquals(java.util.List.of(), Schemas.errors("gitops-saved-plan", JSON.writeValueAsString(envelope)));
    }
  }

  @Test
  void schemaCommandPrintsTheShippedSchemas() throws Exception {
    for (String name : java.util.List.of("gitops-plan", "gitops-saved-plan", "gitops-apply-report")) {
      Cli schema = Cli.run("schema", name);
      assertEquals(0, schema.exit(), schema::toString);
      assertEquals("https://gitops.dev/schema/" + name + ".schema.json", JSON.readTree(schema.out()).path("$id").asText());
    }
    assertEquals(1, Cli.run("schema", "nope").exit());
  }
}

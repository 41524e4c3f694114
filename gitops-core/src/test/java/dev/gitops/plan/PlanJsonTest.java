package dev.gitops.plan;

import static dev.gitops.model.Fixtures.configMap;
import static dev.gitops.plan.PlanFixtures.observed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gitops.Golden;
import dev.gitops.diff.Change;
import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.PathRule;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanJsonTest {
  @Test
  void jsonMatchesTheGoldenFile() {
    Golden.check("plans/sample.json", RedactionTest.keyless(SamplePlan.plan().toJson()));
  }

  @Test
  void renderingMatchesTheGoldenFile() {
    Golden.check("plans/sample.txt", SamplePlan.plan().render());
  }

  /**
   * Jackson escapes C0 controls only: a direction override, a line or paragraph separator or a C1
   * control in an owner, a revision, a file or a value reached the saved plan raw, where a terminal,
   * a log viewer or a review tool showing the file acts on it. They are JSON escapes now, which read back
   * as the same characters.
   */
  @Test
  void hiddenCharactersInFreeStringsAreJsonEscapesAndReadBackAlike() {
    String hostile = "x\u202eevil\u2028line\u2029para\u0085next\u009bc\u007f\u200bz";
    ObjectNode tree = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    tree.putObject("data").put("k", hostile);
    Resource r = Resource.of(ResourceId.of("ConfigMap", "default", "a"), new Content.Tree(tree),
        new Origin("deploy/" + hostile + ".yaml", 3));
    Plan plan = new Planner().plan(DesiredState.of(List.of(r)), ActualState.empty(),
        PlanOptions.defaults().withOwner("web" + hostile)).withRevision("r" + hostile);
    String json = plan.toJson();
    json.codePoints().forEach(c -> assertFalse(c != '\n' && dev.gitops.internal.Printable.hidden(c),
        "raw U+" + Integer.toHexString(c) + " in " + ResourceId.escape(json)));
    assertTrue(json.contains("\"revision\": \"rx\\u202Eevil\\u2028line\\u2029para\\u0085next\\u009Bc\\u007F\\u200Bz\""),
        json);
    Plan back = Plan.fromJson(json);
    assertEquals(plan, back);
    assertEquals(json, back.toJson());
  }

  @Test
  void shuffledInputsGiveByteIdenticalJson() {
    String json = SamplePlan.plan().toJson();
    for (long seed = 1; seed <= 5; seed++) {
      assertEquals(json, SamplePlan.shuffled(seed).toJson());
    }
  }

  @Test
  void jsonStartsWithTheFormatVersionFieldsInSortedOrder() {
    String json = SamplePlan.plan().toJson();
    assertTrue(json.startsWith("{\n  \"fingerprint\": \"sha256:"), json.substring(0, 40));
    assertTrue(json.contains("\n  \"format_version\": 1,\n"));
    assertTrue(json.endsWith("}\n"));
  }

  @Test
  void secretValuesNeverReachTheJson() {
    String json = SamplePlan.plan().toJson();
    assertFalse(json.contains(SamplePlan.SECRET_CREATED));
    assertFalse(json.contains(SamplePlan.SECRET_NEW));
    assertFalse(json.contains(SamplePlan.SECRET_OLD));
    assertFalse(json.contains("YWRtaW4="));
    assertTrue(json.contains("\"redacted\": \"hmac-sha256:"));
  }

  @Test
  void secretValuesNeverReachTheRendering() {
    String text = SamplePlan.plan().render();
    assertFalse(text.contains(SamplePlan.SECRET_CREATED));
    assertFalse(text.contains(SamplePlan.SECRET_NEW));
    assertFalse(text.contains(SamplePlan.SECRET_OLD));
    assertFalse(SamplePlan.plan().toString().contains(SamplePlan.SECRET_NEW));
  }

  @Test
  void secretValuesStayHiddenWhenTheRenderingFallsBackToListingChanges() {
    Resource desired = PlanFixtures.secret("db", Map.of("pw", "bmV3"));
    // a diff the desired content does not bear out: no actual view, so the rendering lists changes
    ResourceDiff diff = new ResourceDiff(desired.id(), List.of(new Change(Change.Op.REPLACE, "/data/pw",
        TextNode.valueOf("b2xk"), TextNode.valueOf("c3RhbGU="), false)), List.of());
    Plan plan = new Plan("gitops", "", List.of(new Wave(0, List.of(new Action.Update(desired, diff, "v1")))), "");
    String text = plan.render();
    assertTrue(text.contains("      ~ /data/pw: *** (changed)\n"), text);
    assertFalse(text.contains("b2xk") || text.contains("c3RhbGU=") || text.contains("bmV3"), text);
    assertFalse(plan.actions().get(0).toString().contains("c3RhbGU="));
  }

  @Test
  void extraSensitivePathsOfThePlansOptionsAreRedactedToo() {
    PlanOptions masking = SamplePlan.OPTIONS.withDiff(DiffOptions.defaults()
        .masking(PathRule.forKind("ConfigMap", "/data/mode")));
    Plan plan = new Planner().plan(DesiredState.of(SamplePlan.desired(), SamplePlan.handlers(), List.of()),
        ActualState.of(SamplePlan.actual()), masking).withRevision("main@1");
    String json = plan.toJson();
    assertFalse(json.contains("\"fast\""), json);
    assertFalse(json.contains("\"slow\""), json);
    assertFalse(plan.render().contains("fast"), plan.render());
    assertTrue(SamplePlan.plan().toJson().contains("\"fast\""));
  }

  @Test
  void aPlanShowsItselfWithTheOptionsItWasMadeWithNeverPrintingWhatTheyMarkSensitive() {
    String token = "token-" + java.util.UUID.randomUUID();
    PlanOptions options = PlanOptions.defaults().withDiff(DiffOptions.defaults()
        .masking(PathRule.forKind("ConfigMap", "/data/token")));
    Plan created = new Planner().plan(DesiredState.of(List.of(configMap("app", Map.of("token", token)))),
        ActualState.empty(), options);
    Plan updated = new Planner().plan(DesiredState.of(List.of(configMap("app", Map.of("token", token + "2")))),
        ActualState.of(List.of(observed(configMap("app", Map.of("token", token)), "gitops"))), options);

    for (Plan plan : List.of(created, updated, created.withRevision("main@2"))) {
      assertEquals(options.diff(), plan.diffOptions());
      for (String shown : List.of(plan.render(), plan.toJson(), plan.toString(),
          Plan.fromJson(plan.toJson(), options.diff()).render())) {
        assertFalse(shown.contains(token), shown);
      }
    }
    assertTrue(Plan.fromJson(created.toJson()).isRedacted());
  }

  @Test
  void aPlanWithoutSensitiveValuesRoundTripsExactly() {
    Resource bin = Resource.of(ResourceId.file("bin/tool"),
        Content.bytes(new byte[] {0, (byte) 0xff, 10}, new FileMode(0750, "root", "adm")));
    Plan plan = new Planner().plan(
        DesiredState.of(List.of(configMap("app", Map.of("a", "1")), bin, configMap("b", Map.of()))),
        ActualState.of(List.of(observed(configMap("app", Map.of("a", "2")), "gitops"),
            observed(configMap("b", Map.of()), "gitops"), observed(configMap("gone", Map.of()), "gitops"))),
        PlanOptions.defaults()).withRevision("main@1");
    Plan back = Plan.fromJson(plan.toJson());
    assertEquals(plan, back);
    assertFalse(back.isRedacted());
    assertTrue(Arrays.equals(new byte[] {0, (byte) 0xff, 10},
        ((Content.Bytes) ((Action.Create) back.action(bin.id()).orElseThrow()).desired().content()).data()));
  }

  @Test
  void aRedactedPlanReadsBackRedactedWithTheSameFingerprintAndJson() {
    Plan plan = SamplePlan.plan();
    assertFalse(plan.isRedacted());
    String json = plan.toJson();
    Plan back = Plan.fromJson(json);
    assertTrue(back.isRedacted());
    assertEquals(plan.fingerprint(), back.fingerprint());
    assertEquals(plan.summary(), back.summary());
    assertEquals(json, back.toJson());
    assertTrue(back.render().contains(
        "  ~ update Secret/default/tls from deploy/secrets.yaml:3\n      ~ /data/key: *** (changed)\n"), back.render());
  }

  @Test
  void everyStepSaysWhereItsResourceWasDeclaredAndTheJsonKeepsIt() {
    Plan back = Plan.fromJson(SamplePlan.plan().toJson());
    String text = back.render();
    assertTrue(text.contains("  + create Secret/default/db from deploy/secrets.yaml:3\n"), text);
    assertTrue(text.contains("  ! run Handler//reload-nginx from handlers.yaml:2 (because"), text);
    assertTrue(text.contains("  + create File//nginx/nginx.conf\n"), text); // a file's origin is its id
    assertTrue(text.contains("  - delete apps/Deployment/default/old\n"), text); // nothing desired, no origin
    Action db = back.waves().get(0).actions().stream().filter(a -> a.id().name().equals("db")).findFirst()
        .orElseThrow();
    assertEquals(new Origin("deploy/secrets.yaml", 3), db.origin());
  }

  @Test
  void aPlanWhoseOriginWasEditedIsRefused() {
    String json = SamplePlan.plan().toJson();
    String edited = json.replaceFirst("\"file\": \"deploy/secrets.yaml\"", "\"file\": \"deploy/other.yaml\"");
    assertFalse(json.equals(edited), "the sample plan has an origin to edit");
    PlanFormatException e = assertThrows(PlanFormatException.class, () -> Plan.fromJson(edited));
    assertTrue(e.getMessage().contains("edited after it was made"), e.getMessage());
  }

  @Test
  void aRedactedFileReadsBackRedacted() {
    Resource key = Resource.of(ResourceId.file("etc/ssl/key.pem"),
        Content.bytes("PRIVATE".getBytes(java.nio.charset.StandardCharsets.UTF_8), FileMode.of(0600)));
    Plan plan = new Planner().plan(DesiredState.of(List.of(key)), ActualState.empty(),
        PlanOptions.defaults().withDiff(DiffOptions.defaults().masking(PathRule.forKind("File", "/content"))));
    String json = plan.toJson();
    assertFalse(json.contains("UFJJVkFURQ"));
    Plan back = Plan.fromJson(json);
    assertTrue(back.isRedacted());
    assertEquals(json, back.toJson());
  }

  @Test
  void unknownFormatVersionIsRefused() {
    String json = SamplePlan.plan().toJson().replace("\"format_version\": 1", "\"format_version\": 2");
    PlanFormatException e = assertThrows(PlanFormatException.class, () -> Plan.fromJson(json));
    assertEquals("unsupported plan format_version 2 (this library reads 1)", e.getMessage());
  }

  @Test
  void malformedJsonIsRefusedNamingTheProblem() {
    assertTrue(assertThrows(PlanFormatException.class, () -> Plan.fromJson("{"))
        .getMessage().startsWith("not a plan: invalid JSON"));
    assertEquals("not a plan: want a JSON object",
        assertThrows(PlanFormatException.class, () -> Plan.fromJson("[]")).getMessage());
    String noOwner = SamplePlan.plan().toJson().replace("\"owner\": \"shop\",", "");
    assertEquals("plan field 'owner' is missing",
        assertThrows(PlanFormatException.class, () -> Plan.fromJson(noOwner)).getMessage());
    String badKind = SamplePlan.plan().toJson().replace("\"kind\": \"delete\"", "\"kind\": \"explode\"");
    assertEquals("unknown action kind 'explode' for apps/Deployment/default/old",
        assertThrows(PlanFormatException.class, () -> Plan.fromJson(badKind)).getMessage());
  }

  @Test
  void valuesTheDifferMarkedSensitiveAreRedactedFromTheDesiredContentToo() {
    Resource key = Resource.of(ResourceId.file("etc/ssl/key.pem"),
        Content.bytes("NEW-PRIVATE".getBytes(java.nio.charset.StandardCharsets.UTF_8), FileMode.of(0600)));
    Resource old = key.withContent(Content.bytes("OLD-PRIVATE".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        FileMode.of(0600)));
    PlanOptions options = PlanOptions.defaults().withDiff(DiffOptions.defaults()
        .masking(PathRule.forKind("File", "/content")));
    Plan plan = new Planner().plan(DesiredState.of(List.of(key)),
        ActualState.of(List.of(observed(old, "gitops"))), options);
    String json = plan.toJson();
    assertFalse(json.contains("PRIVATE"), json);
    assertFalse(json.contains(java.util.Base64.getEncoder().encodeToString(
        "NEW-PRIVATE".getBytes(java.nio.charset.StandardCharsets.UTF_8))), json);
    assertTrue(Plan.fromJson(json).isRedacted());
    assertFalse(plan.render().contains("PRIVATE"));
  }
}

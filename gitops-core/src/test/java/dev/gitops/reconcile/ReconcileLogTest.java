package dev.gitops.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.apply.Applier;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.source.SourceException;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** What the reconciler logs: levels, key-values, escaped names, and never a secret or credential. */
class ReconcileLogTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = "hunter2-s3cret-value";
  static final Revision REV = Revision.of("3f2c1e0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e");

  final RecordingLogger logger = new RecordingLogger();
  final List<String> forwarded = new ArrayList<>();
  final ReconcileLog log = new ReconcileLog("web", logger, new ReconcileListener() {
    @Override public void revisionSeen(Revision revision) { forwarded.add("revisionSeen"); }
    @Override public void planned(Plan plan) { forwarded.add("planned"); }
    @Override public void driftFound(Drift drift) { forwarded.add("driftFound"); }
    @Override public void failed(Exception error) { forwarded.add("failed"); }
    @Override public void reconciled(ReconcileResult result) { forwarded.add("reconciled"); }
  });
  final InMemoryTarget target = InMemoryTarget.named("test");

  static Resource configMap(String name, String color) {
    return Resource.of(ResourceId.of("ConfigMap", "default", name), tree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
        + "\"metadata\":{\"name\":" + quote(name) + ",\"namespace\":\"default\"},\"data\":{\"color\":\"" + color + "\"}}"));
  }

  static Resource secret(String name, String password) {
    String b64 = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
    return Resource.of(ResourceId.of("Secret", "default", name), tree("{\"apiVersion\":\"v1\",\"kind\":\"Secret\","
        + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\"},\"data\":{\"password\":\"" + b64 + "\"},"
        + "\"stringData\":{\"token\":\"" + password + "-token\"}}"));
  }

  static Content tree(String json) {
    try {
      return Content.tree(JSON.readTree(json));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  Plan plan(Resource... desired) {
    DesiredState d = DesiredState.of(List.of(desired));
    return new Planner().plan(d, target.read(Scope.of("web", d.byId().keySet())),
        PlanOptions.defaults().withOwner("web")).withRevision(REV.id());
  }

  ReconcileResult apply(Plan plan) {
    ApplyReport report = new Applier().apply(plan, target, ApplyOptions.defaults().withParallelism(1)
        .withRetry(1, Duration.ZERO, Duration.ZERO).withHealthWait(Duration.ZERO, Duration.ZERO).withSleeper(d -> { }));
    return new ReconcileResult(REV, plan, report, new ReconcileResult.Timings(Duration.ZERO, Duration.ZERO,
        Duration.ZERO, Duration.ZERO, Duration.ZERO));
  }

  List<RecordingLogger.Line> at(Level level) {
    return logger.lines.stream().filter(l -> l.level() == level).toList();
  }

  @Test
  void driftIsOneWarnLinePerResourceWithReconcilerRevisionResourceAndFieldPaths() {
    target.put(configMap("a", "red"), "web");
    target.put(configMap("b", "red"), "web");
    Plan repair = plan(configMap("a", "blue"), configMap("b", "blue"));

    log.revisionSeen(REV);
    log.planned(repair);
    log.driftFound(new Drift(REV, repair));

    List<RecordingLogger.Line> warn = at(Level.WARN);
    assertEquals(3, warn.size(), logger::text);
    assertEquals("web", warn.get(0).keyValues().get("reconciler"));
    assertEquals(REV.id(), warn.get(0).keyValues().get("revision"));
    assertEquals("2", warn.get(0).keyValues().get("resources"));
    assertEquals("ConfigMap/default/a", warn.get(1).keyValues().get("resource"));
    assertEquals("/data/color", warn.get(1).keyValues().get("fields"));
    assertFalse(logger.text().contains("blue") || logger.text().contains("red"), "paths, never values: " + logger.text());
    assertEquals(List.of("revisionSeen", "planned", "driftFound"), forwarded);
  }

  @Test
  void healedDriftIsLoggedAtInfoAfterTheRepairApplies() {
    target.put(configMap("a", "red"), "web");
    Plan repair = plan(configMap("a", "blue"));
    log.driftFound(new Drift(REV, repair));
    log.reconciled(apply(repair));

    List<RecordingLogger.Line> info = at(Level.INFO);
    assertEquals(1, info.size(), logger::text);
    assertTrue(info.get(0).message().startsWith("drift healed: "), info.get(0)::toString);
    assertEquals("web", info.get(0).keyValues().get("reconciler"));
  }

  @Test
  void aResourceNameCannotForgeALogLine() {
    String name = "evil\nWARN reconciler=web forged\u001b[31m";
    target.put(configMap(name, "red"), "web");
    Plan repair = plan(configMap(name, "blue"));
    log.driftFound(new Drift(REV, repair));

    String resource = at(Level.WARN).get(1).keyValues().get("resource");
    assertEquals("ConfigMap/default/evil\\nWARN reconciler=web forged\\x1b[31m", resource);
    for (RecordingLogger.Line l : logger.lines) {
      assertFalse(l.all().contains("\n") || l.all().contains("\u001b"), l::toString);
    }
  }

  @Test
  void secretValuesNeverReachTheLogWhateverTheMessageSays() {
    String b64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    target.put(secret("db", "old-password-1"), "web");
    Plan plan = plan(secret("db", SECRET));
    assertEquals(Action.Kind.UPDATE, plan.changes().get(0).kind());
    ResourceId id = ResourceId.of("Secret", "default", "db");

    log.revisionSeen(REV);
    log.planned(plan);
    log.driftFound(new Drift(REV, plan));
    log.failed(new TargetException(id, "admission webhook denied " + id + ": password " + SECRET
        + " (" + b64 + ") is weak; token " + SECRET + "-token"));

    String all = logger.text();
    for (String leak : List.of(SECRET, b64, "old-password-1", "b2xkLXBhc3N3b3JkLTE=")) {
      assertFalse(all.contains(leak), "leaked " + leak + ": " + all);
    }
    RecordingLogger.Line failure = logger.lines.get(logger.lines.size() - 1);
    assertEquals(Level.WARN, failure.level());
    assertEquals("TargetException", failure.keyValues().get("reason"));
    assertEquals("Secret/default/db", failure.keyValues().get("resource"));
    assertEquals(REV.id(), failure.keyValues().get("revision"));
    assertTrue(failure.message().contains("password *** (***) is weak"), failure::toString);
  }

  @Test
  void credentialsInAUrlAreMaskedInFailures() {
    log.failed(new SourceException("https://bob:glpat-T0k3n@git.example.com/deploy.git: 401 Unauthorized"));

    RecordingLogger.Line line = logger.lines.get(0);
    assertEquals(Level.WARN, line.level());
    assertEquals("SourceException", line.keyValues().get("reason"));
    assertEquals("reconcile failed: https://***@git.example.com/deploy.git: 401 Unauthorized", line.message());
    assertEquals(List.of("failed"), forwarded);
  }

  @Test
  void aRefusalIsLoggedAsOne() {
    log.failed(new StalePlanException("the target moved since the plan was made", "sha256:1", "sha256:2",
        List.of(ResourceId.of("ConfigMap", "default", "a"))));

    assertTrue(logger.lines.get(0).message().startsWith("reconcile refused: "), logger::text);
    assertEquals("StalePlanException", logger.lines.get(0).keyValues().get("reason"));
  }

  @Test
  void failedStepsAreLoggedOneByOneWithTheirResource() {
    InMemoryTarget failing = InMemoryTarget.named("failing");
    failing.failNext(ResourceId.of("ConfigMap", "default", "a"), 1, false);
    Plan plan = plan(configMap("a", "blue"));
    ApplyReport report = new Applier().apply(plan, failing, ApplyOptions.defaults().withParallelism(1)
        .withRetry(1, Duration.ZERO, Duration.ZERO).withHealthWait(Duration.ZERO, Duration.ZERO).withSleeper(d -> { }));
    log.reconciled(new ReconcileResult(REV, plan, report, new ReconcileResult.Timings(Duration.ZERO,
        Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO)));

    List<RecordingLogger.Line> warn = at(Level.WARN);
    assertEquals(2, warn.size(), logger::text);
    assertEquals("ApplyFailed", warn.get(0).keyValues().get("reason"));
    assertEquals("ConfigMap/default/a", warn.get(1).keyValues().get("resource"));
    assertEquals(List.of("ConfigMap/default/a"), warn.stream().skip(1).map(l -> l.keyValues().get("resource"))
        .collect(Collectors.toList()));
  }
}

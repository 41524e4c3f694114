package dev.gitops.plan;

import static dev.gitops.model.Fixtures.configMap;
import static dev.gitops.model.Fixtures.file;
import static dev.gitops.plan.PlanFixtures.dependingOn;
import static dev.gitops.plan.PlanFixtures.deployment;
import static dev.gitops.plan.PlanFixtures.inWave;
import static dev.gitops.plan.PlanFixtures.namespace;
import static dev.gitops.plan.PlanFixtures.observed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Handler;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Observed;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.testing.PlanAssert;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanOrderTest {
  static final PlanOptions WEB = PlanOptions.defaults().withOwner("web");
  final Planner planner = new Planner();

  Plan plan(List<Resource> desired, List<Observed> actual, PlanOptions options) {
    return planner.plan(DesiredState.of(desired), ActualState.of(actual), options);
  }

  static List<List<String>> ids(Plan plan) {
    return plan.waves().stream().map(w -> w.actions().stream().map(a -> a.id().toString()).toList()).toList();
  }

  @Test
  void withoutOrderingHintsEverythingIsOneWaveSortedById() {
    Plan plan = plan(List.of(deployment("b", 1), configMap("z", Map.of()), deployment("a", 1)), List.of(), WEB);
    assertEquals(List.of(List.of("ConfigMap/default/z", "apps/Deployment/default/a", "apps/Deployment/default/b")),
        ids(plan));
    assertEquals(0, plan.waves().get(0).index());
  }

  @Test
  void explicitWavesApplyInNumericOrder() {
    Plan plan = plan(List.of(inWave(deployment("late", 1), 10), inWave(deployment("early", 1), -1),
        deployment("zero", 1), inWave(deployment("two", 1), 2)), List.of(), WEB);
    assertEquals(List.of(List.of("apps/Deployment/default/early"), List.of("apps/Deployment/default/zero"),
        List.of("apps/Deployment/default/two"), List.of("apps/Deployment/default/late")), ids(plan));
    for (int i = 0; i < plan.waves().size(); i++) {
      assertEquals(i, plan.waves().get(i).index());
    }
  }

  @Test
  void dependsOnWithinAWaveOrdersByLevel() {
    Resource db = deployment("db", 1);
    Resource api = dependingOn(deployment("api", 1), db.id());
    Resource web = dependingOn(deployment("web", 1), api.id(), db.id());
    Resource other = deployment("other", 1);
    Plan plan = plan(List.of(web, other, api, db), List.of(), WEB);
    assertEquals(List.of(List.of("apps/Deployment/default/db", "apps/Deployment/default/other"),
        List.of("apps/Deployment/default/api"), List.of("apps/Deployment/default/web")), ids(plan));
  }

  @Test
  void dependsOnAnEarlierWaveAddsNoLevel() {
    Resource db = inWave(deployment("db", 1), 0);
    Resource web = inWave(dependingOn(deployment("web", 1), db.id()), 1);
    Resource cache = inWave(deployment("cache", 1), 1);
    Plan plan = plan(List.of(web, db, cache), List.of(), WEB);
    assertEquals(List.of(List.of("apps/Deployment/default/db"),
        List.of("apps/Deployment/default/cache", "apps/Deployment/default/web")), ids(plan));
  }

  @Test
  void dependsOnALaterWaveIsInvalidNamingBoth() {
    Resource db = inWave(deployment("db", 1), 2);
    Resource web = inWave(dependingOn(deployment("web", 1), db.id()), 1);
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> plan(List.of(web, db), List.of(), WEB));
    assertEquals("deploy/web.yaml:1: apps/Deployment/default/web: depends on apps/Deployment/default/db"
        + " (wave 2), which applies in a later wave than apps/Deployment/default/web (wave 1)", e.getMessage());
  }

  @Test
  void kindOrderSplitsAWaveByRank() {
    PlanOptions ranked = WEB.withKindOrder(id -> id.kind().equals("Namespace") ? 0 : 1);
    Plan plan = plan(List.of(deployment("web", 1), namespace("default"), configMap("c", Map.of())),
        List.of(), ranked);
    assertEquals(List.of(List.of("Namespace//default"),
        List.of("ConfigMap/default/c", "apps/Deployment/default/web")), ids(plan));
  }

  @Test
  void waveComesBeforeLevelAndLevelBeforeKindRank() {
    PlanOptions ranked = WEB.withKindOrder(id -> id.kind().equals("Namespace") ? 0 : 1);
    Resource cm = configMap("c", Map.of());
    Resource ns = dependingOn(namespace("late"), cm.id());
    Resource first = inWave(deployment("first", 1), -1);
    Plan plan = plan(List.of(ns, cm, first), List.of(), ranked);
    assertEquals(List.of(List.of("apps/Deployment/default/first"), List.of("ConfigMap/default/c"),
        List.of("Namespace//late")), ids(plan));
  }

  @Test
  void noOpsSitInTheWaveTheirKeyGivesThem() {
    Resource db = deployment("db", 1);
    Resource web = dependingOn(deployment("web", 2), db.id());
    Plan plan = plan(List.of(db, web), List.of(observed(db, "web"), observed(deployment("web", 1), "web")), WEB);
    assertEquals(List.of(List.of("apps/Deployment/default/db"), List.of("apps/Deployment/default/web")), ids(plan));
    assertTrue(plan.waves().get(0).isEmpty());
    PlanAssert.assertThat(plan).leavesUnchanged(db.id()).updates(web.id());
  }

  @Test
  void deletesComeAfterAppliesInReverseKindOrder() {
    PlanOptions ranked = WEB.withKindOrder(id -> id.kind().equals("Namespace") ? 0 : 1);
    Plan plan = plan(List.of(deployment("keep", 1)), List.of(observed(namespace("old"), "web"),
        observed(deployment("gone", 1), "web"), observed(configMap("gone", Map.of()), "web")), ranked);
    assertEquals(List.of(List.of("apps/Deployment/default/keep"),
        List.of("ConfigMap/default/gone", "apps/Deployment/default/gone"), List.of("Namespace//old")), ids(plan));
  }

  @Test
  void deletesFollowTheActualWaveAnnotationsInReverse() {
    Resource broken = deployment("broken", 1).withAnnotations(Map.of(Resource.WAVE, "soon"));
    Plan plan = plan(List.of(deployment("keep", 1)), List.of(observed(inWave(deployment("w2", 1), 2), "web"),
        observed(inWave(deployment("w5", 1), 5), "web"), observed(broken, "web"),
        observed(deployment("keep", 1), "web")), WEB);
    assertEquals(List.of(List.of("apps/Deployment/default/keep"), List.of("apps/Deployment/default/w5"),
        List.of("apps/Deployment/default/w2"), List.of("apps/Deployment/default/broken")), ids(plan));
  }

  @Test
  void handlerRunsInALastWaveWhenAMatchingFileChanges() {
    Handler reload = new Handler("reload-nginx", "nginx -s reload", List.of("nginx/**"), Origin.UNKNOWN);
    Handler unused = new Handler("restart-app", "systemctl restart app", List.of("app/*.conf"), Origin.UNKNOWN);
    Resource site = file("nginx/sites/web.conf", "server {}\n");
    Resource main = file("nginx/nginx.conf", "events {}\n");
    Resource app = file("app/app.conf", "port=80\n");
    DesiredState desired = DesiredState.of(List.of(site, main, app), List.of(reload, unused), List.of());
    Plan plan = planner.plan(desired, ActualState.of(List.of(observed(app, "web"),
        observed(file("nginx/old.conf", "x"), "web"))), WEB);
    Action.Run run = (Action.Run) plan.action(reload.id()).orElseThrow();
    assertEquals(List.of(ResourceId.file("nginx/nginx.conf"), ResourceId.file("nginx/old.conf"),
        ResourceId.file("nginx/sites/web.conf")), run.because());
    PlanAssert.assertThat(plan).runs("reload-nginx").doesNotMention(unused.id())
        .appliesBefore(ResourceId.file("nginx/old.conf"), reload.id());
    assertEquals(List.of(reload.id()), plan.waves().get(plan.waves().size() - 1).actions().stream()
        .map(Action::id).toList());
    assertEquals("Plan: 2 to create, 0 to update, 1 to delete, 0 to adopt, 1 handler to run.", plan.summary());
  }

  @Test
  void aHandlersGlobsAreOneGitignoreListWhereANegationTakesPathsBack() {
    Handler reload = new Handler("reload", "nginx -s reload", List.of("nginx/**", "!*.bak", "conf.d/", "# a comment"),
        Origin.UNKNOWN);
    Resource backup = file("nginx/site.conf.bak", "old\n");
    Resource dir = file("etc/conf.d", "a file named conf.d is no directory\n");
    Plan quiet = planner.plan(DesiredState.of(List.of(backup, dir), List.of(reload), List.of()), ActualState.of(List.of()), WEB);
    PlanAssert.assertThat(quiet).doesNotMention(reload.id());
    Resource site = file("nginx/site.conf", "server {}\n");
    Plan plan = planner.plan(DesiredState.of(List.of(backup, dir, site), List.of(reload), List.of()),
        ActualState.of(List.of()), WEB);
    assertEquals(List.of(site.id()), ((Action.Run) plan.action(reload.id()).orElseThrow()).because());
  }

  @Test
  void noHandlerRunsWhenNothingItWatchesChanged() {
    Handler reload = new Handler("reload", "nginx -s reload", List.of("*.conf"), Origin.UNKNOWN);
    Resource conf = file("etc/nginx.conf", "a\n");
    Plan plan = planner.plan(DesiredState.of(List.of(conf), List.of(reload), List.of()),
        ActualState.of(List.of(observed(conf, "web"))), WEB);
    assertTrue(plan.isEmpty());
    PlanAssert.assertThat(plan).doesNotMention(reload.id());
  }

  @Test
  void deletesRemoveDependentsBeforeWhatTheyDependOn() {
    Resource db = deployment("db", 1);
    Resource api = dependingOn(deployment("api", 1), db.id());
    Resource web = dependingOn(deployment("web", 1), api.id(), ResourceId.of("Gone", "", "x"));
    Plan plan = plan(List.of(), List.of(observed(db, "web"), observed(api, "web"), observed(web, "web")),
        WEB.withAllowEmptyPrune(true));
    assertEquals(List.of(List.of("apps/Deployment/default/web"), List.of("apps/Deployment/default/api"),
        List.of("apps/Deployment/default/db")), ids(plan));
  }

  @Test
  void aDependsOnCycleReadBackFromTheTargetDoesNotStopAPrune() {
    Resource a = dependingOn(deployment("a", 1), deployment("b", 1).id());
    Resource b = dependingOn(deployment("b", 1), a.id());
    Resource c = deployment("c", 1).withAnnotations(Map.of(Resource.DEPENDS_ON, "not an id, ,"));
    Plan plan = plan(List.of(), List.of(observed(a, "web"), observed(b, "web"), observed(c, "web")),
        WEB.withAllowEmptyPrune(true));
    assertEquals(3, plan.counts().get(Action.Kind.DELETE));
  }
}

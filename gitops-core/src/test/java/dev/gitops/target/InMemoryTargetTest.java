package dev.gitops.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Fixtures;
import dev.gitops.model.Observed;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.plan.Action;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryTargetTest implements WrapperContract {
  private final InMemoryTarget target = InMemoryTarget.empty();

  @Override public Target target() { return target; }

  @Override public Resource sampleResource(String name) { return Fixtures.configMap(name, "one"); }

  @Override
  public Resource modified(Resource resource) {
    return Fixtures.configMap(resource.id().name(), "changed-" + resource.content().digest());
  }

  @Override public void putUnowned(Resource resource) { target.put(resource, ""); }

  @Test
  void writesSetAVersionAndRecordLastApplied() {
    Resource r = Fixtures.configMap("web", "1");
    target.apply(new Action.Create(r), "me");
    Observed o = target.get(r.id());
    assertTrue(o.fingerprint().startsWith("version:"), o.fingerprint());
    assertEquals(r.content(), o.lastApplied());
    assertEquals(Origin.UNKNOWN, o.resource().origin(), "read resources have no origin");
  }

  @Test
  void handEditMovesTheFingerprintAndKeepsLastApplied() {
    Resource r = Fixtures.configMap("web", "1");
    target.apply(new Action.Create(r), "me");
    String planned = target.get(r.id()).fingerprint();
    target.put(Fixtures.configMap("web", "2"), "me");
    assertTrue(!planned.equals(target.get(r.id()).fingerprint()));
    assertEquals(r.content(), target.get(r.id()).lastApplied());
    assertThrows(StaleResourceException.class, () -> target.apply(new Action.Update(
        Fixtures.configMap("web", "3"), ResourceDiff.none(r.id()), planned), "me"));
  }

  @Test
  void updateOrDeleteOfAnotherOwnersResourceIsRefused() {
    Resource r = Fixtures.configMap("theirs", "1");
    target.apply(new Action.Create(r), "them");
    String fp = target.get(r.id()).fingerprint();
    TargetException e = assertThrows(TargetException.class,
        () -> target.apply(new Action.Delete(r.id(), fp), "me"));
    assertTrue(e.getMessage().contains("owned by them"), e.getMessage());
    assertEquals("them", target.get(r.id()).owner());
  }

  @Test
  void injectedFailuresHitTheNextWritesThenStop() {
    Resource r = Fixtures.configMap("web", "1");
    target.failNext(r.id(), 2, true);
    TargetException first = assertThrows(TargetException.class,
        () -> target.apply(new Action.Create(r), "me"));
    assertTrue(first.retryable());
    assertThrows(TargetException.class, () -> target.apply(new Action.Create(r), "me"));
    target.apply(new Action.Create(r), "me");
    assertEquals("me", target.get(r.id()).owner());
    target.failNext(r.id(), 1, false);
    TargetException fatal = assertThrows(TargetException.class, () -> target.apply(
        new Action.Delete(r.id(), target.get(r.id()).fingerprint()), "me"));
    assertTrue(!fatal.retryable());
  }

  @Test
  void callLogRecordsReadsWritesAndHealthChecks() {
    Resource r = Fixtures.configMap("web", "1");
    target.read(Scope.owned("me"));
    target.apply(new Action.Create(r), "me");
    target.health(r.id());
    assertEquals(List.of("read", "apply create ConfigMap/default/web", "health ConfigMap/default/web"),
        target.calls());
  }

  @Test
  void healthAnswersInTurnThenKeepsTheLast() {
    var id = Fixtures.configMap("web", "1").id();
    assertEquals(Health.HEALTHY, target.health(id));
    target.setHealth(id, Health.progressing("1 of 2 replicas"), Health.HEALTHY);
    assertEquals(Health.progressing("1 of 2 replicas"), target.health(id));
    assertEquals(Health.HEALTHY, target.health(id));
    assertEquals(Health.HEALTHY, target.health(id));
  }

  @Test
  void lockIsExclusiveUntilClosedOrStale() {
    target.setClock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    Lockable.Lock held = target.lock("ci-1", Duration.ofMinutes(10));
    LockedException e = assertThrows(LockedException.class,
        () -> target.lock("ci-2", Duration.ofMinutes(10)));
    assertEquals("ci-1", e.holder());
    target.setClock(Clock.fixed(Instant.parse("2026-01-01T00:11:00Z"), ZoneOffset.UTC));
    Lockable.Lock taken = target.lock("ci-2", Duration.ofMinutes(10));
    held.close();
    assertEquals("ci-2", target.lockHolder(), "closing a taken-over lock does not release the new one");
    taken.close();
    assertEquals("", target.lockHolder());
  }

  @Test
  void historyKeepsTheNewestEntriesFirst() {
    for (int i = 1; i <= 4; i++) {
      target.record(new DeployHistory.Deployment("rev" + i, "main", "", "succeeded",
          Instant.EPOCH.plusSeconds(i), "ci"), 3);
    }
    assertEquals(List.of("rev4", "rev3", "rev2"),
        target.history().stream().map(DeployHistory.Deployment::revision).toList());
  }

  @Test
  void ofKeepsOwnersAndReadReturnsOwnedPlusAskedIds() {
    Resource a = Fixtures.configMap("a", "1");
    Resource b = Fixtures.configMap("b", "1");
    Resource c = Fixtures.configMap("c", "1");
    InMemoryTarget t = InMemoryTarget.of(List.of(Observed.of(a, "me"), Observed.of(b, "them"),
        Observed.of(c, "")));
    assertEquals(Set.of(a.id()), t.read(Scope.owned("me")).byId().keySet());
    assertEquals(Set.of(a.id(), c.id()), t.read(Scope.of("me", Set.of(c.id()))).byId().keySet());
    assertEquals(3, t.snapshot().size());
    assertTrue(t.remove(c.id()));
    assertNull(t.get(c.id()));
  }

  @Test
  void describesItselfByName() {
    assertEquals("memory:memory", InMemoryTarget.empty().describe());
    assertEquals("memory:staging", InMemoryTarget.named("staging").describe());
    assertTrue(!target.toString().contains("one"), "toString never prints contents");
  }
}

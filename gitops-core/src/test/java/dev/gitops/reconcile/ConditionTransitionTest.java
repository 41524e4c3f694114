package dev.gitops.reconcile;

import static dev.gitops.reconcile.Rig.configMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.reconcile.AgentStatus.Condition;
import dev.gitops.source.SourceException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conditions carry lastTransitionTime, which moves only when their status flips. Virtual time. */
class ConditionTransitionTest extends OnARig {
  Instant since(PullAgent agent, Condition.Type type) {
    return agent.status().condition(type).lastTransitionTime();
  }

  @Test
  void everyConditionStartsAtTheAgentsCreation() {
    rig.clock.advance(Duration.ofSeconds(3));
    PullAgent agent = agent(rig.reconciler()).build();
    for (Condition c : agent.status().conditions()) {
      assertEquals(Rig.START.plusSeconds(3), c.lastTransitionTime(), c::toString);
    }
  }

  @Test
  void transitionTimeMovesOnlyWhenTheStatusFlips() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    PullAgent agent = agent(rig.reconciler()).build().start();
    rig.scheduler.advance(Duration.ZERO);
    assertTrue(agent.status().is(Condition.Type.READY));
    assertEquals(Rig.START, since(agent, Condition.Type.READY));

    rig.repo.commit(Map.of("a.json", configMap("a", "green")));
    rig.scheduler.advance(MINUTE);
    assertEquals("green", rig.color("a"));
    assertTrue(agent.status().condition(Condition.Type.READY).message().contains(agent.status().lastApplied().shortId()));
    assertEquals(Rig.START, since(agent, Condition.Type.READY), "a new message under the same status keeps the time");

    rig.source.failLatest = new SourceException("git.example.com: connection refused");
    rig.scheduler.advance(MINUTE);
    Instant failedAt = Rig.START.plus(MINUTE.multipliedBy(2));
    assertFalse(agent.status().is(Condition.Type.READY));
    assertEquals(failedAt, since(agent, Condition.Type.READY));
    assertEquals(failedAt, since(agent, Condition.Type.STALLED));
    assertEquals(Rig.START, since(agent, Condition.Type.DRIFTED), "Drifted stayed false");

    rig.scheduler.advance(Duration.ofSeconds(10));
    assertTrue(agent.status().condition(Condition.Type.STALLED).message().contains("2 consecutive failures"),
        agent.status()::toString);
    assertEquals(failedAt, since(agent, Condition.Type.STALLED), "a second failure is no transition");

    rig.source.failLatest = null;
    rig.scheduler.advance(Duration.ofSeconds(20));
    Instant recoveredAt = failedAt.plusSeconds(30);
    assertTrue(agent.status().is(Condition.Type.READY), agent.status()::toString);
    assertEquals(recoveredAt, since(agent, Condition.Type.READY));
    assertEquals(recoveredAt, since(agent, Condition.Type.STALLED));
  }

  @Test
  void driftWithSelfHealOffFlipsDriftedAndItsTimeStaysWhileTheDriftLasts() {
    rig.repo.commit(Map.of("a.json", configMap("a", "blue")));
    PullAgent agent = agent(rig.reconciler()).selfHeal(false).build().start();
    rig.scheduler.advance(Duration.ZERO);
    rig.handEdit("a", "red");

    rig.scheduler.advance(Duration.ofMinutes(5));
    Instant foundAt = Rig.START.plus(Duration.ofMinutes(5));
    assertTrue(agent.status().is(Condition.Type.DRIFTED), agent.status()::toString);
    assertEquals(foundAt, since(agent, Condition.Type.DRIFTED));
    assertEquals(foundAt, since(agent, Condition.Type.READY));

    rig.scheduler.advance(Duration.ofMinutes(5));
    assertTrue(agent.status().is(Condition.Type.DRIFTED));
    assertEquals(foundAt, since(agent, Condition.Type.DRIFTED), "drift found again is no transition");
  }
}

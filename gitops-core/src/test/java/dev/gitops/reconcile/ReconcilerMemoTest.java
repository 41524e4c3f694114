package dev.gitops.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.target.InMemoryTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reconciler skips fetch, load, read and plan only while both sides stay as they were. */
class ReconcilerMemoTest {
  private final ReconcilerMemoProperties.Commits source = new ReconcilerMemoProperties.Commits();
  private final InMemoryTarget memory = InMemoryTarget.named("memory");
  private final ReconcilerMemoProperties.Tokens tokens = new ReconcilerMemoProperties.Tokens(memory);
  private final Reconciler web = ReconcilerMemoProperties.reconciler(source, tokens);

  private long reads() {
    return memory.calls().stream().filter(c -> c.equals("read")).count();
  }

  @Test
  void anEmptyPlanIsNotMadeAgainWhileTheContentAndTheTokenStay() {
    source.commit(0b11);
    assertEquals(2, web.reconcile(null).plan().changes().size());
    assertTrue(web.reconcile(null).plan().isEmpty());
    long reads = reads();
    source.commit(0b11); // a new commit, the same files

    ReconcileResult again = web.reconcile(null);

    assertTrue(again.plan().isEmpty(), again.plan().render());
    assertEquals("c2", again.plan().revision(), "the plan names the revision asked for");
    assertEquals(reads, reads(), "neither read nor planned");
  }

  @Test
  void aChangedTokenOrChangedFilesAreReadAndPlannedAgain() {
    source.commit(0b1);
    web.reconcile(null);
    web.reconcile(null);
    long reads = reads();

    tokens.drift(t -> t.remove(Rig.cm("a")), InMemoryTarget.empty());
    assertEquals(List.of("ConfigMap/default/a"), web.reconcile(null).plan().changes().stream()
        .map(a -> a.id().toString()).toList(), "the drift is repaired");
    assertTrue(reads() > reads, "read again");
    assertTrue(web.reconcile(null).plan().isEmpty());
    reads = reads();
    source.commit(0b11);
    assertEquals(1, web.reconcile(null).plan().changes().size(), "the new file is created");
    assertTrue(reads() > reads, "read again");
  }

  @Test
  void aTargetWithoutTokensIsReadEveryTime() {
    Reconciler plain = ReconcilerMemoProperties.reconciler(source, memory);
    source.commit(0b1);
    plain.reconcile(null);
    plain.reconcile(null);
    long reads = reads();

    plain.reconcile(null);

    assertEquals(reads + 1, reads());
  }
}

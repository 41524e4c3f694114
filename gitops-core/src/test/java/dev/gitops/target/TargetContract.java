package dev.gitops.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.plan.Action;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Target}, run against every implementation: a test class implements this
 * interface and supplies the target and resources of the shapes it holds ({@code InMemoryTargetTest},
 * {@code FilesTargetIT}, {@code KubernetesTargetIT}).
 */
public interface TargetContract {
  /** Owner name the contract writes as. */
  String OWNER = "contract";
  /** A second owner, whose resources {@link #OWNER} must never see as its own. */
  String OTHER = "contract-other";

  /** The target under test: the same instance for the whole of one test, holding nothing yet. */
  Target target();

  /** A resource this target can hold, distinct for distinct names. */
  Resource sampleResource(String name);

  /** {@code resource} with other content. */
  Resource modified(Resource resource);

  /** Stores {@code resource} on {@link #target()} so that nobody owns it (as a hand edit would). */
  void putUnowned(Resource resource);

  /**
   * True when what the target reports holds what was applied. Default: equal contents; targets that
   * add fields (a server's defaults) override with their normalisation.
   */
  default boolean holds(Resource applied, Observed observed) {
    return applied.content().equals(observed.resource().content());
  }

  private Observed create(Resource r, String owner) {
    target().apply(new Action.Create(r), owner);
    Observed o = target().read(Scope.of(owner, Set.of(r.id()))).get(r.id());
    assertNotNull(o, "created resource is read back: " + r.id());
    return o;
  }

  @Test
  default void createdResourceIsReadBackOwned() {
    Resource r = sampleResource("contract-a");
    create(r, OWNER);
    Observed o = target().read(Scope.owned(OWNER)).get(r.id());
    assertNotNull(o, "owned read shows the created resource");
    assertEquals(OWNER, o.owner());
    assertTrue(holds(r, o), "content as applied");
  }

  @Test
  default void updateChangesContentAndFingerprint() {
    Resource r = sampleResource("contract-b");
    Observed before = create(r, OWNER);
    Resource changed = modified(r);
    target().apply(new Action.Update(changed, ResourceDiff.none(r.id()), before.fingerprint()), OWNER);
    Observed after = target().read(Scope.owned(OWNER)).get(r.id());
    assertTrue(holds(changed, after), "content updated");
    assertFalse(holds(r, after), "old content gone");
    assertNotEquals(before.fingerprint(), after.fingerprint(), "fingerprint moves on update");
    assertEquals(OWNER, after.owner());
  }

  @Test
  default void deleteRemovesTheResource() {
    Resource r = sampleResource("contract-c");
    Observed before = create(r, OWNER);
    target().apply(new Action.Delete(r.id(), before.fingerprint()), OWNER);
    assertNull(target().read(Scope.owned(OWNER)).get(r.id()));
    assertNull(target().read(Scope.of(OWNER, Set.of(r.id()))).get(r.id()));
  }

  @Test
  default void readOfAnUnownedIdReportsNoOwner() {
    Resource r = sampleResource("contract-d");
    putUnowned(r);
    Observed o = target().read(Scope.of(OWNER, Set.of(r.id()))).get(r.id());
    assertNotNull(o, "asked-for id is reported");
    assertEquals("", o.owner());
    assertNull(target().read(Scope.owned(OWNER)).get(r.id()), "not reported as owned");
  }

  @Test
  default void ownedReadNeverReturnsOtherOwnersResources() {
    Resource mine = sampleResource("contract-e");
    Resource theirs = sampleResource("contract-f");
    Resource nobodys = sampleResource("contract-g");
    create(mine, OWNER);
    create(theirs, OTHER);
    putUnowned(nobodys);
    ActualState owned = target().read(Scope.owned(OWNER));
    assertNotNull(owned.get(mine.id()));
    assertNull(owned.get(theirs.id()), "other owner's resource is not returned");
    assertNull(owned.get(nobodys.id()), "unowned resource is not returned");
    assertTrue(owned.observed().stream().allMatch(o -> o.isOwnedBy(OWNER)));
    assertEquals(OTHER, target().read(Scope.of(OWNER, Set.of(theirs.id()))).get(theirs.id()).owner());
  }

  @Test
  default void adoptTakesOwnership() {
    Resource r = sampleResource("contract-h");
    putUnowned(r);
    Observed before = target().read(Scope.of(OWNER, Set.of(r.id()))).get(r.id());
    Resource changed = modified(r);
    target().apply(new Action.Adopt(changed, ResourceDiff.none(r.id()), before.fingerprint()), OWNER);
    Observed after = target().read(Scope.owned(OWNER)).get(r.id());
    assertNotNull(after, "adopted resource is owned");
    assertTrue(holds(changed, after));
  }

  @Test
  default void updateAgainstAStaleFingerprintIsRefused() {
    Resource r = sampleResource("contract-i");
    Observed before = create(r, OWNER);
    Resource changed = modified(r);
    target().apply(new Action.Update(changed, ResourceDiff.none(r.id()), before.fingerprint()), OWNER);
    Resource again = modified(changed);
    assertThrows(StaleResourceException.class, () -> target().apply(
        new Action.Update(again, ResourceDiff.none(r.id()), before.fingerprint()), OWNER));
    assertTrue(holds(changed, target().read(Scope.owned(OWNER)).get(r.id())), "left as it was");
  }

  @Test
  default void createOfAnExistingResourceIsRefused() {
    Resource r = sampleResource("contract-j");
    create(r, OWNER);
    assertThrows(TargetException.class, () -> target().apply(new Action.Create(modified(r)), OWNER));
    assertTrue(holds(r, target().read(Scope.owned(OWNER)).get(r.id())), "left as it was");
  }

  /**
   * A read told the desired state returns what the plain read returns, whatever the desired state
   * holds: the same content, other content, a resource not on the target, or nothing.
   */
  @Test
  default void aReadToldTheDesiredStateReadsTheSame() {
    Resource same = sampleResource("contract-h1");
    Resource changed = sampleResource("contract-h2");
    Resource absent = sampleResource("contract-h3");
    create(same, OWNER);
    create(changed, OWNER);
    Scope scope = Scope.of(OWNER, Set.of(same.id(), changed.id(), absent.id()));
    ActualState plain = target().read(scope);
    for (DesiredState desired : List.of(DesiredState.of(List.of(same, modified(changed), absent)),
        DesiredState.of(List.of(modified(same))), DesiredState.empty())) {
      assertSameRead(plain, target().read(scope, desired));
    }
  }

  /**
   * Asserts that a read told the desired state ({@code told}) reports what the plain read reported:
   * the same resources, each with the same content, owner and fingerprint.
   *
   * @param plain what {@code read(scope)} returned
   * @param told what {@code read(scope, desired)} returned for the same scope
   */
  static void assertSameRead(ActualState plain, ActualState told) {
    assertEquals(plain.byId().keySet(), told.byId().keySet(), "the same resources");
    for (Observed o : plain.byId().values()) {
      Observed t = told.get(o.resource().id());
      assertEquals(o.resource().content(), t.resource().content(), "content of " + o.resource().id());
      assertEquals(o.owner(), t.owner(), "owner of " + o.resource().id());
      assertEquals(o.fingerprint(), t.fingerprint(), "fingerprint of " + o.resource().id());
    }
  }
}

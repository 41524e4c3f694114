package dev.gitops.internal.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import org.junit.jupiter.api.Test;

class SharedNamesTest {
  @Test
  void equalNamesReadInTwoPlacesBecomeOneInstance() {
    String first = new String("Deployment-shared-test");
    String second = new String("Deployment-shared-test");
    assertNotSame(first, second);
    assertSame(SharedNames.of(first), SharedNames.of(second));
    assertEquals(first, SharedNames.of(second));
  }

  @Test
  void idsOfBothStatesHoldTheSameKindGroupAndNamespaceButTheirOwnNames() {
    ResourceId desired = new ResourceId(new String("apps"), new String("StatefulSet"),
        new String("shop"), new String("db"));
    ResourceId actual = new ResourceId(new String("apps"), new String("StatefulSet"),
        new String("shop"), new String("db"));
    assertSame(desired.group(), actual.group());
    assertSame(desired.kind(), actual.kind());
    assertSame(desired.namespace(), actual.namespace());
    assertNotSame(desired.name(), actual.name()); // names are many: not kept
    assertEquals(0, desired.compareTo(actual));
    assertEquals(desired, actual);
  }

  @Test
  void ownersAreSharedSoThatOwnershipIsAReferenceCheck() {
    Resource r = Resource.of(ResourceId.of("ConfigMap", "default", "app"), Content.tree(
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
    Observed o = Observed.of(r, new String("gitops-owner-test"));
    assertSame(SharedNames.of("gitops-owner-test"), o.owner());
    assertEquals(true, o.isOwnedBy(new String("gitops-owner-test")));
  }

  @Test
  void longStringsAreNotKept() {
    String longName = "x".repeat(SharedNames.MAX_LENGTH + 1);
    assertSame(longName, SharedNames.of(longName));
    assertNotSame(SharedNames.of(new String(longName)), SharedNames.of(new String(longName)));
  }
}

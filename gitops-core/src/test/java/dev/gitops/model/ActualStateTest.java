package dev.gitops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActualStateTest {
  private final Observed a = Observed.of(Fixtures.configMap("a", "1"), "web");
  private final Observed b = Observed.of(Fixtures.configMap("b", "1"), "web");

  @Test
  void withReplacesObservationsByIdAndKeepsTheOthers() {
    ActualState state = ActualState.of(List.of(b, a));
    Observed newer = Observed.of(Fixtures.configMap("b", "2"), "other");
    Observed added = Observed.of(Fixtures.configMap("c", "1"), "web");

    ActualState replaced = state.with(Map.of(b.id(), newer, added.id(), added));

    assertEquals(List.of(a, newer, added), List.copyOf(replaced.observed()), "in id order");
    assertEquals(List.of(a, b), List.copyOf(state.observed()), "the original is unchanged");
    assertSame(state, state.with(Map.of()));
  }

  @Test
  void withRefusesAnObservationUnderAnotherId() {
    ActualState state = ActualState.of(List.of(a));
    assertThrows(IllegalArgumentException.class, () -> state.with(Map.of(a.id(), b)));
  }
}

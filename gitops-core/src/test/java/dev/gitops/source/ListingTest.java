package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ListingTest {
  @Test
  void inOrderNamesTheFirstTenOfferedWithTheirDetailsThenCountsTheRest() {
    Listing names = Listing.inOrder();
    assertTrue(names.isEmpty());
    for (int i = 12; i > 0; i--) {
      names.add("f" + i, i % 2 == 0 ? " (even)" : "");
    }
    assertEquals(12, names.count());
    assertEquals("f12", names.first());
    assertEquals("<f12> (even), <f11>, <f10> (even), <f9>, <f8> (even), <f7>, <f6> (even), <f5>, <f4> (even), <f3>"
        + " and 2 more", names.names(n -> "<" + n + ">"));
  }

  @Test
  void sortedNamesTheTenSmallestHoweverManyAreOffered() {
    Listing names = Listing.sorted();
    for (int i = 20_000; i > 0; i--) { // smallest last: each one offered evicts the largest kept
      names.add(String.format("n%06d", i));
    }
    names.add("n000003", " (again)");
    assertEquals(20_001, names.count(), "an offer of a name kept counts again: two files may print alike");
    assertEquals("n000001", names.first());
    assertEquals("n000001, n000002, n000003 (again), n000004, n000005, n000006, n000007, n000008, n000009, n000010"
        + " and 19991 more", names.names(n -> n));
  }

  @Test
  void tenOrFewerAreNamedWithoutACount() {
    Listing one = Listing.sorted();
    one.add("'a'");
    assertEquals("'a'", one.names(n -> n));
    Listing ten = Listing.inOrder();
    for (int i = 0; i < Listing.LISTED; i++) {
      ten.add(Integer.toString(i));
    }
    assertEquals("0, 1, 2, 3, 4, 5, 6, 7, 8, 9", ten.names(n -> n));
  }
}

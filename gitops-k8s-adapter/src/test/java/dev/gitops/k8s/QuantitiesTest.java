package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class QuantitiesTest {
  @Test
  void quantitiesInRangeHaveOneCanonicalForm() {
    assertEquals("1073741824", Quantities.canonical("1Gi"));
    assertEquals("1073741824", Quantities.canonical("1024Mi"));
    assertEquals("1", Quantities.canonical("1000m"));
    assertEquals("2000", Quantities.canonical("2e3"));
    assertEquals("0.000000001", Quantities.canonical("1n"));
    assertEquals("9223372036854775807", Quantities.canonical("9223372036854775807"));
  }

  @Test
  void anAbsurdExponentIsOutOfRangeAndNeverWrittenOut() {
    for (String absurd : new String[] {"1e999999999", "1e-999999999", "1e99999999999", "-5E+999999",
        "9223372036854775808", "1e19", "8Ei", "1e-31"}) {
      assertNull(Quantities.canonical(absurd), absurd);
      assertTrue(Quantities.outOfRange(absurd), absurd);
    }
    assertFalse(Quantities.outOfRange("1e18"));
    assertFalse(Quantities.outOfRange("web"), "not a quantity at all");
  }

  @Test
  void aQuantityOfMoreThanAHundredCharactersIsRefusedByItsLengthNeverParsedNorShown() {
    String digits = "9".repeat(2_000_000); // BigDecimal took minutes for this
    String problem = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      assertNull(Quantities.canonical(digits));
      return Quantities.rangeProblem(text(digits));
    });
    assertEquals("a quantity of 2000000 characters, more than the 100 this loader reads (real ones take a few: 1.5Gi,"
        + " 250m): write it shorter", problem);
    String longest = "0".repeat(95) + "1.5Gi";
    assertEquals("1610612736", Quantities.canonical(longest), "a hundred characters are read");
    assertNull(Quantities.rangeProblem(text(longest)));
    assertNull(Quantities.canonical("0" + longest));
  }

  @Test
  void aQuantityIsStoredRoundedUpAwayFromZeroToTheScaleKept() {
    assertTrue(Quantities.stored(text("1m"), text("0.1m"), 3));
    assertTrue(Quantities.stored(text("2m"), text("1.5m"), 3));
    assertTrue(Quantities.stored(text("-1m"), text("-0.1m"), 3), "away from zero");
    assertTrue(Quantities.stored(text("1500m"), text("1.5"), 3), "milli precision is kept");
    assertTrue(Quantities.stored(text("1n"), text("0.0000000001"), 9));
    assertFalse(Quantities.stored(text("1m"), text("0.1m"), 9));
    assertFalse(Quantities.stored(text("1m"), text("0.1m"), Quantities.EXACT));
    assertTrue(Quantities.stored(text("100u"), text("0.1m"), Quantities.EXACT));
    assertTrue(Quantities.stored(text("1Gi"), com.fasterxml.jackson.databind.node.IntNode.valueOf(1073741824), 3));
    assertFalse(Quantities.stored(text("1m"), text("web"), 3));
  }

  private static com.fasterxml.jackson.databind.JsonNode text(String s) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(s);
  }

  @Test
  void aDerivedQuantityIsPrintedAsTheServerPrintsIt() {
    // resource.Quantity String(): canonical suffix, by the format read from the suffix written
    assertEquals("250m", form("0.25"));
    assertEquals("1Gi", form("1024Mi"));
    assertEquals("1536Mi", form("1.5Gi"));
    assertEquals("1500m", form("1.5"));
    assertEquals("1500k", form("1500000"));
    assertEquals("512", form("0.5Ki")); // binary under 1024: decimal
    assertEquals("1e3", form("1e3")); // the exponent format keeps its form
    assertEquals("1m", form("100u")); // a resource list rounds up to the milli
    assertEquals("0", form("0Gi"));
    assertEquals("2", Quantities.serverForm(new com.fasterxml.jackson.databind.node.IntNode(2),
        Defaulting.RESOURCE_LIST_SCALE).asText()); // a number is decimal
  }

  @Test
  void theServerFormAgreesWithTheTestSideCanonicalForm() {
    for (String text : new String[] {"0.1", "100m", "1", "2.5", "999", "1000", "1k", "12345", "0.001", "1.0001",
        "1Ki", "1023", "1025Ki", "3Mi", "0.5Gi", "1.25Gi", "7Ti", "1Ei", "64Mi", "128974848", "129M", "0.75Mi"}) {
      assertEquals(CanonicalQuantity.of(text), form(text), text);
    }
  }

  private static String form(String text) {
    return Quantities.serverForm(com.fasterxml.jackson.databind.node.TextNode.valueOf(text),
        Defaulting.RESOURCE_LIST_SCALE).asText();
  }
}

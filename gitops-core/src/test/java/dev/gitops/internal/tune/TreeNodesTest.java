package dev.gitops.internal.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TreeNodesTest {
  private static final ObjectMapper SHARING = new ObjectMapper().setNodeFactory(TreeNodes.INSTANCE);

  @Test
  void shortTextValuesAreSharedBetweenTreesAndLongOnesAreNot() throws Exception {
    String longText = "x".repeat(TreeNodes.MAX_SHARED_LENGTH + 1);
    String json = "{\"protocol\":\"TCP\",\"n\":80,\"long\":\"" + longText + "\",\"l\":[\"TCP\"]}";

    JsonNode first = SHARING.readTree(json);
    JsonNode second = SHARING.readTree(json);

    assertEquals(new ObjectMapper().readTree(json), first, "a different tree than Jackson's");
    assertSame(first.get("protocol"), second.get("protocol"));
    assertSame(first.get("protocol"), second.get("l").get(0));
    assertNotSame(first.get("long"), second.get("long"));
    assertEquals(first.get("long"), second.get("long"));
  }

  @Test
  void aCollidingValueTakesTheSlotAndBothStayCorrect() {
    // "Aa" and "BB" have the same String hash: they share a slot, each read gives its own text.
    assertEquals("Aa", TreeNodes.INSTANCE.textNode("Aa").textValue());
    assertEquals("BB", TreeNodes.INSTANCE.textNode("BB").textValue());
    assertEquals("Aa", TreeNodes.INSTANCE.textNode("Aa").textValue());
    assertSame(TreeNodes.INSTANCE.textNode("BB-x"), TreeNodes.INSTANCE.textNode("BB-x"));
  }
}

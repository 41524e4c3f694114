package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void requestBodiesAreCompactWithSortedKeysAndReadBackAsTheSameTree() {
    ObjectNode tree = Json.MAPPER.createObjectNode();
    tree.put("kind", "ConfigMap").put("apiVersion", "v1");
    tree.putObject("metadata").put("name", "web").put("annotations", "\"quoted\" \u00e9\u4e2d\n\ttab");
    tree.putObject("spec").put("replicas", 3).put("big", new BigInteger("123456789012345678901234567890"))
        .put("ratio", 0.5).put("cpu", new BigDecimal("0.10")).put("on", true).putNull("none")
        .putArray("ports").add(80).addObject().put("z", 1).put("a", 2);

    String json = Json.write(tree);

    assertEquals("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":"
        + "\"\\\"quoted\\\" \u00e9\u4e2d\\n\\ttab\",\"name\":\"web\"},\"spec\":{\"big\":123456789012345678901234567890,"
        + "\"cpu\":0.10,\"none\":null,\"on\":true,\"ports\":[80,{\"a\":2,\"z\":1}],\"ratio\":0.5,\"replicas\":3}}", json);
    JsonNode back = Json.parse(json);
    assertEquals(tree.toString().length(), json.length());
    assertEquals(new BigDecimal("0.10"), back.path("spec").path("cpu").decimalValue().setScale(2));
    assertEquals(tree.path("metadata"), back.path("metadata"));
  }
}

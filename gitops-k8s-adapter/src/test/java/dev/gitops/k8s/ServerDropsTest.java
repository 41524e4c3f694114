package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ServerDrops}: which fields of what was applied last the server dropped, from the live object alone. */
class ServerDropsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode live(String spec, String fieldsV1, String operation, boolean owned) throws Exception {
    String labels = owned ? "\"labels\":{\"gitops.dev/owner\":\"web\"}," : "";
    return (ObjectNode) JSON.readTree(("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",%s"
        + "\"managedFields\":[{\"manager\":\"gitops\",\"operation\":\"%s\",\"fieldsV1\":%s}]},\"spec\":%s}")
        .formatted(labels, operation, fieldsV1, spec));
  }

  private static List<String> texts(ServerDrops.Marked m) {
    return m.fields().stream().map(ServerDrops.Dropped::text).toList();
  }

  @Test
  void aFieldOwnedInAKeyedElementAndAbsentIsMarkedAndFoundByItsKey() throws Exception {
    String fields = "{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"w\\\\u001b\\\"}\":{\".\":{},\"f:name\":{},"
        + "\"f:image\":{},\"f:resizePolicy\":{}}}}}";
    ObjectNode live = live("{\"containers\":[{\"name\":\"w\\u001b\",\"image\":\"w:1\"}]}", fields, "Apply", true);
    JsonNode applied = ManagedFields.applied(live.at("/metadata/managedFields/0/fieldsV1"));
    ServerDrops.Marked m = ServerDrops.mark(applied, live, true);
    assertEquals(List.of(".spec.containers[name=w\\x1b].resizePolicy"), texts(m), "escaped, keyed by name");
    assertEquals(ServerDrops.UNLESS_ZERO, m.applied().at("/spec/containers/0/resizePolicy"),
        "an atomic list is a leaf of the field set: an empty list applied would be absent too");
    assertEquals(false, m.fields().get(0).certain());
    assertEquals(ServerDrops.DROPPED, ServerDrops.settled(m.applied()).at("/spec/containers/0/resizePolicy"));
    assertEquals(JSON.readTree("[{\"resourceName\":\"cpu\"}]"), m.fields().get(0).in(JSON.readTree(
        "{\"spec\":{\"containers\":[{\"name\":\"x\"},{\"name\":\"w\\u001b\",\"resizePolicy\":[{\"resourceName\":\"cpu\"}]}]}}")),
        "found in a desired object by the element's key, not its index");
    assertEquals(JSON.createObjectNode().put("image", true).put("name", "w\u001b").put("resizePolicy", true),
        applied.at("/spec/containers/0"), "what was applied last is not changed");
  }

  @Test
  void anElementOwnedWholeIsNotADroppedField() throws Exception {
    String fields = "{\"f:spec\":{\"f:imagePullSecrets\":{\"k:{\\\"name\\\":\\\"reg\\\"}\":{}}}}";
    ObjectNode live = live("{\"imagePullSecrets\":[{\"name\":\"reg\"}]}", fields, "Apply", true);
    JsonNode applied = ManagedFields.applied(live.at("/metadata/managedFields/0/fieldsV1"));
    ServerDrops.Marked m = ServerDrops.mark(applied, live, true);
    assertEquals(List.of(), texts(m));
    assertSame(applied, m.applied());
  }

  @Test
  void underJsonPatchTheRecordCountsOnlyWhereTheUpdateEntryStillOwnsTheField() throws Exception {
    JsonNode record = JSON.readTree("{\"spec\":{\"hostUsers\":true,\"schedulerName\":\"s\",\"priorityClassName\":\"x\","
        + "\"hostNetwork\":false}}");
    // hostUsers: owned, absent: dropped; priorityClassName: absent and no longer owned (removed by hand): drift;
    // hostNetwork: owned, absent, but the record holds false, which Go's encoder leaves out: no drop
    ObjectNode live = live("{\"schedulerName\":\"s\"}",
        "{\"f:spec\":{\"f:hostUsers\":{},\"f:schedulerName\":{},\"f:hostNetwork\":{}}}", "Update", true);
    assertEquals(List.of(".spec.hostUsers"), texts(ServerDrops.mark(record, live, false)));
    assertEquals(List.of(), texts(ServerDrops.mark(record, live, true)), "no Apply entry: nothing is known");
  }

  @Test
  void anObjectNobodyOwnsIsNotJudged() throws Exception {
    ObjectNode live = live("{}", "{\"f:spec\":{\"f:hostUsers\":{}}}", "Apply", false);
    JsonNode applied = JSON.readTree("{\"spec\":{\"hostUsers\":true}}");
    assertSame(applied, ServerDrops.mark(applied, live, true).applied());
  }
}

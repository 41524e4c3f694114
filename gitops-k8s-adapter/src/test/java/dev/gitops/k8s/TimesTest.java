package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.gitops.diff.ResourceDiff;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Times of built-in kinds as the API server reads them ({@code time.Parse} with RFC3339 for a
 * {@code metav1.Time}, RFC3339Micro for a {@code MicroTime}) and stores them (UTC, to the second or
 * the microsecond): the same instant written another way is no change, text the server refuses is
 * a load problem at its line, and a custom resource's {@code date-time} text is left alone.
 */
class TimesTest {
  @Test
  void aTimeIsReadAsGoReadsRfc3339() {
    Instant expected = Instant.parse("2025-01-02T03:04:05Z");
    for (String text : new String[] {"2025-01-02T03:04:05Z", "2025-01-02T05:04:05+02:00", "2025-01-01T22:04:05-05:00",
        "2025-01-02T3:04:05Z"}) {
      assertEquals(expected, Times.parse(text, false), text);
    }
    assertEquals(Instant.parse("2025-01-02T03:04:05.123456789Z"), Times.parse("2025-01-02T03:04:05.1234567891Z", false));
    assertEquals(Instant.parse("2025-01-02T03:04:05.5Z"), Times.parse("2025-01-02T03:04:05,5Z", false));
    for (String refused : new String[] {"2025-01-02T03:04:05", "2025-01-02 03:04:05Z", "2025-01-02t03:04:05Z",
        "2025-01-02T03:04Z", "2025-02-30T03:04:05Z", "2025-01-02T24:04:05Z", "2025-01-02T03:04:60Z",
        "2025-01-02T03:04:05+0200", "2025-01-02T03:04:05z", "2025-01-02", "", "tomorrow"}) {
      assertNull(Times.parse(refused, false), refused);
      assertNotNull(Times.problem(refused, false), refused);
    }
  }

  @Test
  void aMicroTimeTakesExactlySixFractionDigits() {
    assertEquals(Instant.parse("2025-01-02T03:04:05.250000Z"), Times.parse("2025-01-02T05:04:05.250000+02:00", true));
    for (String refused : new String[] {"2025-01-02T03:04:05Z", "2025-01-02T03:04:05.25Z",
        "2025-01-02T03:04:05.2500000Z"}) {
      assertNull(Times.parse(refused, true), refused);
    }
    assertNull(Times.problem("2025-01-02T03:04:05.000000Z", true));
  }

  @Test
  void theServerStoresATimeTruncatedToItsPrecision() {
    TextNode live = TextNode.valueOf("2025-01-02T03:04:05Z");
    assertTrue(Times.stored(live, TextNode.valueOf("2025-01-02T05:04:05.999+02:00"), false));
    assertTrue(!Times.stored(live, TextNode.valueOf("2025-01-02T03:04:06Z"), false));
    assertTrue(!Times.stored(live, TextNode.valueOf("2025-01-02T03:04:04.999Z"), false));
    TextNode liveMicro = TextNode.valueOf("2025-01-02T03:04:05.250000Z");
    assertTrue(Times.stored(liveMicro, TextNode.valueOf("2025-01-01T22:04:05.250000-05:00"), true));
    assertTrue(!Times.stored(liveMicro, TextNode.valueOf("2025-01-02T03:04:05.250001Z"), true));
    assertTrue(!Times.stored(liveMicro, TextNode.valueOf("2025-01-02T03:04:05.25Z"), true)); // refused, never stored
  }

  @Test
  void aLeasesRenewTimeWrittenInLocalTimeIsNoChangeAndAnotherInstantIs() {
    String lease = lease("renewTime: \"%s\"");
    String live = liveLease("f:renewTime: {}", "renewTime: \"2025-01-02T03:04:05.250000Z\"");
    ResourceDiff same = diff(lease.formatted("2025-01-02T05:04:05.250000+02:00"), live);
    assertTrue(same.isEmpty(), show(same));
    assertEquals(Map.of("time", 1), hidden(same), show(same));
    ResourceDiff later = diff(lease.formatted("2025-01-02T05:04:06.250000+02:00"), live);
    assertEquals(List.of("replace /spec/renewTime"), changes(later), show(later));
  }

  @Test
  void goZeroTimeInAnyOffsetIsStoredAsNothing() {
    for (String zero : new String[] {"0001-01-01T00:00:00Z", "0001-01-01T02:00:00+02:00",
        "0000-12-31T19:30:00-04:30", "0001-01-01T00:00:00.999Z"}) {
      assertTrue(Times.storedAsNothing(TextNode.valueOf(zero), false), zero);
    }
    for (String time : new String[] {"0001-01-01T00:00:01Z", "0000-12-31T23:59:59.5Z", "0001-01-01T00:00:00+00:01",
        "1970-01-01T00:00:00Z", "0001-01-01T00:00:00"}) {
      assertTrue(!Times.storedAsNothing(TextNode.valueOf(time), false), time);
    }
    assertTrue(Times.storedAsNothing(TextNode.valueOf("0001-01-01T01:00:00.000000+01:00"), true));
    assertTrue(!Times.storedAsNothing(TextNode.valueOf("0001-01-01T00:00:00.000001Z"), true));
    assertTrue(!Times.storedAsNothing(TextNode.valueOf("0001-01-01T00:00:00Z"), true)); // refused, never stored
  }

  @Test
  void aZeroTimeIsNoChangeWhereTheLiveObjectHasNoneAndAChangeWhereItHasOne() {
    String lease = lease("renewTime: \"%s\", acquireTime: \"%s\"");
    String live = liveLease("f:renewTime: {}, f:acquireTime: {}",
        "renewTime: null, acquireTime: \"2025-01-02T03:04:05.000000Z\"");
    ResourceDiff zero = diff(lease.formatted("0001-01-01T00:00:00.000000Z", "2025-01-02T03:04:05.000000Z"), live);
    assertTrue(zero.isEmpty(), show(zero));
    assertEquals(Map.of("time", 1), hidden(zero), show(zero));
    ResourceDiff reset = diff(lease.formatted("0001-01-01T00:00:00.000001Z", "0001-01-01T00:00:00.000000Z"), live);
    assertEquals(List.of("replace /spec/acquireTime", "add /spec/renewTime"), changes(reset), show(reset));
  }

  /** A Lease {@code lock} held by {@code a}, with {@code spec} fields too. */
  private static String lease(String spec) {
    return """
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata: {name: lock, namespace: shop}
        spec: {holderIdentity: a, %s}
        """.formatted(spec);
  }

  /** A Lease {@code lock} held by {@code a}, whose {@code spec} gitops applied with {@code owned} too. */
  private static String liveLease(String owned, String spec) {
    return """
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata:
          name: lock
          namespace: shop
          managedFields:
          - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:holderIdentity: {}, %s}}}
        spec: {holderIdentity: a, %s}
        """.formatted(owned, spec);
  }

  @Test
  void aTimeTheServerRefusesIsAProblemAtItsLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: v1
        kind: Node
        metadata: {name: gpu-1}
        spec:
          taints:
          - {key: a, effect: NoExecute, timeAdded: "2025-01-02T03:04:05"}
          - {key: b, effect: NoExecute, timeAdded: 20250102}
          - {key: c, effect: NoExecute, timeAdded: "2025-01-02T03:04:05.5+02:00"}
        ---
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata: {name: lock, namespace: shop}
        spec:
          renewTime: "2025-01-02T03:04:05Z"
          acquireTime: "2025-01-02T03:04:05.000000Z"
        """);
    assertEquals(List.of(
        "app.yaml:6: Node//gpu-1: spec.taints[0].timeAdded: not a time as the API server reads one here: RFC 3339,"
            + " as 2025-01-02T03:04:05Z",
        "app.yaml:7: Node//gpu-1: spec.taints[1].timeAdded: a number where the API server takes a string: quote it",
        "app.yaml:14: coordination.k8s.io/Lease/shop/lock: spec.renewTime: not a time as the API server reads one"
            + " here: RFC 3339 with six fraction digits, as 2025-01-02T03:04:05.000000Z"), found);
  }

  private static final String SLICE = """
      apiVersion: resource.k8s.io/v1
      kind: ResourceSlice
      metadata: {name: node-1-gpu.example.com%s}
      spec:
        driver: gpu.example.com
        nodeName: node-1
        pool: {name: node-1, generation: 1, resourceSliceCount: 1}
        devices:
        - name: gpu-0
          taints: [{key: example.com/unhealthy, value: ecc, effect: NoSchedule%s}]
      """;
  private static final String SLICE_OWNED = ", labels: {app.kubernetes.io/managed-by: gitops, gitops.dev/owner: web},"
      + " managedFields: [{manager: gitops, operation: Apply, fieldsV1: {f:spec: {f:driver: {}, f:nodeName: {},"
      + " f:pool: {f:name: {}, f:generation: {}, f:resourceSliceCount: {}}, f:devices: {}}}}]";

  @Test
  void aDeviceTaintsTimeAddedTheServerDefaultedIsNoChange() {
    // resource/v1 SetDefaults_DeviceTaint: a nil timeAdded is set to now (to the second) at every write
    // that decodes the taint; Git leaves it out: the live time is the server's, not a removal to plan
    ResourceDiff d = diff(SLICE.formatted("", ""), SLICE.formatted(SLICE_OWNED, ", timeAdded: \"2025-09-04T12:00:10Z\""));
    assertTrue(d.isEmpty(), show(d));
    ResourceDiff other = diff(SLICE.formatted("", ""),
        SLICE.formatted(SLICE_OWNED, ", timeAdded: \"2025-09-04T12:00:10Z\"").replace("value: ecc", "value: ecc-old"));
    assertEquals(List.of("replace /spec/devices/0/taints/0/value"), changes(other), show(other)); // a real change still counts
  }
}

package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which conflicts of a dry-run apply the adoption's hand-over ends, read as the API server writes them. */
class HandOverConflictsTest {
  /** What a hand-over leaves: {@code gitops} owns kubectl's fields; Helm's entry lost its label; a status writer's stays. */
  private static final JsonNode AFTER = Json.parse("""
      [{"manager":"gitops","operation":"Apply","apiVersion":"v1","fieldsType":"FieldsV1",
        "fieldsV1":{"f:data":{"f:A":{}},"f:metadata":{"f:labels":{"f:app.kubernetes.io/managed-by":{}}}}},
       {"manager":"helm","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1",
        "fieldsV1":{"f:data":{"f:B":{}},"f:metadata":{"f:labels":{"f:app":{}}}}},
       {"manager":"tracker","operation":"Update","subresource":"status","apiVersion":"v1","fieldsType":"FieldsV1",
        "fieldsV1":{"f:metadata":{"f:annotations":{"f:example.com/track":{}}}}}]
      """);

  @Test
  void theManagerIsReadAsTheServerPrintsIt() {
    assertArrayEquals(new String[] {"helm", "Update", ""},
        HandOverConflicts.manager("conflict with \"helm\" using v1 at 2025-03-04T10:00:00Z"));
    assertArrayEquals(new String[] {"tracker", "Update", "status"},
        HandOverConflicts.manager("conflict with \"tracker\" with subresource \"status\" using apps/v1"));
    assertArrayEquals(new String[] {"kustomize-controller", "Apply", ""},
        HandOverConflicts.manager("conflict with \"kustomize-controller\""));
    assertArrayEquals(new String[] {"say \"hi\"", "Apply", ""}, HandOverConflicts.manager("conflict with \"say \\\"hi\\\"\""));
    assertNull(HandOverConflicts.manager("conflict with helm"));
  }

  @Test
  void fieldsAreWalkedByTheLongestNameThatFits() {
    JsonNode set = Json.parse("{\"f:metadata\":{\"f:labels\":{\"f:app\":{},\"f:app.kubernetes.io/name\":{}}},"
        + "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"web\\\"}\":{}}}}");
    assertTrue(HandOverConflicts.owns(set, ".metadata.labels.app.kubernetes.io/name"));
    assertTrue(HandOverConflicts.owns(set, ".metadata.labels.app"));
    assertFalse(HandOverConflicts.owns(set, ".metadata.labels.app.kubernetes.io/managed-by"));
    assertTrue(HandOverConflicts.owns(set, ".spec.containers[name=\"web\"].image"), "an element: taken as owned");
    assertFalse(HandOverConflicts.owns(set, ".spec.replicas"));
  }

  @Test
  void onlyTheConflictsThatStandAfterTheHandOverAreKept() {
    KubernetesClientException e = conflict(
        cause(".data.A", "conflict with \"kubectl-client-side-apply\" using v1"),
        cause(".metadata.labels.app.kubernetes.io/managed-by", "conflict with \"helm\" using v1"),
        cause(".data.B", "conflict with \"helm\" using v1 at 2025-03-04T10:00:00Z"),
        cause(".metadata.annotations.example.com/track", "conflict with \"tracker\" with subresource \"status\" using v1"));
    KubernetesClientException left = HandOverConflicts.standing(e, AFTER);
    assertEquals(List.of(".data.B", ".metadata.annotations.example.com/track"),
        left.getStatus().getDetails().getCauses().stream().map(StatusCause::getField).toList());
    assertEquals(409, left.getCode());
  }

  @Test
  void noneStandingMeansTheApplyPassesAndAnotherAnswerIsLeftAsItIs() {
    assertNull(HandOverConflicts.standing(conflict(cause(".data.A", "conflict with \"before-first-apply\" using v1")),
        AFTER));
    KubernetesClientException stale = new KubernetesClientException(new StatusBuilder().withCode(409)
        .withMessage("the object has been modified").build());
    assertSame(stale, HandOverConflicts.standing(stale, AFTER));
    KubernetesClientException all = conflict(cause(".data.B", "conflict with \"helm\" using v1"));
    assertSame(all, HandOverConflicts.standing(all, AFTER));
  }

  private static StatusCause cause(String field, String message) {
    return new StatusCause(field, message, "FieldManagerConflict");
  }

  private static KubernetesClientException conflict(StatusCause... causes) {
    Status s = new StatusBuilder().withCode(409).withReason("Conflict").withMessage("Apply failed")
        .withNewDetails().withCauses(causes).endDetails().build();
    return new KubernetesClientException(s);
  }
}

package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** {@link UpdateEntryUpgrade}: as client-go's {@code csaupgrade.UpgradeManagedFields} with {@code gitops} on both sides. */
class UpdateEntryUpgradeTest {
  private static final String CONTROLLER = """
      {"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1","subresource":"status",
       "fieldsV1":{"f:status":{"f:phase":{}}}}""";

  @Test
  void nothingToUpgradeWithoutAnUpdateEntryOfGitops() {
    assertNull(UpdateEntryUpgrade.upgraded(Json.parse("[" + CONTROLLER + ","
        + entry("Apply", "v1", "{\"f:data\":{\"f:a\":{}}}") + "]")));
    assertNull(UpdateEntryUpgrade.upgraded(Json.parse("[]")));
  }

  @Test
  void theUpdateEntryBecomesTheApplyEntryWhenThereIsNone() {
    JsonNode out = UpdateEntryUpgrade.upgraded(Json.parse("[" + entry("Update", "v1", "{\"f:data\":{\"f:a\":{}}}")
        + "," + CONTROLLER + "]"));
    assertEquals(Json.parse("[" + entry("Apply", "v1", "{\"f:data\":{\"f:a\":{}}}") + "," + CONTROLLER + "]"), out);
  }

  @Test
  void theUpdateEntryAtTheApplyEntrysVersionIsFoldedInAndEveryOtherDropped() {
    JsonNode out = UpdateEntryUpgrade.upgraded(Json.parse("["
        + entry("Update", "v1", "{\"f:data\":{\"f:b\":{}},\"f:metadata\":{\"f:labels\":{\"f:tier\":{}}}}") + ","
        + entry("Apply", "v1", "{\"f:data\":{\"f:a\":{}}}") + ","
        + entry("Update", "v1beta1", "{\"f:data\":{\"f:c\":{}}}") + "," + CONTROLLER + "]"));
    assertEquals(Json.parse("["
        + entry("Apply", "v1", "{\"f:data\":{\"f:a\":{},\"f:b\":{}},\"f:metadata\":{\"f:labels\":{\"f:tier\":{}}}}")
        + "," + CONTROLLER + "]"), out);
  }

  @Test
  void anUpdateThroughASubresourceIsAnotherManagerAndStays() {
    String status = "{\"manager\":\"gitops\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"subresource\":\"status\","
        + "\"fieldsV1\":{\"f:status\":{}}}";
    assertNull(UpdateEntryUpgrade.upgraded(Json.parse("[" + status + "]")));
  }

  @Test
  void onlyAConflictNamingTheUpdateEntryOfGitopsAsksForTheUpgrade() {
    assertTrue(UpdateEntryUpgrade.conflictsWithUpdateEntry(conflict(
        cause(".data.b", "conflict with \"helm\" using v1"), cause(".data.a", "conflict with \"gitops\" using v1"))));
    assertFalse(UpdateEntryUpgrade.conflictsWithUpdateEntry(conflict(cause(".data.a", "conflict with \"gitops\""))),
        "an Apply entry of gitops is this apply's own");
    assertFalse(UpdateEntryUpgrade.conflictsWithUpdateEntry(conflict(
        cause(".status.x", "conflict with \"gitops\" with subresource \"status\" using v1"))));
    assertFalse(UpdateEntryUpgrade.conflictsWithUpdateEntry(conflict(cause(".data.a", "conflict with \"helm\" using v1"))));
    assertFalse(UpdateEntryUpgrade.conflictsWithUpdateEntry(new KubernetesClientException(new StatusBuilder()
        .withCode(409).withMessage("the object has been modified").build())), "a stale write is no conflict");
  }

  private static StatusCause cause(String field, String message) {
    return new StatusCause(field, message, "FieldManagerConflict");
  }

  private static KubernetesClientException conflict(StatusCause... causes) {
    return new KubernetesClientException(new StatusBuilder().withCode(409).withReason("Conflict")
        .withMessage("Apply failed").withNewDetails().withCauses(causes).endDetails().build());
  }

  private static String entry(String operation, String apiVersion, String fields) {
    return "{\"manager\":\"gitops\",\"operation\":\"" + operation + "\",\"apiVersion\":\"" + apiVersion
        + "\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":" + fields + "}";
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The {@code managedFields} of an object this library wrote under {@link ApplyStrategy#JSON_PATCH}
 * (a create and patches with {@code fieldManager=gitops}: the server records them as an entry of
 * the manager {@code gitops} with operation {@code Update}) made ready for server-side apply, as
 * {@code kubectl apply --server-side} upgrades what {@code kubectl apply} wrote client-side
 * (client-go {@code util/csaupgrade/upgrade.go}, {@code UpgradeManagedFields}): structured-merge-diff
 * names a manager by name, operation and subresource, so the Update entry is another manager than
 * the Apply entry of the same name. Left so, the first apply after a switch of strategy conflicts
 * on every value Git changed since the last patch (the plan, which counts no entry of
 * {@code gitops} as another's, showed none), and what left Git stays for ever, co-owned by the old
 * entry. Upgraded, the Apply entry of {@code gitops} (the Update entry itself, made one, when there
 * is none) owns the union of both sets, the Update entry at its version folded in and every other
 * one of {@code gitops} outside subresources dropped: nothing conflicts, and the apply removes what
 * it no longer sends, as the plan says ({@link LiveObservation#ownedFields} reads the entries as the
 * upgrade leaves them). What the Update entry owned only because the server defaulted it on a
 * write goes too and is defaulted again ({@code csaupgrade}'s caveat 3). Stateless. Not public API.
 */
final class UpdateEntryUpgrade {
  private UpdateEntryUpgrade() {}

  /**
   * {@code managedFields} with the Update entries of {@code gitops} taken into its Apply entry, or
   * null when there is no such Update entry (nothing to upgrade). Never mutates its input.
   */
  static ArrayNode upgraded(JsonNode managedFields) {
    int target = -1;
    int update = -1;
    for (int i = 0; managedFields != null && i < managedFields.size(); i++) {
      JsonNode e = managedFields.get(i);
      if (target < 0 && ManagedFields.ours(e)) {
        target = i;
      } else if (update < 0 && isUpdate(e)) {
        update = i; // the first is the most recent: the server sorts managedFields so
      }
    }
    if (update < 0) {
      return null;
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    ObjectNode into;
    if (target < 0) { // none applied yet: the Update entry becomes the Apply entry
      into = managedFields.get(update).deepCopy();
      into.put("operation", "Apply");
      target = update;
    } else {
      into = managedFields.get(target).deepCopy();
    }
    JsonNode same = sameVersion(managedFields, into.path("apiVersion").asText());
    if (same != null && into.get("fieldsV1") instanceof ObjectNode set && same.get("fieldsV1") instanceof ObjectNode more) {
      ManagedFields.union(set, more);
    }
    for (int i = 0; i < managedFields.size(); i++) {
      if (i == target) {
        out.add(into);
      } else if (!isUpdate(managedFields.get(i))) {
        out.add(managedFields.get(i).deepCopy());
      }
    }
    return out;
  }

  /** True for an entry of the manager {@code gitops} with operation {@code Update}, outside subresources. */
  static boolean isUpdate(JsonNode entry) {
    return Labels.FIELD_MANAGER.equals(entry.path("manager").asText()) && "Update".equals(entry.path("operation").asText())
        && entry.path("subresource").asText("").isEmpty();
  }

  /**
   * True when {@code e} is an apply's field conflict (409) naming the Update entry of
   * {@code gitops} as the other manager of a field, as the API server prints a manager
   * ({@link HandOverConflicts#manager}): the entries were not upgraded before the apply.
   */
  static boolean conflictsWithUpdateEntry(KubernetesClientException e) {
    Status status = e.getStatus();
    if (e.getCode() != 409 || status == null || status.getDetails() == null || status.getDetails().getCauses() == null) {
      return false;
    }
    for (StatusCause c : status.getDetails().getCauses()) {
      String[] who = "FieldManagerConflict".equals(c.getReason()) ? HandOverConflicts.manager(c.getMessage()) : null;
      if (who != null && Labels.FIELD_MANAGER.equals(who[0]) && "Update".equals(who[1]) && who[2].isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The first Update entry of {@code gitops} at {@code apiVersion}, or null: {@code csaupgrade} unions that one alone. */
  private static JsonNode sameVersion(JsonNode managedFields, String apiVersion) {
    for (JsonNode e : managedFields) {
      if (isUpdate(e) && apiVersion.equals(e.path("apiVersion").asText())) {
        return e;
      }
    }
    return null;
  }
}

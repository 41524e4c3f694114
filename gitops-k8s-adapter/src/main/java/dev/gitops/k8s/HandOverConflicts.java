package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The field conflicts of a dry-run apply that an adoption's hand-over ends. A dry run sends the
 * hand-over ({@link OwnershipPatches}) with {@code dryRun=All}, which persists nothing, so the
 * dry-run apply after it meets the {@code managedFields} from before it and reports conflicts
 * with the managers the real apply no longer meets ({@code kubectl-client-side-apply},
 * {@code before-first-apply}, another manager's ownership label). The API server names each
 * conflict by field and manager (name, operation, subresource: {@code printManager} in
 * apimachinery's {@code managedfields/internal/conflict.go}); one stands when an entry of that
 * manager in the {@code managedFields} the hand-over would leave still owns the field. Conflicts
 * depend on no other manager's entry (structured-merge-diff's {@code merge/update.go} checks each
 * manager's set against what the apply adds or modifies), so those that stand are exactly the real
 * apply's. Stateless. Not public API.
 */
final class HandOverConflicts {
  private static final String CONFLICT = "FieldManagerConflict";

  private HandOverConflicts() {}

  /**
   * What of {@code e}, the answer to a dry-run apply, the real apply after the hand-over would meet
   * too: {@code e} itself when it is no field conflict or when every conflict stands, an answer
   * with only the conflicts that stand, or null when the hand-over ends them all (the apply
   * passes the conflict check).
   */
  static KubernetesClientException standing(KubernetesClientException e, JsonNode managedFields) {
    Status status = e.getStatus();
    if (e.getCode() != 409 || status == null || status.getDetails() == null
        || status.getDetails().getCauses() == null) {
      return e;
    }
    List<StatusCause> causes = status.getDetails().getCauses();
    List<StatusCause> kept = new ArrayList<>();
    int conflicts = 0;
    for (StatusCause c : causes) {
      boolean conflict = CONFLICT.equals(c.getReason());
      conflicts += conflict ? 1 : 0;
      if (!conflict || stands(c, managedFields)) {
        kept.add(c);
      }
    }
    if (conflicts == 0 || kept.size() == causes.size()) {
      return e;
    }
    if (kept.stream().noneMatch(c -> CONFLICT.equals(c.getReason()))) {
      return null;
    }
    Status left = new StatusBuilder(status).editDetails().withCauses(kept).endDetails()
        .withMessage("Apply failed with " + kept.size() + " conflict" + (kept.size() == 1 ? "" : "s")
            + " (of " + causes.size() + " before the adoption's hand-over)").build();
    return new KubernetesClientException(left);
  }

  /** True when an entry of the conflict's manager in {@code managedFields} owns its field. */
  private static boolean stands(StatusCause c, JsonNode managedFields) {
    String[] who = manager(c.getMessage());
    if (who == null || c.getField() == null) {
      return true; // not read: kept, as the server said it
    }
    for (JsonNode entry : managedFields) {
      if (who[0].equals(entry.path("manager").asText()) && who[1].equals(entry.path("operation").asText())
          && who[2].equals(entry.path("subresource").asText("")) && owns(entry.path("fieldsV1"), c.getField())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Name, operation and subresource of the manager a conflict's message names, as the server
   * prints it: {@code conflict with "helm" using v1 at 2025-03-04T10:00:00Z} (an Update),
   * {@code conflict with "kubelet" with subresource "status" using v1},
   * {@code conflict with "kustomize-controller"} (an Apply); null when it is not so.
   */
  static String[] manager(String message) {
    String prefix = "conflict with \"";
    if (message == null || !message.startsWith(prefix)) {
      return null;
    }
    int[] end = new int[1];
    String name = quoted(message, prefix.length(), end);
    if (name == null) {
      return null;
    }
    String rest = message.substring(end[0]);
    String sub = "";
    String withSub = " with subresource \"";
    if (rest.startsWith(withSub)) {
      sub = quoted(rest, withSub.length(), end);
      if (sub == null) {
        return null;
      }
      rest = rest.substring(end[0]);
    }
    return new String[] {name, rest.startsWith(" using ") ? "Update" : "Apply", sub};
  }

  /** The Go-quoted text from {@code from} (after the opening quote) to its closing quote; null when none. */
  private static String quoted(String s, int from, int[] end) {
    StringBuilder out = new StringBuilder();
    for (int i = from; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"') {
        end[0] = i + 1;
        return out.toString();
      }
      if (ch == '\\' && i + 1 < s.length()) {
        ch = s.charAt(++i);
      }
      out.append(ch);
    }
    return null;
  }

  /**
   * True when the {@code fieldsV1} set {@code set} holds {@code field} as the server prints a path
   * ({@code .metadata.labels.app.kubernetes.io/managed-by}): field names are walked, the longest
   * name that fits first (names may hold dots); an element ({@code [name="web"]}) is taken as owned
   * once its list is, since only whole entries and the ownership labels leave in a hand-over.
   */
  static boolean owns(JsonNode set, String field) {
    if (field.isEmpty() || field.startsWith("[")) {
      return true;
    }
    String best = null;
    for (Map.Entry<String, JsonNode> e : set.properties()) {
      String name = e.getKey().startsWith("f:") ? e.getKey().substring(2) : null;
      if (name != null && field.startsWith("." + name) && (best == null || name.length() > best.length())) {
        String after = field.substring(name.length() + 1);
        if (after.isEmpty() || after.startsWith(".") || after.startsWith("[")) {
          best = name;
        }
      }
    }
    return best != null && owns(set.get("f:" + best), field.substring(best.length() + 1));
  }
}

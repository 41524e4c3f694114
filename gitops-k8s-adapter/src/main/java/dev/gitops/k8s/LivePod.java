package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What a live Pod tells {@link PodAdmission} of the additions it holds: whether it names a
 * RuntimeClass (whose scheduling the admission plugin merged in), and the managers other than
 * {@code gitops} that own its {@code nodeSelector}, its required and its preferred node affinity and
 * its tolerations, each as {@code "owned by a, b"} or null ({@link #owners}). Not public API.
 */
record LivePod(boolean runtimeClass, String selectorOwners, String affinityOwners, String preferredOwners,
               String tolerationOwners) {
  /** The atomic values of a Pod's spec another manager may add to ({@link #owners}), in this record's order. */
  private static final String[][] ADDED_TO = {{"spec", "nodeSelector"},
      {"spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"},
      {"spec", "affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution"},
      {"spec", "tolerations"}};

  /** What {@code actual}, the live Pod or null, tells. */
  static LivePod of(JsonNode actual) {
    JsonNode name = actual == null ? null : actual.path("spec").get("runtimeClassName");
    boolean runtimeClass = name != null && name.isTextual() && !name.textValue().isEmpty();
    String[] owners = owners(actual);
    return new LivePod(runtimeClass, owners[0], owners[1], owners[2], owners[3]);
  }

  /**
   * For each value of {@link #ADDED_TO}, {@code "owned by <managers>"} when entries of {@code live}'s
   * {@code managedFields} other than {@code gitops}'s own own it, else null; one pass over the entries.
   * Each value is atomic, so another writer that changed it after {@code gitops} applied it took it
   * whole (structured-merge-diff {@code merge/update.go}); an apply of the same value after it shares
   * it. {@code ValidatePodUpdate} ({@code pkg/apis/core/validation/validation.go}) lets any manager add
   * tolerations to any Pod, none removed nor changed but for {@code tolerationSeconds}
   * ({@code validateOnlyAddedTolerations}); and while the old Pod has {@code schedulingGates}
   * ({@code podIsGated}), as a controller such as Kueue finds it, keys added to its nodeSelector, none
   * removed or changed ({@code validateNodeSelectorMutation}), expressions after each required node
   * term's own ({@code validateNodeAffinityMutation}, {@code validateNodeSelectorTermHasOnlyAdditions}),
   * and the preferred node terms changed at will (that function judges the required terms alone, and the
   * whole node affinity is munged back before the spec is compared); without gates all three are
   * immutable. Either way what that manager added is theirs too: Git's value without it conflicts
   * with them, and could not be stored (a toleration never leaves, a nodeSelector key or required
   * expression not while gated, nothing once ungated).
   */
  private static String[] owners(JsonNode live) {
    List<TreeSet<String>> owners = new ArrayList<>();
    for (int i = 0; i < ADDED_TO.length; i++) {
      owners.add(new TreeSet<>());
    }
    for (JsonNode entry : live == null ? MissingNode.getInstance()
        : live.path("metadata").path("managedFields")) {
      String manager = entry.path("manager").asText();
      for (int i = 0; i < ADDED_TO.length && !Labels.FIELD_MANAGER.equals(manager); i++) {
        JsonNode set = entry.path("fieldsV1");
        for (String step : ADDED_TO[i]) {
          set = set.path("f:" + step);
        }
        if (!set.isMissingNode()) {
          owners.get(i).add(manager);
        }
      }
    }
    String[] out = new String[ADDED_TO.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = owners.get(i).isEmpty() ? null : "owned by " + String.join(", ", owners.get(i));
    }
    return out;
  }
}

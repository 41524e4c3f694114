package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules {@link ManifestLoader} holds every desired object to once its values are decoded
 * ({@link DecodedValues}): what the API server refuses with 422 at the write of the object's wave,
 * after the earlier waves were written, and the fabric8 mock takes. Each rule class names the
 * server's validation it is written from. Not public API.
 */
final class LoadRules {
  /** The fields of a StatefulSet's pod template that the server judges on the StatefulSet itself. */
  private static final Set<String> JUDGED_ON_THE_STATEFUL_SET = Set.of("/spec/template/spec/restartPolicy",
      "/spec/template/spec/activeDeadlineSeconds");

  private LoadRules() {
  }

  /** What the server would refuse of {@code tree}, the decoded object {@code id}; each message as printed. */
  static List<DecodedValues.Refusal> check(ResourceId id, JsonNode tree, List<DecodedValues.Refusal> decoded) {
    List<DecodedValues.Refusal> wrong = new ArrayList<>(decoded);
    String group = id.group();
    String kind = id.kind();
    MetadataRules.check(group, kind, tree, wrong);
    PodRules.check(group, kind, tree, wrong);
    PodSpecRules.check(group, kind, tree, wrong);
    DivisorRules.check(group, kind, tree, wrong);
    SpecRules.check(group, kind, tree, wrong);
    JobSelectors.check(group, kind, tree, wrong);
    AutoscalerRules.check(group, kind, tree, wrong);
    EnumRules.check(group, kind, tree, wrong);
    DataKeys.check(group, kind, tree, wrong);
    SecretTypes.check(group, kind, tree, wrong);
    RbacRules.check(group, kind, tree, wrong);
    WorkloadRules.check(group, kind, tree, wrong);
    NetworkRules.check(group, kind, tree, wrong);
    ClaimRules.check(group, kind, tree, wrong);
    WebhookRules.check(group, kind, tree, wrong);
    return wrong.isEmpty() ? List.of() : wrong.stream().map(w -> new DecodedValues.Refusal(w.pointer(), message(id, w))).toList();
  }

  /**
   * {@code w}'s message; for a StatefulSet's pod template, saying that the server refuses its pods:
   * it takes a StatefulSet without validating the template as a pod spec, and refuses each pod the
   * controller makes of it (an update stops its rollout at the first pod replaced). Its
   * {@code restartPolicy} and {@code activeDeadlineSeconds} the server does judge on the StatefulSet.
   */
  private static String message(ResourceId id, DecodedValues.Refusal w) {
    if (id.group().equals("apps") && id.kind().equals("StatefulSet") && w.pointer().startsWith("/spec/template/spec/")
        && !JUDGED_ON_THE_STATEFUL_SET.contains(w.pointer()) && w.message().endsWith(DecodedValues.Refusal.SERVER)) {
      return w.message().substring(0, w.message().length() - DecodedValues.Refusal.SERVER.length())
          + ": the API server refuses the pods the StatefulSet makes of it";
    }
    return w.message();
  }
}

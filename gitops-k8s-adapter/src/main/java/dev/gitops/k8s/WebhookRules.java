package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What each webhook of an {@code admissionregistration.k8s.io/v1} ValidatingWebhookConfiguration
 * or MutatingWebhookConfiguration must say, checked on load: the API server refuses such an object
 * with 422 at the write of its wave, after the earlier waves were written, and the fabric8 mock
 * takes it. v1 defaults neither field (v1beta1 did), so from the API server's validation
 * ({@code validateAdmissionReviewVersions}, {@code validateValidatingWebhook},
 * {@code validateMutatingWebhook} in {@code pkg/apis/admissionregistration/validation}, with the
 * options of a create; the same in every release from 1.30 on):
 *
 * <ul>
 *   <li>{@code admissionReviewVersions} is given and not empty, its versions are DNS-1035 labels
 *       named once each, and at least one is a version the server sends: {@code v1} or
 *       {@code v1beta1};
 *   <li>{@code sideEffects} is given and is {@code None} or {@code NoneOnDryRun}: the server creates
 *       no webhook with {@code Some} or {@code Unknown} (it keeps them only on a configuration whose
 *       webhooks all had side effects before, from v1beta1 days).
 * </ul>
 *
 * Only lists and text are judged: a field of another shape is the schema's problem. Stateless.
 */
final class WebhookRules {
  private static final String GROUP = "admissionregistration.k8s.io";
  private static final Set<String> KINDS = Set.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");
  private static final Set<String> SENT = Set.of("v1", "v1beta1");
  private static final Set<String> NO_SIDE_EFFECTS = Set.of("None", "NoneOnDryRun");
  private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  private WebhookRules() {
  }

  /** Adds to {@code problems} what the server would refuse of {@code node}, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    if (!group.equals(GROUP) || !KINDS.contains(kind) || !(GROUP + "/v1").equals(node.path("apiVersion").asText())) {
      return;
    }
    JsonNode webhooks = node.path("webhooks");
    for (int i = 0; webhooks.isArray() && i < webhooks.size(); i++) {
      if (webhooks.get(i).isObject()) {
        versions(webhooks.get(i), "/webhooks/" + i, problems);
        sideEffects(webhooks.get(i), "/webhooks/" + i, problems);
      }
    }
  }

  private static void versions(JsonNode hook, String at, List<DecodedValues.Refusal> problems) {
    JsonNode versions = hook.path("admissionReviewVersions");
    if (absent(versions) || versions.isArray() && versions.isEmpty()) {
      refuse(problems, hook.has("admissionReviewVersions") ? at + "/admissionReviewVersions" : at,
          at + "/admissionReviewVersions", "none given; name the AdmissionReview versions the webhook takes,"
          + " one of them v1 or v1beta1 (v1 does not default it)");
      return;
    }
    if (!versions.isArray()) {
      return;
    }
    Set<String> seen = new HashSet<>();
    boolean sent = false;
    for (int v = 0; v < versions.size(); v++) {
      String version = versions.get(v).isTextual() ? versions.get(v).textValue() : null;
      String where = at + "/admissionReviewVersions/" + v;
      if (version == null) {
        continue;
      }
      if (!seen.add(version)) {
        refuse(problems, where, where, Names.quote(version) + " is named twice");
      } else if (!DNS_1035_LABEL.matcher(version).matches()) {
        refuse(problems, where, where, Names.quote(version) + " is not a version (a DNS-1035 label, as v1)");
      }
      sent |= SENT.contains(version);
    }
    if (!sent && !seen.isEmpty()) {
      refuse(problems, at + "/admissionReviewVersions", at + "/admissionReviewVersions",
          "includes neither v1 nor v1beta1, the AdmissionReview versions the server sends");
    }
  }

  private static void sideEffects(JsonNode hook, String at, List<DecodedValues.Refusal> problems) {
    JsonNode sideEffects = hook.path("sideEffects");
    if (absent(sideEffects)) {
      refuse(problems, hook.has("sideEffects") ? at + "/sideEffects" : at, at + "/sideEffects",
          "none given; must be None or NoneOnDryRun (v1 does not default it)");
    } else if (sideEffects.isTextual() && !NO_SIDE_EFFECTS.contains(sideEffects.textValue())) {
      refuse(problems, at + "/sideEffects", at + "/sideEffects", Names.quote(sideEffects.textValue())
          + " is not taken: a webhook is created with None or NoneOnDryRun");
    }
  }

  private static boolean absent(JsonNode value) {
    return value.isMissingNode() || value.isNull();
  }

  /** A refusal at the line of {@code line}, naming the field at {@code field}. */
  private static void refuse(List<DecodedValues.Refusal> problems, String line, String field, String what) {
    problems.add(DecodedValues.Refusal.server(line, Pointers.dotted(field) + ": " + what));
  }
}

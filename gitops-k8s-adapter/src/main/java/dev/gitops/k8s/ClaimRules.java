package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a PersistentVolumeClaim must name, checked on load: the API server refuses such an object
 * with 422 at the write of its wave, after the earlier waves were written, and the fabric8 mock
 * takes it. From the API server's {@code ValidatePersistentVolumeClaimSpec} (the same in every
 * release from 1.30 on, no feature gate): a claim names at least one of {@code accessModes} and
 * asks for {@code resources.requests.storage}, whether or not it is filled from a
 * {@code dataSource} or {@code dataSourceRef}. Each of a StatefulSet's {@code volumeClaimTemplates}
 * is held to the same: from 1.34 the server validates their specs as claims' on the StatefulSet
 * ({@code ValidateVolumeClaimTemplates}, kubernetes#132212), and before it refused every claim the
 * controller made of them, so no pod started. Their names the server does not judge, nor a pod's
 * ephemeral volumes here.
 */
final class ClaimRules {
  private ClaimRules() {
  }

  /** Adds to {@code problems} what the server would refuse of {@code node}, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    String key = group + "/" + kind;
    if (key.equals("/PersistentVolumeClaim")) {
      claim(node.path("spec"), "/spec", problems);
    } else if (key.equals("apps/StatefulSet")) {
      JsonNode templates = node.path("spec").path("volumeClaimTemplates");
      for (int i = 0; templates.isArray() && i < templates.size(); i++) {
        JsonNode template = templates.get(i);
        if (template.isObject()) {
          claim(template.path("spec"), "/spec/volumeClaimTemplates/" + i + "/spec", problems);
        }
      }
    }
  }

  /** The claim spec {@code spec} at {@code at}: its access modes and its storage request. */
  private static void claim(JsonNode spec, String at, List<DecodedValues.Refusal> problems) {
    String dotted = Pointers.dotted(at);
    JsonNode modes = spec.path("accessModes");
    if (modes.isMissingNode() || modes.isNull() || modes.isArray() && modes.isEmpty()) {
      problems.add(DecodedValues.Refusal.server(spec.has("accessModes") ? at + "/accessModes" : at,
          dotted + ".accessModes: none given; a claim names at least one (ReadWriteOnce, ReadOnlyMany, ReadWriteMany"
              + " or ReadWriteOncePod)"));
    }
    JsonNode requests = spec.path("resources").path("requests");
    JsonNode storage = requests.path("storage");
    if ((storage.isMissingNode() || storage.isNull()) && (requests.isObject() || requests.isMissingNode()
        || requests.isNull())) {
      String where = requests.isObject() ? at + "/resources/requests" : spec.has("resources") ? at + "/resources" : at;
      problems.add(DecodedValues.Refusal.server(where, dotted + ".resources.requests.storage: left out; a claim asks"
          + " for an amount of storage, as 1Gi"));
    }
  }
}

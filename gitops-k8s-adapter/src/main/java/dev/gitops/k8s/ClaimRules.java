package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a PersistentVolumeClaim must name, checked on load: the API server refuses such an object
 * with 422 at the write of its wave, after the earlier waves were written, and the fabric8 mock
 * takes it. From the API server's {@code ValidatePersistentVolumeClaimSpec} (the same in every
 * release from 1.30 on, no feature gate): a claim names at least one of {@code accessModes} and
 * asks for {@code resources.requests.storage}, whether or not it is filled from a
 * {@code dataSource} or {@code dataSourceRef}. A StatefulSet's {@code volumeClaimTemplates} and a
 * pod's ephemeral volumes are left to the server.
 */
final class ClaimRules {
  private ClaimRules() {
  }

  /** Adds to {@code problems} what the server would refuse of {@code node}, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    if (!(group + "/" + kind).equals("/PersistentVolumeClaim")) {
      return;
    }
    JsonNode spec = node.path("spec");
    JsonNode modes = spec.path("accessModes");
    if (modes.isMissingNode() || modes.isNull() || modes.isArray() && modes.isEmpty()) {
      problems.add(DecodedValues.Refusal.server(spec.has("accessModes") ? "/spec/accessModes" : "/spec",
          "spec.accessModes: none given; a claim names at least one (ReadWriteOnce, ReadOnlyMany, ReadWriteMany"
              + " or ReadWriteOncePod)"));
    }
    JsonNode requests = spec.path("resources").path("requests");
    JsonNode storage = requests.path("storage");
    if ((storage.isMissingNode() || storage.isNull()) && (requests.isObject() || requests.isMissingNode()
        || requests.isNull())) {
      String at = requests.isObject() ? "/spec/resources/requests" : spec.has("resources") ? "/spec/resources" : "/spec";
      problems.add(DecodedValues.Refusal.server(at, "spec.resources.requests.storage: left out; a claim asks for an"
          + " amount of storage, as 1Gi"));
    }
  }
}

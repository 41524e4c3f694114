package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The API server stand-in's validation of values an element of a keyed list must hold, written
 * apart from the library's own table so that it can catch it: what a server-side apply's prune leaves
 * of an element Git dropped while another manager keeps it. From kubernetes
 * {@code pkg/apis/core/validation/validation.go}: a container, init container included, has an image
 * ({@code validateContainerCommon}: "image: Required value"); a volume's ConfigMap source names its
 * ConfigMap and a Secret source its Secret ({@code validateConfigMapVolumeSource},
 * {@code validateSecretVolumeSource}); from {@code pkg/apis/admissionregistration/validation}: a
 * webhook of a Validating- or MutatingWebhookConfiguration (v1) gives its {@code sideEffects} and
 * {@code admissionReviewVersions} ({@code validateValidatingWebhook}, {@code validateMutatingWebhook});
 * each port of a Service with several has a name ({@code validateServicePort}, {@code requireName});
 * a volume mount names its volume ({@code ValidateVolumeMounts}) and a spread constraint's
 * {@code maxSkew} is above zero ({@code ValidateMaxSkew}).
 */
final class RequiredValues {
  private static final Map<String, String> SOURCE_NAME = Map.of("configMap", "name", "secret", "secretName");

  private RequiredValues() {}

  /** The first such error of {@code object} at pod spec {@code spec} (a pointer, or null when none), or null. */
  static String invalid(JsonNode object, String spec) {
    if (object.path("kind").asText().endsWith("WebhookConfiguration")) {
      JsonNode hooks = object.path("webhooks");
      for (int i = 0; i < hooks.size(); i++) {
        for (String f : List.of("sideEffects", "admissionReviewVersions")) {
          JsonNode v = hooks.get(i).path(f);
          if (v.isMissingNode() || v.isNull() || v.isArray() && v.isEmpty() || v.isTextual() && v.asText().isEmpty()) {
            return "webhooks[" + i + "]." + f + ": Required value";
          }
        }
      }
    }
    JsonNode ports = object.path("kind").asText().equals("Service") ? object.at("/spec/ports") : null;
    for (int i = 0; ports != null && ports.size() > 1 && i < ports.size(); i++) {
      if (ports.get(i).path("name").asText("").isEmpty()) {
        return "spec.ports[" + i + "].name: Required value";
      }
    }
    if (spec == null) {
      return null;
    }
    JsonNode pod = object.at(spec);
    String at = spec.substring(1).replace('/', '.');
    for (String list : List.of("initContainers", "containers")) {
      JsonNode containers = pod.path(list);
      for (int i = 0; i < containers.size(); i++) {
        if (containers.get(i).path("image").asText("").isEmpty()) {
          return at + "." + list + "[" + i + "].image: Required value";
        }
        JsonNode mounts = containers.get(i).path("volumeMounts");
        for (int m = 0; m < mounts.size(); m++) {
          if (mounts.get(m).path("name").asText("").isEmpty()) {
            return at + "." + list + "[" + i + "].volumeMounts[" + m + "].name: Required value";
          }
        }
      }
    }
    JsonNode spread = pod.path("topologySpreadConstraints");
    for (int i = 0; i < spread.size(); i++) {
      if (spread.get(i).path("maxSkew").asInt(0) <= 0) {
        return at + ".topologySpreadConstraints[" + i + "].maxSkew: Invalid value: must be greater than zero";
      }
    }
    JsonNode volumes = pod.path("volumes");
    for (int i = 0; i < volumes.size(); i++) {
      for (Map.Entry<String, String> s : SOURCE_NAME.entrySet()) {
        JsonNode source = volumes.get(i).path(s.getKey());
        if (source.isObject() && source.path(s.getValue()).asText("").isEmpty()) {
          return at + ".volumes[" + i + "]." + s.getKey() + "." + s.getValue() + ": Required value";
        }
      }
    }
    return null;
  }
}

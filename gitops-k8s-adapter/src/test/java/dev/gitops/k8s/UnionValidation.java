package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server stand-in's validation of one-of groups in a pod spec, written apart from the
 * library's own table so that it can catch it: kubernetes {@code pkg/apis/core/validation/validation.go}
 * refuses an env var with a non-empty {@code value} and a {@code valueFrom}
 * ({@code validateEnvVarValueFrom}), an {@code EnvVarSource} with more than one source, a probe or
 * lifecycle hook with more than one handler ({@code validateHandler}: "may not specify more than 1
 * handler type") and a volume with more than one source ({@code validateVolumeSource}); an Ingress's
 * default backend with a service and a resource (networking {@code validateIngressBackend}) and a
 * webhook's client config with a url and a service (admissionregistration: "exactly one of url or
 * service is required"). A group that requires one alternative and holds none is refused too, as
 * the same functions refuse it: a probe or lifecycle hook without a handler ({@code validateHandler}:
 * "must specify a handler type"), a volume without a source ({@code validateVolumeSource}: "must
 * specify a volume type"), a {@code valueFrom} without a source ({@code validateEnvVarValueFrom}:
 * "must specify one of: ..."), a webhook's client config with neither a url nor a service. An env
 * var needs neither {@code value} nor {@code valueFrom}; an Ingress's default backend is left to the
 * "more than one" check. Values an element must hold (a container's image, ...) are
 * {@link RequiredValues}'.
 */
final class UnionValidation {
  private static final List<String> HANDLER = List.of("exec", "httpGet", "tcpSocket", "grpc", "sleep");
  private static final List<String> SOURCES = List.of("fieldRef", "resourceFieldRef", "configMapKeyRef",
      "secretKeyRef", "fileKeyRef");
  /** A volume's sources, as the API types list them. */
  static final List<String> VOLUME = List.of("hostPath", "emptyDir", "gcePersistentDisk",
      "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd",
      "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume",
      "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi",
      "ephemeral", "image");

  private UnionValidation() {}

  /** The first error of {@code object}'s pod spec (if it holds one), or null when valid. */
  static String invalid(JsonNode object) {
    String kind = object.path("kind").asText();
    List<String> errors = new ArrayList<>();
    if (kind.equals("Ingress")) {
      more(object.at("/spec/defaultBackend"), List.of("service", "resource"), "spec.defaultBackend",
          "cannot set both resource and service backends", errors);
    }
    if (kind.endsWith("WebhookConfiguration")) {
      JsonNode hooks = object.path("webhooks");
      for (int i = 0; i < hooks.size(); i++) {
        more(hooks.get(i).path("clientConfig"), List.of("url", "service"), "webhooks[" + i + "].clientConfig",
            "exactly one of url or service is required", errors);
        none(hooks.get(i).path("clientConfig"), List.of("url", "service"), "webhooks[" + i + "].clientConfig",
            "exactly one of url or service is required", errors);
      }
    }
    String spec = switch (kind) {
      case "Pod" -> "/spec";
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> "/spec/template/spec";
      case "CronJob" -> "/spec/jobTemplate/spec/template/spec";
      default -> null;
    };
    String required = RequiredValues.invalid(object, spec);
    if (required != null) {
      errors.add(required);
    }
    if (spec == null) {
      return errors.isEmpty() ? null : errors.get(0);
    }
    JsonNode pod = object.at(spec);
    String at = spec.substring(1).replace('/', '.');
    for (String list : List.of("initContainers", "containers")) {
      JsonNode containers = pod.path(list);
      for (int i = 0; i < containers.size(); i++) {
        container(containers.get(i), at + "." + list + "[" + i + "]", errors);
      }
    }
    JsonNode volumes = pod.path("volumes");
    for (int i = 0; i < volumes.size(); i++) {
      more(volumes.get(i), VOLUME, at + ".volumes[" + i + "]", "may not specify more than 1 volume type", errors);
      none(volumes.get(i), VOLUME, at + ".volumes[" + i + "]", "must specify a volume type", errors);
    }
    return errors.isEmpty() ? null : errors.get(0);
  }

  private static void container(JsonNode c, String at, List<String> errors) {
    JsonNode env = c.path("env");
    for (int i = 0; i < env.size(); i++) {
      JsonNode e = env.get(i);
      String p = at + ".env[" + i + "]";
      if (!e.path("value").asText("").isEmpty() && e.has("valueFrom")) {
        errors.add(p + ".valueFrom: Invalid value: \"\": may not be specified when `value` is not empty");
      }
      more(e.path("valueFrom"), SOURCES, p + ".valueFrom", "may not have more than one field specified at a time",
          errors);
      none(e.path("valueFrom"), SOURCES, p + ".valueFrom", "must specify one of: `fieldRef`, `resourceFieldRef`, "
          + "`configMapKeyRef` or `secretKeyRef`", errors);
    }
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      more(c.path(probe), HANDLER, at + "." + probe, "may not specify more than 1 handler type", errors);
      none(c.path(probe), HANDLER, at + "." + probe, "must specify a handler type", errors);
    }
    for (String hook : List.of("postStart", "preStop")) {
      more(c.path("lifecycle").path(hook), HANDLER, at + ".lifecycle." + hook,
          "may not specify more than 1 handler type", errors);
      none(c.path("lifecycle").path(hook), HANDLER, at + ".lifecycle." + hook, "must specify a handler type", errors);
    }
  }

  private static void more(JsonNode o, List<String> members, String at, String message, List<String> errors) {
    List<String> set = members.stream().filter(m -> o.has(m) && !o.get(m).isNull()).toList();
    if (set.size() > 1) {
      errors.add(at + "." + set.get(1) + ": Forbidden: " + message);
    }
  }

  /** A group {@code o} that is there (an object) with none of {@code members}: "Required value". */
  private static void none(JsonNode o, List<String> members, String at, String message, List<String> errors) {
    if (o.isObject() && members.stream().noneMatch(m -> o.has(m) && !o.get(m).isNull())) {
      errors.add(at + ": Required value: " + message);
    }
  }
}

package dev.gitops.k8s;

import dev.gitops.model.ResourceId;
import java.util.List;

/**
 * Where {@link OneOfFields}' walk starts in each built-in kind that holds its groups: a pod spec (in a
 * Pod, a PodTemplate and the workloads' templates), an Ingress's spec, a webhook configuration, a
 * CRD's spec, a Service's spec (its ports, {@link KeptElements#servicePorts}). Not public API.
 */
final class GroupRoots {
  private GroupRoots() {}

  /** Where a kind's walk starts: the field path from the object and the type there. */
  record Root(List<String> path, String type) {}

  /** The root of {@code id}'s kind: its pod spec, an Ingress's spec, ...; null for a kind without groups. */
  static Root of(ResourceId id) {
    List<String> podSpec = podSpecPath(id);
    if (podSpec != null) {
      return new Root(podSpec, "PodSpec");
    }
    String g = id.group();
    return switch (id.kind()) {
      case "Service" -> g.isEmpty() ? new Root(List.of("spec"), "ServiceSpec") : null;
      case "Ingress" -> g.equals("networking.k8s.io") ? new Root(List.of("spec"), "IngressSpec") : null;
      case "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration" ->
          g.equals("admissionregistration.k8s.io") ? new Root(List.of(), "WebhookConfiguration") : null;
      case "CustomResourceDefinition" ->
          g.equals("apiextensions.k8s.io") ? new Root(List.of("spec"), "CustomResourceDefinitionSpec") : null;
      default -> null;
    };
  }

  /** The field path of the pod spec in a built-in kind that holds one, or null. */
  private static List<String> podSpecPath(ResourceId id) {
    String g = id.group();
    return switch (id.kind()) {
      case "Pod" -> g.isEmpty() ? List.of("spec") : null;
      case "PodTemplate" -> g.isEmpty() ? List.of("template", "spec") : null;
      case "ReplicationController" -> g.isEmpty() ? List.of("spec", "template", "spec") : null;
      case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet" ->
          g.equals("apps") ? List.of("spec", "template", "spec") : null;
      case "Job" -> g.equals("batch") ? List.of("spec", "template", "spec") : null;
      case "CronJob" -> g.equals("batch") ? List.of("spec", "jobTemplate", "spec", "template", "spec") : null;
      default -> null;
    };
  }
}

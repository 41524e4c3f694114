package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The metadata the Kubernetes normalisation ({@link FieldRules}) drops, and the Secret fold. */
final class Normalize {
  /** Metadata fields the server owns. */
  public static final List<String> SERVER_METADATA = List.of("managedFields", "resourceVersion",
      "uid", "generation", "creationTimestamp", "selfLink", "deletionTimestamp",
      "deletionGracePeriodSeconds");
  /**
   * Annotations that tools, controllers and the server write, whatever Git says: a DaemonSet's
   * {@code deprecated.daemonset.template.generation} is taken into its internal template generation
   * by the apps/v1 conversion ({@code Convert_v1_DaemonSet_To_apps_DaemonSet}), which the strategy
   * sets itself on every write, so a value kept in Git is never stored (corpus pair 448).
   */
  public static final List<String> NOISE_ANNOTATIONS = List.of(
      "kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
      "deprecated.daemonset.template.generation", "gitops.dev/applied", "gitops.dev/decoder-dropped");
  private Normalize() {}

  /**
   * Folds a Secret's {@code stringData} into base64 {@code data} in place, as the API server does
   * (a {@code null} value is decoded into Go's {@code map[string]string} as {@code ""}).
   */
  public static void foldStringData(ObjectNode node) {
    JsonNode stringData = node.get("stringData");
    if (!(stringData instanceof ObjectNode sd)) {
      return;
    }
    ObjectNode data = node.get("data") instanceof ObjectNode d ? d : node.putObject("data");
    sd.fields().forEachRemaining(e -> data.put(e.getKey(), Base64.getEncoder().encodeToString(
        (e.getValue().isNull() ? "" : e.getValue().asText()).getBytes(StandardCharsets.UTF_8))));
    node.remove("stringData");
  }
}

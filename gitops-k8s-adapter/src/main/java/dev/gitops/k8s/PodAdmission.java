package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;

/**
 * What the API server adds to a bare Pod's atomic lists (matched by position) that the schema
 * cannot tell, each element only the live Pod has a {@value SchemaField#SERVER_APPENDED}, not a
 * removal:
 *
 * <ul>
 *   <li>the {@code DefaultTolerationSeconds} admission plugin appends to {@code spec.tolerations} a
 *       toleration of {@code node.kubernetes.io/not-ready} and one of
 *       {@code node.kubernetes.io/unreachable} ({@code operator: Exists}, {@code effect: NoExecute},
 *       {@code tolerationSeconds} as the cluster configures it, 300 by default);
 *   <li>{@code SetDefaults_Pod} of 1.30 to 1.32 (added in 1.27), with the feature gate
 *       {@code InPlacePodVerticalScaling} enabled (alpha, off by default; 1.33 removed the defaulting,
 *       kubernetes#128920), appends {@code {resourceName: cpu|memory, restartPolicy: NotRequired}}
 *       to a container's {@code resizePolicy} for cpu and memory in its requests (defaulted from its
 *       limits) that the list does not name: in {@code spec.containers} only, never in init
 *       containers or a template. Judged against the desired container, so a policy Git gives is
 *       compared, and Git leaving out a whole list of such entries that it applied is a
 *       {@value SchemaField#DEFAULT_VALUE}.
 * </ul>
 *
 * (What the {@code ServiceAccount} plugin adds, {@code imagePullSecrets} and the projected
 * {@code kube-api-access-*} volume and its mounts, goes to keyed lists, where the schema already
 * makes actual-only elements no drift.) Wraps the schema of kind Pod along those paths only. Not
 * public API.
 */
final class PodAdmission extends ForwardingNode {
  /** Where a node sits on the wrapped paths. */
  private enum At { ROOT, SPEC, TOLERATIONS, TOLERATION, CONTAINERS, CONTAINER, RESIZE_POLICY, POLICY }

  private final At at;
  /** The desired container (or the live one when only it has the container) below {@link At#CONTAINER}. */
  private final JsonNode container;

  private PodAdmission(FieldSchema.Node schema, At at, JsonNode container) {
    super(schema);
    this.at = at;
    this.container = container;
  }

  /** The root of a Pod's schema (may be null) with the admission additions known. */
  static FieldSchema.Node pod(FieldSchema.Node root) {
    return new PodAdmission(root, At.ROOT, null);
  }

  @Override
  public FieldSchema.Node field(String name) {
    FieldSchema.Node child = schemaField(name);
    At next = switch (at) {
      case ROOT -> name.equals("spec") ? At.SPEC : null;
      case SPEC -> name.equals("tolerations") ? At.TOLERATIONS : name.equals("containers") ? At.CONTAINERS : null;
      case CONTAINER -> name.equals("resizePolicy") ? At.RESIZE_POLICY : null;
      default -> null;
    };
    return next == null ? child : new PodAdmission(child, next, container);
  }

  @Override
  public FieldSchema.Node element(JsonNode element) {
    FieldSchema.Node child = schemaElement(element);
    return switch (at) {
      case TOLERATIONS -> new PodAdmission(child, At.TOLERATION, null);
      case CONTAINERS -> new PodAdmission(child, At.CONTAINER, element);
      case RESIZE_POLICY -> new PodAdmission(child, At.POLICY, container);
      default -> child;
    };
  }

  @Override
  public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    if (desired == null && actual != null) {
      if (at == At.TOLERATION && defaultToleration(actual) || at == At.POLICY && defaultedPolicy(actual, container)) {
        return SchemaField.SERVER_APPENDED;
      }
      if (at == At.RESIZE_POLICY && lastApplied != null && allDefaulted(actual, container)) {
        return SchemaField.DEFAULT_VALUE;
      }
    }
    return super.hidden(actual, desired, lastApplied);
  }

  /** One of the two tolerations {@code DefaultTolerationSeconds} adds. */
  static boolean defaultToleration(JsonNode t) {
    String key = t.path("key").asText("");
    return (key.equals("node.kubernetes.io/not-ready") || key.equals("node.kubernetes.io/unreachable"))
        && "Exists".equals(t.path("operator").asText()) && "NoExecute".equals(t.path("effect").asText())
        && t.path("tolerationSeconds").isIntegralNumber() && t.size() == 4;
  }

  /**
   * True when {@code policy} is one {@code SetDefaults_Pod} appends to {@code container}'s list: a
   * NotRequired policy of cpu or memory, which the container requests or limits and whose own list
   * does not name.
   */
  static boolean defaultedPolicy(JsonNode policy, JsonNode container) {
    String resource = policy.path("resourceName").asText("");
    if (container == null || policy.size() != 2 || !"NotRequired".equals(policy.path("restartPolicy").asText())
        || !(resource.equals("cpu") || resource.equals("memory"))) {
      return false;
    }
    JsonNode resources = container.path("resources");
    if (!resources.path("requests").has(resource) && !resources.path("limits").has(resource)) {
      return false;
    }
    for (JsonNode given : container.path("resizePolicy")) {
      if (resource.equals(given.path("resourceName").asText(null))) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code list} is a non-empty list of policies {@code SetDefaults_Pod} would append to {@code container}'s. */
  private static boolean allDefaulted(JsonNode list, JsonNode container) {
    if (!list.isArray() || list.isEmpty()) {
      return false;
    }
    for (JsonNode policy : list) {
      if (!defaultedPolicy(policy, container)) {
        return false;
      }
    }
    return true;
  }
}

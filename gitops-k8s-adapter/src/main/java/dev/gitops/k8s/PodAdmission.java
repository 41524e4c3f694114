package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.diff.FieldSchema.ListMatch;

/**
 * What the API server's admission plugins add to a Pod that the schema cannot tell: the
 * {@code DefaultTolerationSeconds} plugin appends to {@code spec.tolerations} (an atomic list,
 * matched by position) a toleration of {@code node.kubernetes.io/not-ready} and one of
 * {@code node.kubernetes.io/unreachable} ({@code operator: Exists}, {@code effect: NoExecute},
 * {@code tolerationSeconds} as the cluster configures it, 300 by default). Such an element only
 * the live Pod has is a {@value SchemaField#SERVER_APPENDED}, not a removal. (What the
 * {@code ServiceAccount} plugin adds, {@code imagePullSecrets} and the projected
 * {@code kube-api-access-*} volume and its mounts, goes to keyed lists, where the schema already
 * makes actual-only elements no drift.) Wraps the schema of kind Pod along {@code /spec/tolerations}
 * only. Not public API.
 */
final class PodAdmission implements FieldSchema.Node {
  private static final String[] PATH = {"spec", "tolerations"};
  private final FieldSchema.Node schema;
  /** How many segments of {@link #PATH} lead here; {@code PATH.length} for the list, +1 for an element. */
  private final int depth;

  private PodAdmission(FieldSchema.Node schema, int depth) {
    this.schema = schema;
    this.depth = depth;
  }

  /** The root of a Pod's schema (may be null) with the admission additions known. */
  static FieldSchema.Node pod(FieldSchema.Node root) {
    return new PodAdmission(root, 0);
  }

  @Override
  public FieldSchema.Node field(String name) {
    FieldSchema.Node child = schema == null ? null : schema.field(name);
    return depth < PATH.length && PATH[depth].equals(name) ? new PodAdmission(child, depth + 1) : child;
  }

  @Override
  public FieldSchema.Node element(JsonNode element) {
    FieldSchema.Node child = schema == null ? null : schema.element(element);
    return depth == PATH.length ? new PodAdmission(child, depth + 1) : child;
  }

  @Override
  public ListMatch match() {
    return schema == null ? null : schema.match();
  }

  @Override
  public boolean atomic() {
    return schema != null && schema.atomic();
  }

  @Override
  public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
    if (depth == PATH.length + 1 && desired == null && defaultToleration(actual)) {
      return SchemaField.SERVER_APPENDED;
    }
    return schema == null ? null : schema.hidden(actual, desired, lastApplied);
  }

  @Override
  public boolean countsExtras() {
    return schema != null && schema.countsExtras();
  }

  /** One of the two tolerations {@code DefaultTolerationSeconds} adds. */
  static boolean defaultToleration(JsonNode t) {
    String key = t.path("key").asText("");
    return (key.equals("node.kubernetes.io/not-ready") || key.equals("node.kubernetes.io/unreachable"))
        && "Exists".equals(t.path("operator").asText()) && "NoExecute".equals(t.path("effect").asText())
        && t.path("tolerationSeconds").isIntegralNumber() && t.size() == 4;
  }
}

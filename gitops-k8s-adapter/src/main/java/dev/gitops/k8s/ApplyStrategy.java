package dev.gitops.k8s;

/** How {@link KubernetesTarget} writes an object. */
public enum ApplyStrategy {
  /**
   * Server-side apply ({@code PATCH}, {@code application/apply-patch+yaml}) with field manager
   * {@value KubernetesTarget#FIELD_MANAGER}: the API server merges, tracks field ownership and
   * reports conflicts with other managers per field (or takes the fields over with
   * {@link KubernetesTarget.Options#withForce(boolean) force}). The default.
   */
  SERVER_SIDE,
  /**
   * A three-way RFC 6902 JSON Patch computed here against the live object and the state this
   * library applied last time (recorded compactly in the {@value KubernetesTarget#APPLIED_ANNOTATION}
   * annotation), with the planned {@code resourceVersion} as precondition. Needs nothing from the
   * server beyond JSON Patch.
   */
  JSON_PATCH
}

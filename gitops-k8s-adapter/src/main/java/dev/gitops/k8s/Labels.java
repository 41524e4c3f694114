package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The ownership labels, annotations and field manager this library writes. */
final class Labels {
  /** Label naming the reconciler that owns an object. */
  public static final String OWNER = "gitops.dev/owner";
  /** Label set to {@code gitops} on everything the library applies. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** Annotation recording what JSON Patch applied last (gzip, base64). */
  public static final String APPLIED = "gitops.dev/applied";
  /**
   * Annotation {@code "true"}: when a change needs it (a field the server keeps as created), gitops
   * deletes the object and creates it anew instead of refusing the desired state.
   */
  public static final String RECREATE = "gitops.dev/recreate";
  /** The server-side apply field manager. */
  public static final String FIELD_MANAGER = "gitops";
  private Labels() {}

  /** Throws when {@code owner} cannot be a label value (63 characters, alphanumerics, {@code -_.}). */
  public static void checkOwner(String owner) {
    if (owner.isEmpty() || MetadataRules.labelValue(owner) != null) {
      throw new IllegalArgumentException("owner must be a valid Kubernetes label value: " + owner);
    }
  }

  /**
   * {@code tree} (mutated) with the owner label and, unless the manifest sets its own (Helm charts
   * say {@code Helm}), the managed-by label. Overwriting a managed-by the manifest sets would make
   * every plan see a change that the next apply undoes again.
   */
  public static ObjectNode owned(ObjectNode tree, String owner) {
    ObjectNode labels = map(tree.with("metadata"), "labels");
    if (!labels.has(MANAGED_BY)) {
      labels.put(MANAGED_BY, "gitops");
    }
    labels.put(OWNER, owner);
    return tree;
  }

  /**
   * The map {@code name} ({@code labels}, {@code annotations}) of {@code metadata} to write into: the
   * one there, or a new empty one in place of none, a null or a value that is not a mapping.
   */
  static ObjectNode map(ObjectNode metadata, String name) {
    return metadata.get(name) instanceof ObjectNode m ? m : metadata.putObject(name);
  }
}

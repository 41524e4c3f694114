package dev.gitops.k8s.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.k8s.KubernetesTarget;
import java.util.regex.Pattern;

/** The ownership labels. */
public final class Labels {
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");

  private Labels() {}

  /** Throws when {@code owner} cannot be a label value (63 characters, alphanumerics, {@code -_.}). */
  public static void checkOwner(String owner) {
    if (!LABEL_VALUE.matcher(owner).matches()) {
      throw new IllegalArgumentException("owner must be a valid Kubernetes label value: " + owner);
    }
  }

  /**
   * {@code tree} (mutated) with the owner label and, unless the manifest sets its own (Helm charts
   * say {@code Helm}), the managed-by label. Overwriting a managed-by the manifest sets would make
   * every plan see a change that the next apply undoes again.
   */
  public static ObjectNode owned(ObjectNode tree, String owner) {
    ObjectNode labels = tree.with("metadata").with("labels");
    if (!labels.has(KubernetesTarget.MANAGED_BY_LABEL)) {
      labels.put(KubernetesTarget.MANAGED_BY_LABEL, "gitops");
    }
    labels.put(KubernetesTarget.OWNER_LABEL, owner);
    return tree;
  }
}

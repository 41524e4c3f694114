package dev.gitops.internal.diff;

import dev.gitops.model.ResourceId;

/**
 * Where a Kubernetes Secret keeps its values ({@code /data}, {@code /stringData}, or the whole
 * object), so that string forms mask them even when no sensitive rule was configured. Not part of
 * the public API.
 */
public final class SecretValues {
  private SecretValues() {}

  /** True when {@code path} of resource {@code id} holds (or contains) a Secret's values. */
  public static boolean at(ResourceId id, String path) {
    return "Secret".equals(id.kind()) && id.group().isEmpty()
        && (path.isEmpty() || under(path, "/data") || under(path, "/stringData"));
  }

  private static boolean under(String path, String root) {
    return path.equals(root) || path.startsWith(root + "/");
  }
}

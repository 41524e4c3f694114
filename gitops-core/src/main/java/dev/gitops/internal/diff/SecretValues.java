package dev.gitops.internal.diff;

import dev.gitops.diff.PathRule;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a Kubernetes Secret keeps its values ({@code /data}, {@code /stringData}, kubectl's
 * {@code kubectl.kubernetes.io/last-applied-configuration} annotation, or the whole object): the one
 * source of truth for Secret masking. Every differ treats these paths as sensitive whatever its
 * options say ({@code diff.Rules}), plans redact them in JSON and text, and string forms mask them.
 * Not part of the public API.
 *
 * <p>The annotation is the whole object as {@code kubectl apply} last sent it, its {@code data} and
 * {@code stringData} in clear; a manifest copied from a cluster ({@code kubectl get -o yaml}) carries
 * it. Argo CD hides it alike (gitops-engine {@code pkg/diff}, {@code HideSecretData}).
 */
public final class SecretValues {
  /** The pointer of kubectl's last-applied annotation, which holds a Secret's values in clear. */
  public static final String LAST_APPLIED = "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration";

  /**
   * The sensitive rules of a Secret: {@code /data/*}, {@code /stringData/*} and {@link #LAST_APPLIED}
   * of every core-group Secret.
   */
  public static final List<PathRule> RULES = List.of(
      new PathRule("", "Secret", "*", "/data/*"), new PathRule("", "Secret", "*", "/stringData/*"),
      new PathRule("", "Secret", "*", LAST_APPLIED));

  private SecretValues() {}

  /** {@link #RULES} followed by {@code extra}. */
  public static List<PathRule> with(List<PathRule> extra) {
    List<PathRule> out = new ArrayList<>(RULES.size() + extra.size());
    out.addAll(RULES);
    out.addAll(extra);
    return out;
  }

  /** True when {@code path} of resource {@code id} holds (or contains) a Secret's values. */
  public static boolean at(ResourceId id, String path) {
    return "Secret".equals(id.kind()) && id.group().isEmpty()
        && (path.isEmpty() || under(path, "/data") || under(path, "/stringData") || under(path, LAST_APPLIED)
            || LAST_APPLIED.startsWith(path + "/")); // metadata or its annotations added or removed whole
  }

  private static boolean under(String path, String root) {
    return path.equals(root) || path.startsWith(root + "/");
  }
}

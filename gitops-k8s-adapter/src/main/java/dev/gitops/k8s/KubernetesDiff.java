package dev.gitops.k8s;

import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.PathRule;
import java.util.List;

/**
 * The diff preset for Kubernetes objects: {@link DiffOptions.Mode#DESIRED_SUBSET} (fields only the
 * server sets are not drift), the {@link KubernetesNormalizer}, merge keys for the well-known lists
 * (containers, init and ephemeral containers, volumes and env by {@code name}, container ports by
 * {@code containerPort} and {@code protocol}, service ports by {@code port} and {@code protocol},
 * volume mounts by {@code mountPath} as the API server's own strategic merge does) at every pod
 * template position (Pod, workloads, CronJob). Secret values ({@code /data/*},
 * {@code /stringData/*}) need no rule here: every differ and plan of the library masks them.
 *
 * <p>A {@link KubernetesTarget} plans with this preset already ({@link KubernetesTarget#planDefaults()}),
 * with the ignore rules ({@code ignoreDifferences} in Argo CD's words) given once, to
 * {@link KubernetesTarget.Options#ignoring}, so that apply never writes those fields back either.
 * Use the preset directly to diff or plan without a target:
 *
 * <pre>{@code
 * Differ differ = new Differ(KubernetesDiff.options(PathRule.forKind("Deployment", "/spec/replicas")));
 * }</pre>
 */
public final class KubernetesDiff {
  private static final List<String> POD_SPECS =
      List.of("/spec", "/spec/template/spec", "/spec/jobTemplate/spec/template/spec");

  private KubernetesDiff() {}

  /** The preset with no ignore rules. */
  public static DiffOptions options() {
    DiffOptions o = DiffOptions.defaults().withMode(DiffOptions.Mode.DESIRED_SUBSET)
        .normalizing(new KubernetesNormalizer())
        .withMergeKey("/spec/ports", "port", "protocol");
    for (String spec : POD_SPECS) {
      for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
        o = o.withMergeKey(spec + "/" + list, "name")
            .withMergeKey(spec + "/" + list + "/*/ports", "containerPort", "protocol")
            .withMergeKey(spec + "/" + list + "/*/env", "name")
            .withMergeKey(spec + "/" + list + "/*/volumeMounts", "mountPath");
      }
      o = o.withMergeKey(spec + "/volumes", "name");
    }
    return o;
  }

  /** The preset plus {@code ignoreDifferences}-style rules. */
  public static DiffOptions options(PathRule... ignore) {
    return options().ignoring(ignore);
  }
}

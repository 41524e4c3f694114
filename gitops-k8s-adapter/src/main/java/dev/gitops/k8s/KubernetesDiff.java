package dev.gitops.k8s;

import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.PathRule;
import java.util.List;

/**
 * The diff preset for Kubernetes objects: {@link DiffOptions.Mode#DESIRED_SUBSET} (fields only the
 * server sets are not drift), the {@link KubernetesNormalizer} and a {@link KubernetesSchema} (lists
 * matched as each kind's schema says, zero values the server drops, quantities, server-appended
 * entries and fields of other managers hidden and counted in {@code explain()}). Where no schema
 * knows a list (a custom resource without one), the well-known lists at every pod template
 * position (Pod, workloads, CronJob) are still matched by key: containers, init and ephemeral
 * containers, volumes and env by {@code name}, container ports by {@code containerPort} and
 * {@code protocol}, service ports by {@code port} and {@code protocol}, volume mounts by
 * {@code mountPath}. Secret values ({@code /data/*}, {@code /stringData/*}) need no rule here:
 * every differ and plan of the library masks them.
 *
 * <p>A {@link KubernetesTarget} plans with this preset already ({@link KubernetesTarget#planDefaults()}),
 * with its own schema ({@link KubernetesTarget#schema()}: the server's OpenAPI, the cluster's CRDs)
 * and the ignore rules ({@code ignoreDifferences} in Argo CD's words) given once, to
 * {@link KubernetesTarget.Options#ignoring}, so that apply never writes those fields back either.
 * Use the preset directly to diff or plan without a target:
 *
 * <pre>{@code
 * KubernetesSchema schema = KubernetesSchema.builtin().learn(desired);   // the CRDs of the desired state
 * Differ differ = new Differ(KubernetesDiff.options(schema, PathRule.forKind("Deployment", "/spec/replicas")));
 * }</pre>
 */
public final class KubernetesDiff {
  private static final List<String> POD_SPECS =
      List.of("/spec", "/spec/template/spec", "/spec/jobTemplate/spec/template/spec");

  private KubernetesDiff() {}

  /**
   * The preset with the built-in schema ({@link KubernetesSchema#builtin()}) and no ignore rules.
   *
   * @return the preset
   */
  public static DiffOptions options() {
    return options(KubernetesSchema.builtin());
  }

  /**
   * The preset with the built-in schema plus {@code ignoreDifferences}-style rules.
   *
   * @param ignore fields whose differences plans hide
   * @return the preset
   */
  public static DiffOptions options(PathRule... ignore) {
    return options().ignoring(ignore);
  }

  /**
   * The preset with {@code schema} (a target's, {@link KubernetesTarget#schema()}, knows its server
   * and cluster's CRDs) plus {@code ignoreDifferences}-style rules.
   *
   * @param schema what the diff knows of each kind's fields
   * @param ignore fields whose differences plans hide
   * @return the preset
   */
  public static DiffOptions options(KubernetesSchema schema, PathRule... ignore) {
    DiffOptions o = DiffOptions.defaults().withMode(DiffOptions.Mode.DESIRED_SUBSET)
        .normalizing(new KubernetesNormalizer(java.util.Objects.requireNonNull(schema, "schema")))
        .withSchema(schema)
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
    return o.ignoring(ignore);
  }
}

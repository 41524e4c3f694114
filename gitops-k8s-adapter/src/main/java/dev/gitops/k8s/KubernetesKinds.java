package dev.gitops.k8s;

import dev.gitops.model.ResourceId;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The order in which kinds are applied (and, reversed, pruned), for
 * {@link dev.gitops.plan.PlanOptions#withKindOrder}: namespaces first, then custom resource
 * definitions, then cluster-wide and namespaced configuration (service accounts, RBAC, config
 * maps, secrets, storage, and the classes and claims a pod names: runtime and device classes,
 * resource claims and their templates, which admission or the scheduler need first), then services, then workloads, then other built-in kinds, and custom
 * resources last. So a namespace exists before its members and a CRD before its custom resources;
 * a prune deletes custom resources before their CRD.
 *
 * <pre>{@code
 * PlanOptions options = PlanOptions.defaults().withKindOrder(KubernetesKinds.order());
 * }</pre>
 */
public final class KubernetesKinds {
  private static final List<List<String>> RANKS = List.of(
      List.of("Namespace"),
      List.of("CustomResourceDefinition"),
      List.of("PriorityClass", "StorageClass", "PodSecurityPolicy", "ResourceQuota", "LimitRange",
          "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Secret",
          "ConfigMap", "PersistentVolume", "PersistentVolumeClaim", "VolumeAttributesClass", "RuntimeClass",
          "DeviceClass", "ResourceClaimTemplate", "ResourceClaim"),
      List.of("Service", "Endpoints", "EndpointSlice"),
      List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
          "Job", "CronJob", "Pod"));
  private static final int OTHER_BUILTIN = RANKS.size();
  private static final int CUSTOM = RANKS.size() + 1;

  private KubernetesKinds() {}

  /**
   * Ranks a resource by its kind.
   *
   * @param id the resource; only its group and kind matter
   * @return {@code 0} for namespaces up to {@code 4} for workloads, {@code 5} for other built-in
   *     kinds and {@code 6} for custom resources (any group that is not built in); lower applies
   *     first and is pruned last
   */
  public static int rank(ResourceId id) {
    boolean builtin = BuiltinKinds.isBuiltinGroup(id.group());
    if (!builtin) {
      return CUSTOM;
    }
    for (int i = 0; i < RANKS.size(); i++) {
      if (RANKS.get(i).contains(id.kind())) {
        return i;
      }
    }
    return OTHER_BUILTIN;
  }

  /** {@return {@link #rank} as a function for {@code PlanOptions.withKindOrder}} */
  public static ToIntFunction<ResourceId> order() {
    return KubernetesKinds::rank;
  }
}

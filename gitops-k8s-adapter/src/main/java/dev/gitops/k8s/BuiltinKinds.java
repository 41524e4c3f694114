package dev.gitops.k8s;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The built-in Kubernetes kinds: preferred version, plural and scope. Every kind a Kubernetes 1.35
 * API server serves at a stable version and lists is here ({@code BuiltinKindsTest} holds the table
 * to the OpenAPI documents), and the {@code extensions/v1beta1} kinds and PodSecurityPolicy of
 * removed beta versions ({@link RemovedApis} names every removed version); what a cluster serves
 * besides is learnt from its discovery.
 */
final class BuiltinKinds {
  private static final Map<String, KindInfo> TABLE = new TreeMap<>();

  static {
    namespaced("", "v1", "ConfigMap", "Secret", "Service", "ServiceAccount", "Pod",
        "PersistentVolumeClaim", "ReplicationController", "Endpoints", "LimitRange", "ResourceQuota",
        "Event", "PodTemplate");
    cluster("", "v1", "Namespace", "Node", "PersistentVolume", "ComponentStatus");
    namespaced("apps", "v1", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
        "ControllerRevision");
    namespaced("extensions", "v1beta1", "Deployment", "DaemonSet", "ReplicaSet", "Ingress",
        "NetworkPolicy");
    namespaced("batch", "v1", "Job", "CronJob");
    namespaced("autoscaling", "v2", "HorizontalPodAutoscaler");
    namespaced("policy", "v1", "PodDisruptionBudget");
    cluster("policy", "v1beta1", "PodSecurityPolicy");
    namespaced("networking.k8s.io", "v1", "NetworkPolicy", "Ingress");
    cluster("networking.k8s.io", "v1", "IngressClass", "ServiceCIDR", "IPAddress");
    namespaced("rbac.authorization.k8s.io", "v1", "Role", "RoleBinding");
    cluster("rbac.authorization.k8s.io", "v1", "ClusterRole", "ClusterRoleBinding");
    cluster("apiextensions.k8s.io", "v1", "CustomResourceDefinition");
    cluster("apiregistration.k8s.io", "v1", "APIService");
    cluster("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding");
    cluster("storage.k8s.io", "v1", "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment",
        "VolumeAttributesClass");
    namespaced("storage.k8s.io", "v1", "CSIStorageCapacity");
    cluster("scheduling.k8s.io", "v1", "PriorityClass");
    namespaced("coordination.k8s.io", "v1", "Lease");
    namespaced("discovery.k8s.io", "v1", "EndpointSlice");
    cluster("certificates.k8s.io", "v1", "CertificateSigningRequest");
    cluster("node.k8s.io", "v1", "RuntimeClass");
    cluster("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema", "PriorityLevelConfiguration");
    namespaced("events.k8s.io", "v1", "Event");
    namespaced("resource.k8s.io", "v1", "ResourceClaim", "ResourceClaimTemplate");
    cluster("resource.k8s.io", "v1", "DeviceClass", "ResourceSlice");
  }

  private BuiltinKinds() {}

  private static void namespaced(String group, String version, String... kinds) {
    for (String kind : kinds) {
      put(new KindInfo(group, version, kind, KindInfo.pluralOf(kind), true));
    }
  }

  private static void cluster(String group, String version, String... kinds) {
    for (String kind : kinds) {
      put(new KindInfo(group, version, kind, KindInfo.pluralOf(kind), false));
    }
  }

  private static void put(KindInfo info) {
    TABLE.put(info.key(), info);
  }

  /** The built-in kind {@code group/kind}, if it is one. */
  public static Optional<KindInfo> find(String group, String kind) {
    return Optional.ofNullable(TABLE.get(KindInfo.key(group, kind)));
  }

  /** Every kind of the table, sorted by {@code group/Kind}. */
  static java.util.Collection<KindInfo> all() {
    return java.util.List.copyOf(TABLE.values());
  }

  /** True when {@code group} is one of Kubernetes' own API groups (so its kinds are not custom). */
  public static boolean isBuiltinGroup(String group) {
    return TABLE.values().stream().anyMatch(k -> k.group().equals(group));
  }
}

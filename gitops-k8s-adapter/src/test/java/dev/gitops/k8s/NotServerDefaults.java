package dev.gitops.k8s;

import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of built-in types whose OpenAPI description says "Defaults to ...", "Default is ..."
 * or "defaults to", but where the API server stores nothing a diff has to know, each with why, for
 * {@link DefaultingCoverageTest}. Read against {@code pkg/apis/<group>/v1/defaults.go} (core, apps,
 * batch, admissionregistration, through the search tools) and the Go types: a field named here has
 * no {@code SetDefaults_*} line and no declarative {@code +default}, so the described value is one
 * a consumer assumes when the field is absent, or the Go zero that {@code omitempty} drops. A field
 * the server does fill in belongs in {@link Defaulting} (or a sibling rule), not here. Keys are
 * {@code <schema name>.<property>}; the reasons are the test's report when an entry goes stale.
 */
final class NotServerDefaults {
  private static final String CORE = "io.k8s.api.core.v1.";
  /** A Go zero the description names as the default: {@code omitempty} (or a nil pointer), so never stored. */
  private static final String ZERO = "the Go zero of an omitempty field or nil pointer: stored as nothing";
  /** A value the kubelet, a volume plugin, the runtime or a controller assumes when the field is absent. */
  private static final String ASSUMED = "assumed by its consumer when absent; no defaulting function stores it";

  private NotServerDefaults() {}

  /** Every allowed field, with the reason. */
  static Map<String, String> all() {
    Map<String, String> out = new TreeMap<>();
    for (String f : new String[] {"AzureDiskVolumeSource.readOnly", "AzureFilePersistentVolumeSource.readOnly",
        "AzureFileVolumeSource.readOnly", "CSIPersistentVolumeSource.readOnly", "CSIVolumeSource.readOnly",
        "CephFSPersistentVolumeSource.readOnly", "CephFSVolumeSource.readOnly", "CinderPersistentVolumeSource.readOnly",
        "CinderVolumeSource.readOnly", "FCVolumeSource.readOnly", "FlexPersistentVolumeSource.readOnly",
        "FlexVolumeSource.readOnly", "GCEPersistentDiskVolumeSource.readOnly",
        "GlusterfsPersistentVolumeSource.readOnly", "GlusterfsVolumeSource.readOnly",
        "ISCSIPersistentVolumeSource.readOnly", "ISCSIVolumeSource.readOnly", "NFSVolumeSource.readOnly",
        "PortworxVolumeSource.readOnly", "QuobyteVolumeSource.readOnly", "RBDPersistentVolumeSource.readOnly",
        "RBDVolumeSource.readOnly", "ScaleIOPersistentVolumeSource.readOnly", "ScaleIOVolumeSource.readOnly",
        "StorageOSPersistentVolumeSource.readOnly", "StorageOSVolumeSource.readOnly", "VolumeMount.readOnly",
        "VolumeMount.subPath", "VolumeMount.subPathExpr", "Container.stdin", "Container.stdinOnce", "Container.tty",
        "EnvVar.value", "EmptyDirVolumeSource.medium", "EmptyDirVolumeSource.sizeLimit", "PodSpec.hostIPC",
        "PodSpec.hostPID", "PodSpec.hostNetwork", "PodSpec.setHostnameAsFQDN", "PodSpec.shareProcessNamespace",
        "SecurityContext.privileged", "SecurityContext.readOnlyRootFilesystem", "ConfigMap.immutable",
        "Secret.immutable", "PodAffinityTerm.matchLabelKeys", "PodAffinityTerm.mismatchLabelKeys",
        "CephFSPersistentVolumeSource.secretRef", "CephFSVolumeSource.secretRef", "RBDPersistentVolumeSource.secretRef",
        "RBDVolumeSource.secretRef", "QuobyteVolumeSource.group", "ReplicationControllerSpec.minReadySeconds"}) {
      out.put(CORE + f, ZERO);
    }
    for (String f : new String[] {"apps.v1.DaemonSetSpec.minReadySeconds", "apps.v1.DeploymentSpec.minReadySeconds",
        "apps.v1.ReplicaSetSpec.minReadySeconds", "apps.v1.StatefulSetSpec.minReadySeconds",
        "apps.v1.StatefulSetOrdinals.start", "batch.v1.SuccessPolicyRule.succeededCount",
        "batch.v1.SuccessPolicyRule.succeededIndexes"}) {
      out.put("io.k8s.api." + f, ZERO);
    }
    out.put("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion.deprecated", ZERO);
    out.put("io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference.blockOwnerDeletion", ZERO);
    for (String f : new String[] {"AWSElasticBlockStoreVolumeSource.partition", "GCEPersistentDiskVolumeSource.partition",
        "AzureFilePersistentVolumeSource.secretNamespace", "CephFSPersistentVolumeSource.path",
        "CephFSPersistentVolumeSource.secretFile", "CephFSPersistentVolumeSource.user", "CephFSVolumeSource.path",
        "CephFSVolumeSource.secretFile", "CephFSVolumeSource.user", "GlusterfsPersistentVolumeSource.endpointsNamespace",
        "HTTPGetAction.host", "TCPSocketAction.host", "Lifecycle.stopSignal", "LocalVolumeSource.fsType",
        "PodSecurityContext.runAsUser", "SecurityContext.runAsUser", "SecurityContext.capabilities",
        "SecurityContext.procMount", "WindowsSecurityContextOptions.runAsUserName", "QuobyteVolumeSource.user",
        "ServiceAccountTokenProjection.audience", "VolumeMount.mountPropagation", "VolumeMount.recursiveReadOnly",
        "PodSpec.hostUsers"}) {
      out.put(CORE + f, ASSUMED);
    }
    out.put("io.k8s.api.storage.v1.TokenRequest.audience", ASSUMED);
    out.put("io.k8s.api.batch.v1.CronJobSpec.timeZone", ASSUMED + " (the controller manager's zone)");
    out.put("io.k8s.api.networking.v1.IngressTLS.hosts", ASSUMED + " (the ingress controller's wildcard)");
    for (String f : new String[] {"CapacityRequestPolicy.validRange", "DeviceCapacity.requestPolicy",
        "DeviceSubRequest.capacity", "ExactDeviceRequest.capacity"}) {
      out.put("io.k8s.api.resource.v1." + f, ASSUMED + " (the scheduler's allocator, at allocation)");
    }
    out.put(CORE + "Toleration.operator", "no SetDefaults_Toleration in core/v1 defaults.go: an empty operator"
        + " is read as Equal by the taint helpers, and stored empty");
    out.put(CORE + "TopologySpreadConstraint.maxSkew", "required (validation refuses 0); no defaulting function sets it");
    out.put(CORE + "ContainerResizePolicy.restartPolicy", "required by validation; no defaulting function sets it");
    out.put(CORE + "VolumeResourceRequirements.requests", "the container's prose copied: SetDefaults_PersistentVolumeClaimSpec"
        + " sets only volumeMode, nothing fills a claim's requests from its limits");
    out.put(CORE + "EphemeralContainer.imagePullPolicy", "SetDefaults_EphemeralContainer: ephemeral containers are"
        + " refused on create and update and come only through the ephemeralcontainers subresource, never from Git");
    out.put(CORE + "EphemeralContainer.terminationMessagePath", out.get(CORE + "EphemeralContainer.imagePullPolicy"));
    out.put(CORE + "EphemeralContainer.terminationMessagePolicy", out.get(CORE + "EphemeralContainer.imagePullPolicy"));
    for (String f : new String[] {"EphemeralContainer.stdin", "EphemeralContainer.stdinOnce", "EphemeralContainer.tty"}) {
      out.put(CORE + f, ZERO);
    }
    out.put(CORE + "PodSpec.preemptionPolicy", "the Priority admission plugin's, on a Pod's create only (its spec is"
        + " then immutable), never in a template; scheduling/v1 SetDefaults_PriorityClass sets a PriorityClass's");
    out.put(CORE + "ReplicationController.metadata", "SetDefaults_ReplicationController fills empty labels from the"
        + " template's, but the target always writes its ownership labels, so they are never empty");
    out.put("io.k8s.api.apps.v1.ReplicaSet.metadata", "extensions/v1beta1's prose: apps/v1 SetDefaults_ReplicaSet sets"
        + " only replicas");
    String request = "part of a request the server answers and never stores (an Eviction's delete options, a"
        + " TokenReview)";
    out.put("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions.gracePeriodSeconds", request);
    out.put("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions.ignoreStoreReadErrorWithClusterBreakingPotential",
        request);
    out.put("io.k8s.api.authentication.v1.TokenReviewSpec.audiences", request);
    String crd = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";
    out.put(crd + "CustomResourceSubresourceScale.labelSelectorPath", "what the /scale subresource reads when the"
        + " path holds nothing, not a value stored in the CRD");
    out.put(crd + "CustomResourceSubresourceScale.statusReplicasPath",
        out.get(crd + "CustomResourceSubresourceScale.labelSelectorPath"));
    out.put(crd + "JSONSchemaProps.default", "describes defaulting of custom resources, which CustomStorage plays");
    out.put(crd + "JSONSchemaProps.x-kubernetes-list-type", "how server-side apply reads a list without the"
        + " extension; the schema is stored as written");
    out.put(crd + "ValidationRule.reason", "the reason a failed rule reports when unset; apiextensions/v1"
        + " defaults.go does not set it");
    return out;
  }
}

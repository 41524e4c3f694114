package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the API server's defaulting does to values of built-in kinds that the OpenAPI does not say,
 * for {@link SchemaCompiler} to mark the fields of its compiled schemas:
 *
 * <ul>
 *   <li><b>a zero it replaces</b>: a plain Go {@code int32} (no pointer) cannot tell {@code 0} from
 *       left out, and the defaulting functions set such a field when it is 0, so {@code 0} in Git is
 *       stored as the default. The full set, from {@code pkg/apis/*}{@code /v1/defaults.go} of
 *       Kubernetes read against the Go types: {@code SetDefaults_Probe} (core/v1
 *       {@code Probe}: {@code timeoutSeconds} 1, {@code periodSeconds} 10, {@code successThreshold} 1,
 *       {@code failureThreshold} 3, in every probe of every pod spec and template) and flowcontrol/v1
 *       ({@code QueuingConfiguration}: {@code handSize} 8, {@code queues} 64, {@code queueLengthLimit}
 *       50; {@code FlowSchemaSpec.matchingPrecedence} 1000). Every other number the defaulting
 *       functions of core, apps, batch, autoscaling, networking, admissionregistration, storage and
 *       flowcontrol set is a pointer, set only when nil, so its 0 is stored as 0
 *       ({@code replicas: 0}, a limited priority level's {@code nominalConcurrencyShares: 0}). Two
 *       fields take the default from a sibling and are not here but in {@link SiblingDefaults}: a
 *       Service port's {@code targetPort} (its {@code port}) and, in a Pod with {@code hostNetwork},
 *       a container port's {@code hostPort} (its {@code containerPort}). An applied field Git leaves
 *       out is stored as its zero is, so its removal against the live default is no change
 *       ({@link SchemaField}, {@link LeftOutDefaults});
 *   <li><b>a value it sets when a write leaves the field out</b> that the OpenAPI does not declare
 *       ({@link #whenLeftOut}; it declares a {@code default} only for Go fields without
 *       {@code omitempty}, and there often the Go zero, {@code ""}, which the defaulting then
 *       replaces: a pod failure policy pattern's {@code status} is stored as {@code True}, so
 *       this value wins over a declared zero): a pointer the defaulting functions set when nil, or an {@code omitempty}
 *       string they set when empty, to a fixed value; a struct they allocate when nil, with the
 *       values they set in it (a ClientIP Service's {@code clientIP}, a rolling update's
 *       {@code rollingUpdate}). A chart's unset value printed as an empty key
 *       ({@code revisionHistoryLimit:}, YAML null) is applied, so {@code gitops} owns the field, and
 *       decoded as nil, so the server stores the default; the diff drops the null, and the removal
 *       of the owned field against the live default is no change ({@link SchemaField}'s default
 *       value). From core, apps, batch, autoscaling, networking, storage, admissionregistration,
 *       scheduling, discovery, flowcontrol, resource, apiextensions and apiregistration (v1); coordination, certificates,
 *       policy and node have no defaulting functions, and rbac's set a {@code roleRef.apiGroup}
 *       (where the OpenAPI declares {@code ""}) and a subject's from its kind. Defaults that
 *       depend on another field or on the object (a Job's counts, a container's
 *       {@code imagePullPolicy}, a Service's traffic policies: {@link SiblingLeftOut#leftOut} and
 *       {@link WorkloadDefaults}, which also sets a Pod's {@code enableServiceLinks}, which a
 *       template does not get; a CRD's {@code names.singular} and {@code listKind},
 *       {@link DefinitionNames}) are not here;
 *   <li><b>a value it allocated and keeps</b>: a Service's {@code clusterIP}, {@code clusterIPs} and
 *       {@code healthCheckNodePort} and a port's {@code nodePort}, which the Service registry's
 *       {@code patchAllocatedValues} copies from the stored object into a write that leaves them
 *       empty (while the Service still needs them), so that resubmitting the same YAML succeeds, its
 *       {@code ipFamilies}, which the allocator infers from those clusterIPs when a write leaves
 *       them empty, and its {@code ipFamilyPolicy}, which {@code initIPFamilyFields} sets when nil
 *       to the stored Service's policy on update (SingleStack on create, RequireDualStack for a
 *       headless Service without a selector): a manifest that leaves them out, null or zero keeps
 *       them ({@link #ALLOCATED}; an empty list is left out by {@link SiblingDefaults});
 *   <li><b>quantities rounded to the milli</b>: {@code SetDefaults_ResourceList} rounds every value
 *       of a core/v1 {@code ResourceList} up to three decimals ({@code cpu: 0.1m} is stored as
 *       {@code 1m}), wherever a core/v1 type holds one (container and pod resources, a ResourceQuota,
 *       a LimitRange, a claim's requests, a PersistentVolume's capacity, a pod spec's overhead), in
 *       the groups whose defaulting reaches them; a RuntimeClass's {@code overhead} (node/v1, no
 *       defaulting) keeps its value. Every other quantity of a built-in kind is rounded up to the
 *       nano as the server parses it ({@code resource.ParseQuantity}).
 * </ul>
 *
 * Not public API.
 */
final class Defaulting {
  /** The package of the core/v1 types, whose resource lists the server rounds to the milli. */
  private static final String CORE = "io.k8s.api.core.v1.";
  /** Decimal places of a resource list value ({@code SetDefaults_ResourceList}: milli). */
  static final int RESOURCE_LIST_SCALE = 3;
  /** Decimal places of any other quantity of a built-in kind ({@code ParseQuantity}: nano). */
  static final int QUANTITY_SCALE = 9;

  /**
   * The {@link #of} a field the server allocates and keeps: left empty in a write ({@code 0},
   * {@code ""}, null or left out), it keeps the value it allocated before.
   */
  static final JsonNode ALLOCATED = new com.fasterxml.jackson.databind.node.TextNode("(allocated)");

  /**
   * The {@link #of} a pointer whose empty text the server keeps as written, never defaulting it:
   * a claim's {@code storageClassName: ""} asks for no class (left out, the DefaultStorageClass
   * admission plugin names the default one), so {@code ""} against a live class is a change.
   */
  static final JsonNode KEPT = new com.fasterxml.jackson.databind.node.TextNode("(kept)");

  /**
   * The {@link #of} a time the defaulting sets to the time of the write when nil: a device taint's
   * {@code timeAdded} ({@code SetDefaults_DeviceTaint}, {@code pkg/apis/resource/v1/defaults.go}:
   * {@code time.Now().Truncate(time.Second)}), so a taint Git writes without one holds the server's.
   */
  static final JsonNode STAMPED = new com.fasterxml.jackson.databind.node.TextNode("(stamped)");

  private static final Map<String, Map<String, JsonNode>> ZEROS = Map.of(
      "io.k8s.api.resource.v1.DeviceTaint", Map.of("timeAdded", STAMPED),
      CORE + "Probe", Map.of("timeoutSeconds", IntNode.valueOf(1), "periodSeconds", IntNode.valueOf(10),
          "successThreshold", IntNode.valueOf(1), "failureThreshold", IntNode.valueOf(3)),
      CORE + "ServiceSpec", Map.of("clusterIP", ALLOCATED, "clusterIPs", ALLOCATED, "ipFamilies", ALLOCATED,
          "ipFamilyPolicy", ALLOCATED, "healthCheckNodePort", ALLOCATED),
      CORE + "ServicePort", Map.of("nodePort", ALLOCATED),
      CORE + "PersistentVolumeClaimSpec", Map.of("storageClassName", KEPT),
      "io.k8s.api.flowcontrol.v1.QueuingConfiguration", Map.of("handSize", IntNode.valueOf(8),
          "queues", IntNode.valueOf(64), "queueLengthLimit", IntNode.valueOf(50)),
      "io.k8s.api.flowcontrol.v1.FlowSchemaSpec", Map.of("matchingPrecedence", IntNode.valueOf(1000)));

  private static final String APPS = "io.k8s.api.apps.v1.";
  private static final String ADMISSION = "io.k8s.api.admissionregistration.v1.";
  private static final String FLOWCONTROL = "io.k8s.api.flowcontrol.v1.";
  private static final String APIEXTENSIONS = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";

  /** Fixed values set when a write leaves a field out, by the named type holding it ({@link #whenLeftOut}). */
  private static final Map<String, Map<String, JsonNode>> LEFT_OUT = Map.ofEntries(
      // core/v1 SetDefaults_Service, SetDefaults_Secret, SetDefaults_Endpoints
      Map.entry(CORE + "ServiceSpec", Map.of("type", text("ClusterIP"), "sessionAffinity", text("None"),
          "allocateLoadBalancerNodePorts", BooleanNode.TRUE)), // set on a LoadBalancer only, refused on others
      // under ClientIP only (None drops the whole config, as SiblingDefaults does); the config itself
      // depends on the affinity, so SiblingLeftOut.leftOut judges its removal
      Map.entry(CORE + "SessionAffinityConfig", Map.of("clientIP", json("{\"timeoutSeconds\":10800}"))),
      Map.entry(CORE + "ClientIPConfig", Map.of("timeoutSeconds", IntNode.valueOf(10800))),
      Map.entry(CORE + "Secret", Map.of("type", text("Opaque"))),
      Map.entry(CORE + "EndpointPort", Map.of("protocol", text("TCP"))),
      // apps/v1 Convert_apps_StatefulSetSpec_To_v1_StatefulSetSpec writes these into every claim template
      // (kubernetes#87583); the root of a PersistentVolumeClaim always has them
      Map.entry(CORE + "PersistentVolumeClaim", Map.of("apiVersion", text("v1"), "kind", text("PersistentVolumeClaim"))),
      // core/v1 SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_HTTPGetAction, SetDefaults_ObjectFieldSelector
      Map.entry(CORE + "PodSpec", Map.of("terminationGracePeriodSeconds", IntNode.valueOf(30),
          "dnsPolicy", text("ClusterFirst"), "restartPolicy", text("Always"),
          "schedulerName", text("default-scheduler"))),
      Map.entry(CORE + "Container", Map.of("terminationMessagePath", text("/dev/termination-log"),
          "terminationMessagePolicy", text("File"))),
      Map.entry(CORE + "HTTPGetAction", Map.of("path", text("/"), "scheme", text("HTTP"))),
      Map.entry(CORE + "ObjectFieldSelector", Map.of("apiVersion", text("v1"))),
      // a ResourceFieldSelector's divisor is a plain resource.Quantity: left out, it reads back as "0"
      // (encoding/json never omits a struct), inside the atomic resourceFieldRef
      Map.entry(CORE + "ResourceFieldSelector", Map.of("divisor", text("0"))),
      // core/v1 SetDefaults_{Secret,ConfigMap,DownwardAPI,Projected}VolumeSource (0644),
      // SetDefaults_ServiceAccountTokenProjection, SetDefaults_HostPathVolumeSource
      Map.entry(CORE + "SecretVolumeSource", Map.of("defaultMode", IntNode.valueOf(420))),
      Map.entry(CORE + "ConfigMapVolumeSource", Map.of("defaultMode", IntNode.valueOf(420))),
      Map.entry(CORE + "DownwardAPIVolumeSource", Map.of("defaultMode", IntNode.valueOf(420))),
      Map.entry(CORE + "ProjectedVolumeSource", Map.of("defaultMode", IntNode.valueOf(420))),
      Map.entry(CORE + "ServiceAccountTokenProjection", Map.of("expirationSeconds", IntNode.valueOf(3600))),
      Map.entry(CORE + "HostPathVolumeSource", Map.of("type", text(""))),
      // core/v1 SetDefaults_PersistentVolume, SetDefaults_PersistentVolumeClaimSpec
      Map.entry(CORE + "PersistentVolumeSpec", Map.of("persistentVolumeReclaimPolicy", text("Retain"),
          "volumeMode", text("Filesystem"))),
      Map.entry(CORE + "PersistentVolumeClaimSpec", Map.of("volumeMode", text("Filesystem"))),
      // apps/v1 SetDefaults_Deployment, SetDefaults_DaemonSet, SetDefaults_StatefulSet, SetDefaults_ReplicaSet
      // a spec's strategy is a struct, not a pointer: left out whole (kubectl's client-side apply owns it
      // from the create, and an adoption hands it over), its type and rolling update are set in it
      Map.entry(APPS + "DeploymentSpec", Map.of("replicas", IntNode.valueOf(1),
          "revisionHistoryLimit", IntNode.valueOf(10), "progressDeadlineSeconds", IntNode.valueOf(600),
          "strategy", json("{\"rollingUpdate\":{\"maxSurge\":\"25%\",\"maxUnavailable\":\"25%\"},\"type\":\"RollingUpdate\"}"))),
      Map.entry(APPS + "DeploymentStrategy", Map.of("type", text("RollingUpdate"), // rollingUpdate: under RollingUpdate only
          "rollingUpdate", json("{\"maxSurge\":\"25%\",\"maxUnavailable\":\"25%\"}"))),
      Map.entry(APPS + "RollingUpdateDeployment", Map.of("maxUnavailable", text("25%"), "maxSurge", text("25%"))),
      Map.entry(APPS + "DaemonSetSpec", Map.of("revisionHistoryLimit", IntNode.valueOf(10),
          "updateStrategy", json("{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":1},\"type\":\"RollingUpdate\"}"))),
      Map.entry(APPS + "DaemonSetUpdateStrategy", Map.of("type", text("RollingUpdate"),
          "rollingUpdate", json("{\"maxSurge\":0,\"maxUnavailable\":1}"))),
      Map.entry(APPS + "RollingUpdateDaemonSet", Map.of("maxUnavailable", IntNode.valueOf(1),
          "maxSurge", IntNode.valueOf(0))),
      Map.entry(APPS + "StatefulSetSpec", Map.of("replicas", IntNode.valueOf(1),
          "revisionHistoryLimit", IntNode.valueOf(10), "podManagementPolicy", text("OrderedReady"),
          "persistentVolumeClaimRetentionPolicy", json("{\"whenDeleted\":\"Retain\",\"whenScaled\":\"Retain\"}"),
          "updateStrategy", json("{\"rollingUpdate\":{\"maxUnavailable\":1,\"partition\":0},\"type\":\"RollingUpdate\"}"))),
      Map.entry(APPS + "StatefulSetUpdateStrategy", Map.of("type", text("RollingUpdate"))),
      // maxUnavailable under the MaxUnavailableStatefulSet gate (beta, on by default since 1.35; the field is
      // dropped while the gate is off, so no older server stores a value to judge)
      Map.entry(APPS + "RollingUpdateStatefulSetStrategy", Map.of("partition", IntNode.valueOf(0),
          "maxUnavailable", IntNode.valueOf(1))),
      Map.entry(APPS + "StatefulSetPersistentVolumeClaimRetentionPolicy", Map.of("whenDeleted", text("Retain"),
          "whenScaled", text("Retain"))),
      Map.entry(APPS + "ReplicaSetSpec", Map.of("replicas", IntNode.valueOf(1))),
      // batch/v1 SetDefaults_CronJob (SetDefaults_Job defaults a Job, not the JobSpec of a CronJob's
      // jobTemplate: WorkloadDefaults judges a Job's)
      // batch/v1 SetDefaults_PodFailurePolicyOnPodConditionsPattern: a plain string whose "" the OpenAPI declares
      // as its default (the Go zero of a field without omitempty) and the defaulting replaces, in a Job's and a
      // CronJob's jobTemplate's atomic rules alike (the generated defaulters call every nested defaulter)
      Map.entry("io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern", Map.of("status", text("True"))),
      Map.entry("io.k8s.api.batch.v1.CronJobSpec", Map.of("concurrencyPolicy", text("Allow"),
          "suspend", BooleanNode.FALSE, "successfulJobsHistoryLimit", IntNode.valueOf(3),
          "failedJobsHistoryLimit", IntNode.valueOf(1))),
      // autoscaling/v1 and v2 SetDefaults_HorizontalPodAutoscaler, v2 GenerateHPAScale{Up,Down}Rules
      Map.entry("io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec", Map.of("minReplicas", IntNode.valueOf(1))),
      Map.entry("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec", Map.of("minReplicas", IntNode.valueOf(1))),
      Map.entry("io.k8s.api.autoscaling.v2.HPAScalingRules", Map.of("selectPolicy", text("Max"))),
      // networking/v1 SetDefaults_NetworkPolicyPort, SetDefaults_IngressClass
      Map.entry("io.k8s.api.networking.v1.NetworkPolicyPort", Map.of("protocol", text("TCP"))),
      Map.entry("io.k8s.api.networking.v1.IngressClassParametersReference", Map.of("scope", text("Cluster"))),
      // storage/v1 SetDefaults_StorageClass, SetDefaults_CSIDriver (seLinuxMount under SELinuxMountReadWriteOncePod,
      // on by default since 1.28)
      Map.entry("io.k8s.api.storage.v1.StorageClass", Map.of("reclaimPolicy", text("Delete"),
          "volumeBindingMode", text("Immediate"))),
      Map.entry("io.k8s.api.storage.v1.CSIDriverSpec", Map.of("attachRequired", BooleanNode.TRUE,
          "podInfoOnMount", BooleanNode.FALSE, "storageCapacity", BooleanNode.FALSE,
          "requiresRepublish", BooleanNode.FALSE, "fsGroupPolicy", text("ReadWriteOnceWithFSType"),
          "seLinuxMount", BooleanNode.FALSE)),
      // admissionregistration/v1 SetDefaults_ValidatingWebhook, SetDefaults_MutatingWebhook (each nil selector an
      // empty LabelSelector: pair 449), SetDefaults_Rule, SetDefaults_ServiceReference
      Map.entry(ADMISSION + "ValidatingWebhook", Map.of("failurePolicy", text("Fail"),
          "matchPolicy", text("Equivalent"), "timeoutSeconds", IntNode.valueOf(10),
          "namespaceSelector", json("{}"), "objectSelector", json("{}"))),
      Map.entry(ADMISSION + "MutatingWebhook", Map.of("failurePolicy", text("Fail"),
          "matchPolicy", text("Equivalent"), "timeoutSeconds", IntNode.valueOf(10),
          "reinvocationPolicy", text("Never"), "namespaceSelector", json("{}"), "objectSelector", json("{}"))),
      Map.entry(ADMISSION + "RuleWithOperations", Map.of("scope", text("*"))),
      // SetDefaults_MatchResources, and SetDefaults_Rule on a NamedRuleWithOperations' embedded Rule
      // (a ValidatingAdmissionPolicy's atomic matchConstraints)
      Map.entry(ADMISSION + "MatchResources", Map.of("matchPolicy", text("Equivalent"),
          "namespaceSelector", json("{}"), "objectSelector", json("{}"))),
      Map.entry(ADMISSION + "NamedRuleWithOperations", Map.of("scope", text("*"))),
      // SetDefaults_ValidatingAdmissionPolicySpec
      Map.entry(ADMISSION + "ValidatingAdmissionPolicySpec", Map.of("failurePolicy", text("Fail"))),
      // v1beta1 (1.34) and v1alpha1 SetDefaults_MutatingAdmissionPolicySpec: no v1 type yet to stand in for them
      Map.entry("io.k8s.api.admissionregistration.v1beta1.MutatingAdmissionPolicySpec",
          Map.of("failurePolicy", text("Fail"))),
      Map.entry("io.k8s.api.admissionregistration.v1alpha1.MutatingAdmissionPolicySpec",
          Map.of("failurePolicy", text("Fail"))),
      Map.entry(ADMISSION + "ServiceReference", Map.of("port", IntNode.valueOf(443))),
      // scheduling/v1 SetDefaults_PriorityClass
      Map.entry("io.k8s.api.scheduling.v1.PriorityClass", Map.of("preemptionPolicy", text("PreemptLowerPriority"))),
      // discovery/v1 SetDefaults_EndpointPort
      Map.entry("io.k8s.api.discovery.v1.EndpointPort", Map.of("name", text(""), "protocol", text("TCP"))),
      // resource/v1 SetDefaults_ExactDeviceRequest, SetDefaults_DeviceSubRequest (the count of 1 they set under
      // ExactCount alone is DeviceRequests')
      Map.entry("io.k8s.api.resource.v1.ExactDeviceRequest", Map.of("allocationMode", text("ExactCount"))),
      Map.entry("io.k8s.api.resource.v1.DeviceSubRequest", Map.of("allocationMode", text("ExactCount"))),
      // flowcontrol/v1 SetDefaults_ExemptPriorityLevelConfiguration, SetDefaults_LimitedPriorityLevelConfiguration
      // (their plain numbers are ZEROS')
      Map.entry(FLOWCONTROL + "ExemptPriorityLevelConfiguration", Map.of("nominalConcurrencyShares",
          IntNode.valueOf(0), "lendablePercent", IntNode.valueOf(0))),
      Map.entry(FLOWCONTROL + "LimitedPriorityLevelConfiguration", Map.of("nominalConcurrencyShares",
          IntNode.valueOf(30), "lendablePercent", IntNode.valueOf(0))),
      // apiextensions/v1 SetDefaults_CustomResourceDefinitionSpec (names.singular and listKind come from the kind,
      // a webhook's conversionReviewVersions from the strategy: not here), SetDefaults_ServiceReference
      Map.entry(APIEXTENSIONS + "CustomResourceDefinitionSpec", Map.of("conversion", json("{\"strategy\":\"None\"}"))),
      Map.entry(APIEXTENSIONS + "ServiceReference", Map.of("port", IntNode.valueOf(443))),
      // kube-aggregator apiregistration/v1 SetDefaults_ServiceReference (an APIService's spec.service)
      Map.entry("io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.ServiceReference", Map.of("port", IntNode.valueOf(443))),
      // rbac/v1 SetDefaults_RoleBinding, SetDefaults_ClusterRoleBinding: an empty roleRef.apiGroup, which the
      // OpenAPI declares as its "" default, inside the atomic roleRef (a subject's comes from its kind:
      // SiblingDefaults)
      Map.entry("io.k8s.api.rbac.v1.RoleRef", Map.of("apiGroup", text("rbac.authorization.k8s.io"))));
  // coordination/v1, certificates/v1, policy/v1 and node/v1 have no SetDefaults_* functions

  /**
   * The types whose {@code name} the OpenAPI gives the default {@code ""} while Go drops it when
   * empty: core/v1 {@code LocalObjectReference.Name} is {@code +default=""} (so that server-side
   * apply keys an {@code imagePullSecrets} element that leaves it out) and
   * {@code json:"name,omitempty"}, no pointer, and these types inline it. A {@code name: ""}
   * written there is stored as nothing ({@code imagePullSecrets: [{name: ""}]} reads back as
   * {@code [{}]}), unlike a field whose zero default marks it as always written.
   */
  private static final Set<String> NAME_DROPPED_WHEN_EMPTY = Set.of(CORE + "LocalObjectReference",
      CORE + "ConfigMapEnvSource", CORE + "ConfigMapKeySelector", CORE + "ConfigMapProjection",
      CORE + "ConfigMapVolumeSource", CORE + "SecretEnvSource", CORE + "SecretKeySelector",
      CORE + "SecretProjection");

  /** A type name of a prerelease version: its package up to the version, and its simple name. */
  private static final Pattern PRERELEASE =
      Pattern.compile("(io\\.k8s\\.api\\.[a-z0-9]+)\\.v[0-9]+(?:alpha|beta)[0-9]+\\.([A-Za-z0-9]+)");

  private Defaulting() {}

  private static JsonNode text(String value) {
    return TextNode.valueOf(value);
  }

  /** A struct the defaulting allocates when nil, with the values it sets in it. */
  private static JsonNode json(String value) {
    return Json.parse(value);
  }

  /**
   * The value the server stores in place of a zero in field {@code field} of the named type
   * ({@link #ALLOCATED}: the one it allocated; {@link #KEPT}: none, it keeps the zero as written), or
   * null when it keeps a zero there (or drops it).
   */
  static JsonNode of(String typeName, String field) {
    return lookup(ZEROS, typeName, field);
  }

  /**
   * The fixed value the server's defaulting stores in field {@code field} of the named type when a
   * write leaves it out (or null, or an empty {@code omitempty} string), where the OpenAPI declares
   * no default; null when it stores none, or one that depends on other fields.
   */
  static JsonNode whenLeftOut(String typeName, String field) {
    return lookup(LEFT_OUT, typeName, field);
  }

  /**
   * Field {@code field} of the named type in {@code table}, or, for a type of a prerelease version
   * a server still serves (a live OpenAPI document names it {@code io.k8s.api.flowcontrol.v1beta3.QueuingConfiguration}),
   * of the type of the same name at v1: those versions' defaulting functions are v1's for the types
   * they serve from 1.30 on (flowcontrol v1beta3, served to 1.31: {@code SetDefaults_FlowSchemaSpec},
   * {@code SetDefaults_QueuingConfiguration}, the levels' pointers; its plain-int32 shares are
   * {@link PriorityLevelShares}'; admissionregistration v1beta1 and v1alpha1: {@code SetDefaults_MatchResources},
   * {@code SetDefaults_ValidatingAdmissionPolicySpec}, the rules' scope through the v1 {@code Rule} they alias;
   * resource v1beta2's {@code ExactDeviceRequest}). The webhooks of admissionregistration v1beta1,
   * whose defaults differ, are no longer served (1.22), so no document names them. Null when none.
   */
  private static JsonNode lookup(Map<String, Map<String, JsonNode>> table, String typeName, String field) {
    Map<String, JsonNode> fields = typeName == null ? null : table.get(typeName);
    if (fields == null && typeName != null) {
      Matcher m = PRERELEASE.matcher(typeName);
      fields = m.matches() ? table.get(m.group(1) + ".v1." + m.group(2)) : null;
    }
    return fields == null ? null : fields.get(field);
  }

  /**
   * True when field {@code field} of the named type declares its zero as its default but the server
   * drops that zero all the same ({@code omitempty}, no pointer): see {@link #NAME_DROPPED_WHEN_EMPTY}.
   */
  static boolean dropsDeclaredZero(String typeName, String field) {
    return "name".equals(field) && NAME_DROPPED_WHEN_EMPTY.contains(typeName);
  }

  /**
   * {@code stored}, a default as this table or {@link WorkloadDefaults} gives it for 1.35, as a server
   * whose feature gate is off stores it, where {@code actual} lacks the gated part: a StatefulSet's
   * rolling update (an object of {@code partition} and {@code maxUnavailable}) without the
   * {@code maxUnavailable} that {@code SetDefaults_StatefulSet} sets under MaxUnavailableStatefulSet
   * alone (alpha and off on 1.30 to 1.34, on from 1.35), at any depth. A live object that lacks it was
   * stored by such a server, which stores the same again (corpus pair 412). {@code stored} itself when
   * nothing is gated; never mutates its inputs.
   */
  static JsonNode beforeGates(JsonNode stored, JsonNode actual) {
    if (!(stored instanceof ObjectNode object)
        || !(actual instanceof ObjectNode live)) {
      return stored;
    }
    ObjectNode out = object.deepCopy();
    if (out.has("partition") && out.has("maxUnavailable") && !live.has("maxUnavailable")
        && out.size() == 2) {
      out.remove("maxUnavailable");
    }
    List<String> fields = new ArrayList<>();
    out.fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      out.set(field, beforeGates(out.get(field), live.get(field)));
    }
    return out;
  }

  /**
   * True when {@code stored}, a default of this table, holds a part a feature gate decides
   * ({@link #beforeGates}): a StatefulSet's rolling update with its {@code maxUnavailable}, at any depth.
   */
  static boolean gated(JsonNode stored) {
    if (!(stored instanceof ObjectNode object)) {
      return false;
    }
    if (object.size() == 2 && object.has("partition") && object.has("maxUnavailable")) {
      return true;
    }
    for (JsonNode v : object) {
      if (gated(v)) {
        return true;
      }
    }
    return false;
  }

  /** {@code stored} without the parts {@link #gated} finds (a StatefulSet rolling update's {@code maxUnavailable}); a copy. */
  static JsonNode ungated(JsonNode stored) {
    if (!(stored instanceof ObjectNode object)) {
      return stored;
    }
    ObjectNode out = object.deepCopy();
    if (out.size() == 2 && out.has("partition") && out.has("maxUnavailable")) {
      out.remove("maxUnavailable");
    }
    List<String> fields = new ArrayList<>();
    out.fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      out.set(field, ungated(out.get(field)));
    }
    return out;
  }

  /** True when a map of quantities held by the named type is a resource list the server rounds to the milli. */
  static boolean roundsToMilli(String typeName) {
    return typeName != null && typeName.startsWith(CORE);
  }
}

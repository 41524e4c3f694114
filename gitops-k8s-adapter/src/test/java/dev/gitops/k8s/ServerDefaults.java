package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The defaults and admission additions an API server (1.30+) gives objects of the built-in kinds the
 * tests use, for the test-side stand-in, written from the API reference ("Defaults to ...") and the
 * admission plugins' documentation: workload, pod template and container defaults; Service
 * allocation and defaults; Secret {@code stringData} folded into {@code data}; Namespace label,
 * finalizer and phase; StorageClass and RBAC subject and roleRef defaults; on Pod creation, the
 * ServiceAccount (its token mounted in init containers too) and Priority admission additions, and on
 * every write of a Pod DefaultTolerationSeconds'; on a claim's creation without a class,
 * DefaultStorageClass's; a Job's defaults and generated selector; and those of CRDs, APIServices and
 * webhook configurations ({@link ExtensionDefaults}). Not thread-safe (the stand-in dispatches one request at a time).
 */
final class ServerDefaults {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AtomicInteger allocations = new AtomicInteger();
  private final java.util.function.Function<String, ObjectNode> lookup;

  /** Defaults; {@code lookup} reads a stored object by its API path (for a Pod's service account). */
  ServerDefaults(java.util.function.Function<String, ObjectNode> lookup) {
    this.lookup = lookup;
  }

  /** Fills defaults into {@code object} (mutated); {@code create} adds what only creation adds. */
  void apply(String kind, ObjectNode object, boolean create) {
    ObjectNode spec = object.get("spec") instanceof ObjectNode s ? s : null;
    switch (kind) {
      case "Deployment" -> {
        putIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = spec.with("strategy");
        if (strategy.path("type").asText("RollingUpdate").equals("RollingUpdate")) {
          strategy.put("type", "RollingUpdate");
          ObjectNode rolling = strategy.with("rollingUpdate");
          putIfAbsent(rolling, "maxSurge", "25%");
          putIfAbsent(rolling, "maxUnavailable", "25%");
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        template(spec.with("template"), "Always");
      }
      case "StatefulSet" -> {
        putIfAbsent(spec, "replicas", 1);
        putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = spec.with("updateStrategy");
        if (!strategy.hasNonNull("type")) { // SetDefaults_StatefulSet allocates a rolling update for an empty type only
          strategy.put("type", "RollingUpdate");
          strategy.with("rollingUpdate");
        }
        if (strategy.path("type").asText().equals("RollingUpdate") && strategy.get("rollingUpdate") instanceof ObjectNode r) {
          putIfAbsent(r, "partition", 0); // maxUnavailable only under MaxUnavailableStatefulSet (off before 1.35)
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        ObjectNode retention = spec.with("persistentVolumeClaimRetentionPolicy");
        putIfAbsent(retention, "whenDeleted", "Retain");
        putIfAbsent(retention, "whenScaled", "Retain");
        for (JsonNode claim : spec.path("volumeClaimTemplates")) {
          ObjectNode c = (ObjectNode) claim;
          putIfAbsent(c, "apiVersion", "v1");
          putIfAbsent(c, "kind", "PersistentVolumeClaim");
          c.with("metadata").putNull("creationTimestamp");
          putIfAbsent(c.with("spec"), "volumeMode", "Filesystem");
          c.with("status").put("phase", "Pending");
        }
        template(spec.with("template"), "Always");
      }
      case "DaemonSet" -> {
        ObjectNode strategy = spec.with("updateStrategy");
        putIfAbsent(strategy, "type", "RollingUpdate");
        if (strategy.path("type").asText().equals("RollingUpdate")) {
          putIfAbsent(strategy.with("rollingUpdate"), "maxUnavailable", 1);
          putIfAbsent((ObjectNode) strategy.get("rollingUpdate"), "maxSurge", 0);
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        template(spec.with("template"), "Always");
        if (create) {
          object.with("metadata").with("annotations").put("deprecated.daemonset.template.generation", "1");
        }
      }
      case "CronJob" -> {
        putIfAbsent(spec, "concurrencyPolicy", "Allow");
        putIfAbsent(spec, "suspend", false);
        putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
        putIfAbsent(spec, "failedJobsHistoryLimit", 1);
        ObjectNode job = spec.with("jobTemplate");
        job.with("metadata").putNull("creationTimestamp");
        template(job.with("spec").with("template"), null);
      }
      case "Pod" -> {
        podSpec(spec, "Always");
        object.with("metadata");
        if (create) {
          admitPod(spec, object.path("metadata").path("namespace").asText("default"));
        }
        StandInRules.defaultTolerations(spec);
      }
      case "Service" -> {
        service(spec, create);
        object.with("status").with("loadBalancer");
      }
      case "Secret" -> secret(object);
      case "Namespace" -> {
        object.with("metadata").with("labels").put("kubernetes.io/metadata.name",
            object.path("metadata").path("name").asText());
        ArrayNode finalizers = object.with("spec").withArray("finalizers");
        if (finalizers.isEmpty()) {
          finalizers.add("kubernetes");
        }
        object.with("status").put("phase", "Active");
      }
      case "PersistentVolumeClaim" -> {
        putIfAbsent(spec, "volumeMode", "Filesystem");
        if (create && !spec.hasNonNull("storageClassName")) {
          defaultClass().ifPresent(name -> spec.put("storageClassName", name));
        }
      }
      case "NetworkPolicy" -> {
        if (spec.path("policyTypes").isEmpty()) { // len(PolicyTypes) == 0; Egress for a non-empty egress
          ArrayNode types = spec.putArray("policyTypes").add("Ingress");
          if (!spec.path("egress").isEmpty()) {
            types.add("Egress");
          }
        }
        for (String direction : new String[] {"ingress", "egress"}) {
          for (JsonNode rule : spec.path(direction)) {
            for (JsonNode port : rule.path("ports")) {
              putIfAbsent((ObjectNode) port, "protocol", "TCP");
            }
          }
        }
      }
      case "Job" -> job(object, spec, create);
      case "HorizontalPodAutoscaler" -> putIfAbsent(spec, "minReplicas", 1);
      case "StorageClass" -> {
        putIfAbsent(object, "reclaimPolicy", "Delete");
        putIfAbsent(object, "volumeBindingMode", "Immediate");
      }
      case "ClusterRoleBinding", "RoleBinding" -> {
        if (object.get("roleRef") instanceof ObjectNode ref && ref.path("apiGroup").asText("").isEmpty()) {
          ref.put("apiGroup", "rbac.authorization.k8s.io"); // SetDefaults_(Cluster)RoleBinding
        }
        for (JsonNode subject : object.path("subjects")) { // User and Group subjects: the RBAC group
          if (!subject.has("apiGroup") && !subject.path("kind").asText().equals("ServiceAccount")) {
            ((ObjectNode) subject).put("apiGroup", "rbac.authorization.k8s.io");
          }
        }
      }
      default -> ExtensionDefaults.apply(kind, object, create);
    }
  }

  /**
   * batch/v1 {@code SetDefaults_Job} (counts, backoff limit, completion mode, suspend, pod replacement
   * policy by the pod failure policy, manual selector, a condition pattern's status, empty labels from
   * the template's) and, on create without {@code manualSelector: true}, the Job strategy's generated
   * selector and template labels (its uid and name; the uid made here when the object has none: the
   * mock then stores its own, so the labels name another than {@code metadata.uid}).
   */
  private void job(ObjectNode job, ObjectNode spec, boolean create) {
    if (spec == null) {
      return;
    }
    if (!spec.hasNonNull("completions") && !spec.hasNonNull("parallelism")) {
      spec.put("completions", 1);
    }
    putIfAbsent(spec, "parallelism", 1);
    putIfAbsent(spec, "backoffLimit", spec.hasNonNull("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
    putIfAbsent(spec, "completionMode", "NonIndexed");
    putIfAbsent(spec, "suspend", false);
    putIfAbsent(spec, "podReplacementPolicy", spec.has("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
    putIfAbsent(spec, "manualSelector", false);
    for (JsonNode rule : spec.path("podFailurePolicy").path("rules")) {
      for (JsonNode pattern : rule.path("onPodConditions")) {
        putIfAbsent((ObjectNode) pattern, "status", "True");
      }
    }
    ObjectNode template = spec.with("template");
    if (template.path("metadata").get("labels") instanceof ObjectNode labels && !labels.isEmpty()
        && job.path("metadata").path("labels").isEmpty()) {
      job.with("metadata").set("labels", labels.deepCopy());
    }
    template(template, null);
    if (create && !spec.path("manualSelector").asBoolean(false)) {
      String uid = job.path("metadata").path("uid").asText("");
      if (uid.isEmpty()) {
        uid = java.util.UUID.nameUUIDFromBytes(("job-" + allocations.incrementAndGet())
            .getBytes(StandardCharsets.UTF_8)).toString();
        job.with("metadata").put("uid", uid);
      }
      String name = job.path("metadata").path("name").asText();
      ObjectNode labels = template.with("metadata").with("labels");
      labels.putIfAbsent("job-name", labels.textNode(name));
      labels.putIfAbsent("batch.kubernetes.io/job-name", labels.textNode(name));
      labels.putIfAbsent("controller-uid", labels.textNode(uid));
      labels.putIfAbsent("batch.kubernetes.io/controller-uid", labels.textNode(uid));
      spec.with("selector").with("matchLabels").putIfAbsent("batch.kubernetes.io/controller-uid", labels.textNode(uid));
    }
  }

  /**
   * The class the DefaultStorageClass admission plugin gives a claim created without one: the
   * StorageClass annotated {@code storageclass.kubernetes.io/is-default-class: "true"}, the newest
   * of several; none when there is none.
   */
  private java.util.Optional<String> defaultClass() {
    ObjectNode classes = lookup.apply("/apis/storage.k8s.io/v1/storageclasses");
    String newest = null;
    String name = null;
    for (JsonNode c : classes == null ? JSON.createArrayNode() : classes.path("items")) {
      String created = c.at("/metadata/creationTimestamp").asText("") + c.at("/metadata/name").asText();
      if ("true".equals(c.at("/metadata/annotations/storageclass.kubernetes.io~1is-default-class").asText())
          && (newest == null || created.compareTo(newest) > 0)) {
        newest = created;
        name = c.at("/metadata/name").asText();
      }
    }
    return java.util.Optional.ofNullable(name);
  }

  /** A pod template: its metadata prints {@code creationTimestamp: null}, its spec gets pod defaults. */
  private static void template(ObjectNode template, String restartPolicy) {
    template.with("metadata").putNull("creationTimestamp");
    podSpec(template.with("spec"), restartPolicy);
  }

  private static void podSpec(ObjectNode spec, String restartPolicy) {
    if (restartPolicy != null) {
      putIfAbsent(spec, "restartPolicy", restartPolicy);
    }
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
    if (!spec.has("securityContext")) {
      spec.putObject("securityContext");
    }
    if (spec.hasNonNull("serviceAccountName")) {
      spec.put("serviceAccount", spec.get("serviceAccountName").asText()); // the v1 conversion's twin
    }
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        container((ObjectNode) c);
      }
    }
    for (JsonNode v : spec.path("volumes")) {
      // SetDefaults_Volume: a volume whose source pointers are all nil is an emptyDir
      if (v instanceof ObjectNode volume && UnionValidation.VOLUME.stream().noneMatch(volume::hasNonNull)) {
        volume.putObject("emptyDir");
      }
      for (String source : new String[] {"configMap", "secret", "projected"}) {
        if (v.get(source) instanceof ObjectNode s) {
          putIfAbsent(s, "defaultMode", 420);
        }
      }
    }
  }

  private static void container(ObjectNode c) {
    String image = c.path("image").asText();
    String tag = image.contains("@") ? "digest" : image.lastIndexOf(':') > image.lastIndexOf('/')
        ? image.substring(image.lastIndexOf(':') + 1) : "latest";
    putIfAbsent(c, "imagePullPolicy", tag.equals("latest") ? "Always" : "IfNotPresent");
    putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(c, "terminationMessagePolicy", "File");
    if (!c.has("resources")) {
      c.putObject("resources");
    }
    for (JsonNode port : c.path("ports")) {
      putIfAbsent((ObjectNode) port, "protocol", "TCP");
    }
    for (JsonNode env : c.path("env")) {
      if (env.path("valueFrom").get("fieldRef") instanceof ObjectNode ref) {
        putIfAbsent(ref, "apiVersion", "v1");
      }
    }
    for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
      if (c.get(probe) instanceof ObjectNode p) {
        putIfAbsent(p, "timeoutSeconds", 1);
        putIfAbsent(p, "periodSeconds", 10);
        putIfAbsent(p, "successThreshold", 1);
        putIfAbsent(p, "failureThreshold", 3);
        if (p.get("httpGet") instanceof ObjectNode get) {
          putIfAbsent(get, "scheme", "HTTP");
        }
      }
    }
  }

  /** ServiceAccount and Priority admission, on Pod creation. */
  private void admitPod(ObjectNode spec, String namespace) {
    String account = spec.path("serviceAccountName").asText("default");
    spec.put("serviceAccountName", account).put("serviceAccount", account);
    ObjectNode sa = lookup.apply("/api/v1/namespaces/" + namespace + "/serviceaccounts/" + account);
    if (sa != null && sa.path("imagePullSecrets").size() > 0 && spec.path("imagePullSecrets").isEmpty()) {
      spec.set("imagePullSecrets", sa.get("imagePullSecrets").deepCopy());
    }
    putIfAbsent(spec, "enableServiceLinks", true);
    putIfAbsent(spec, "priority", 0);
    putIfAbsent(spec, "preemptionPolicy", "PreemptLowerPriority");
    String volume = "kube-api-access-" + Integer.toString(36 * 36 * 36 + allocations.incrementAndGet(), 36);
    ObjectNode projected = spec.withArray("volumes").addObject().put("name", volume).putObject("projected");
    projected.put("defaultMode", 420);
    ArrayNode sources = projected.putArray("sources");
    sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", 3607).put("path", "token");
    ObjectNode ca = sources.addObject().putObject("configMap").put("name", "kube-root-ca.crt");
    ca.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
    ObjectNode ns = sources.addObject().putObject("downwardAPI").putArray("items").addObject();
    ns.putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
    ns.put("path", "namespace");
    for (String list : new String[] {"initContainers", "containers"}) { // not ephemeral ones
      for (JsonNode c : spec.path(list)) {
        ((ObjectNode) c).withArray("volumeMounts").addObject()
            .put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount").put("name", volume)
            .put("readOnly", true);
      }
    }
  }

  private void service(ObjectNode spec, boolean create) {
    String type = spec.path("type").asText("ClusterIP");
    spec.put("type", type);
    putIfAbsent(spec, "sessionAffinity", "None");
    if (spec.path("sessionAffinity").asText().equals("ClientIP")) {
      putIfAbsent(spec.with("sessionAffinityConfig").with("clientIP"), "timeoutSeconds", 10800);
    }
    boolean external = type.equals("ExternalName"); // no addresses, families nor internal policy
    if (create && !external && !spec.has("clusterIP")) {
      String ip = "10.96.0." + (10 + allocations.incrementAndGet());
      spec.put("clusterIP", ip);
      spec.putArray("clusterIPs").add(ip);
    }
    if (!external && !spec.has("ipFamilies")) {
      spec.putArray("ipFamilies").add("IPv4");
    }
    if (!external) {
      putIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
      putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
    }
    boolean nodePorts = type.equals("NodePort") || type.equals("LoadBalancer");
    if (nodePorts || type.equals("ClusterIP") && !spec.path("externalIPs").isEmpty()) { // ExternallyAccessible
      putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer")) {
      putIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
    }
    for (JsonNode p : spec.path("ports")) {
      ObjectNode port = (ObjectNode) p;
      putIfAbsent(port, "protocol", "TCP");
      if (!port.has("targetPort")) {
        port.set("targetPort", port.get("port"));
      }
      if (nodePorts && !port.has("nodePort")) {
        port.put("nodePort", 30000 + allocations.incrementAndGet());
      }
    }
  }

  /** {@code stringData} folded into {@code data} (base64), {@code type} Opaque when absent. */
  private static void secret(ObjectNode secret) {
    putIfAbsent(secret, "type", "Opaque");
    if (secret.remove("stringData") instanceof ObjectNode text) {
      ObjectNode data = secret.with("data");
      for (Map.Entry<String, JsonNode> e : text.properties()) {
        data.put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  /** Sets {@code field} of {@code node} (when there is a node) to {@code value} (a number, boolean or string) unless set. */
  private static void putIfAbsent(ObjectNode node, String field, Object value) {
    if (node != null) {
      node.putIfAbsent(field, JSON.valueToTree(value));
    }
  }
}

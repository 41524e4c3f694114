package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Observed;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The fields the API server keeps as created, judged on the corpus of objects as real servers
 * return them ({@code server-objects/}): no pair as it is changes one (server defaults, generated
 * selectors, allocated cluster IPs, claim template defaults are no change), and each pair edited
 * the way a commit would edit it is refused exactly when a cluster would refuse the update.
 */
class ImmutableFieldsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Consumer<ObjectNode> AS_IS = n -> { };

  @Test
  void noPairOfTheCorpusChangesAFieldTheServerKeeps() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (ServerObjects.Pair pair : ServerObjects.all()) {
      List<String> refused = refused(pair, AS_IS, AS_IS);
      if (!refused.isEmpty()) {
        wrong.add(pair.file() + ": " + refused);
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void aJobsTemplateIsKeptUnlessTheJobIsSuspended() throws Exception {
    ServerObjects.Pair job = pair("52-");
    Consumer<ObjectNode> newImage = m -> container(m, "/spec/template/spec").put("image", "ghcr.io/example/migrate:5.3.0");
    List<String> refused = refused(job, newImage, AS_IS);
    assertEquals(1, refused.size(), refused.toString());
    assertTrue(refused.get(0).contains("Job/shop/migrate: spec.template cannot change"
        + " once the object exists") && refused.get(0).contains("changed: spec.template.spec.containers[0].image")
        && refused.get(0).contains("delete the object"), refused.get(0));
    Consumer<ObjectNode> newEnv = m -> container(m, "/spec/template/spec").putArray("env").addObject()
        .put("name", "MODE").put("value", "fast");
    assertEquals(1, refused(job, newEnv, AS_IS).size());
    assertEquals(List.of(), refused(job, newImage, l -> ((ObjectNode) l.get("spec")).put("suspend", true)),
        "a suspended Job's template may change");
    assertEquals(List.of(), refused(job, m -> ((ObjectNode) m.get("spec")).put("backoffLimit", 2), AS_IS),
        "backoffLimit may change");
    assertEquals(List.of(), refused(job, m -> ((ObjectNode) m.get("spec")).put("ttlSecondsAfterFinished", 60), AS_IS));
    Consumer<ObjectNode> recreate = m -> ((ObjectNode) m.get("metadata")).putObject("annotations")
        .put(Labels.RECREATE, "true");
    assertEquals(List.of(), refused(job, newImage.andThen(recreate), AS_IS), "the writer recreates it");
    assertEquals(1, refused(job, newImage.andThen(recreate),
        l -> ((ObjectNode) l.at("/metadata/labels")).put(Labels.OWNER, "api")).size(),
        "never another owner's object");
  }

  @Test
  void aStatefulSetKeepsItsServiceNameAndClaimTemplatesButScales() throws Exception {
    ServerObjects.Pair sts = pair("41-");
    assertRefused(sts, m -> ((ObjectNode) m.get("spec")).put("serviceName", "db-headless"), "spec.serviceName");
    assertRefused(sts, m -> ((ObjectNode) m.at("/spec/volumeClaimTemplates/0/spec/resources/requests"))
        .put("storage", "20Gi"), "spec.volumeClaimTemplates");
    assertRefused(sts, m -> ((ObjectNode) m.get("spec")).put("podManagementPolicy", "Parallel"),
        "spec.podManagementPolicy");
    assertEquals(List.of(), refused(sts, m -> ((ObjectNode) m.get("spec")).put("replicas", 3), AS_IS));
    assertEquals(List.of(), refused(sts, m -> container(m, "/spec/template/spec").put("image", "postgres:17"), AS_IS));
  }

  @Test
  void aWorkloadsSelectorIsKeptItsTemplateIsNot() throws Exception {
    ServerObjects.Pair deployment = pair("04-");
    String label = deployment.manifest().at("/spec/selector/matchLabels").fieldNames().next();
    assertRefused(deployment, m -> {
      ((ObjectNode) m.at("/spec/selector/matchLabels")).put("tier", "web");
      ((ObjectNode) m.at("/spec/template/metadata/labels")).put("tier", "web");
    }, "spec.selector");
    assertRefused(pair("05-"), m -> {
      ((ObjectNode) m.at("/spec/selector/matchLabels")).put("tier", "x");
      ((ObjectNode) m.at("/spec/template/metadata/labels")).put("tier", "x"); // else the loader refuses it
    }, "spec.selector");
    assertEquals(List.of(), refused(deployment, m -> container(m, "/spec/template/spec").put("image", "nginx:2"), AS_IS));
    assertEquals(List.of(), refused(deployment,
        m -> ((ObjectNode) m.at("/spec/template/metadata/labels")).put("release", "2"), AS_IS));
    assertTrue(!label.isEmpty());
  }

  @Test
  void aServiceKeepsItsAllocatedClusterIp() throws Exception {
    ServerObjects.Pair service = pair("38-");
    String allocated = service.live().at("/spec/clusterIP").asText();
    assertRefused(service, m -> ((ObjectNode) m.get("spec")).put("clusterIP", "None"), "spec.clusterIP");
    assertEquals(List.of(), refused(service, m -> ((ObjectNode) m.get("spec")).put("clusterIP", allocated), AS_IS));
    assertEquals(List.of(), refused(service, m -> ((ObjectNode) m.get("spec")).put("type", "NodePort"), AS_IS));
  }

  @Test
  void aClaimKeepsItsClassAndModesButGrows() throws Exception {
    ServerObjects.Pair pvc = pair("18-");
    assertRefused(pvc, m -> ((ObjectNode) m.get("spec")).put("storageClassName", "fast-ssd"),
        "spec.storageClassName");
    assertRefused(pvc, m -> ((ObjectNode) m.get("spec")).putArray("accessModes").add("ReadWriteMany"),
        "spec.accessModes");
    assertEquals(List.of(), refused(pvc, m -> ((ObjectNode) m.at("/spec/resources/requests")).put("storage", "5Gi"),
        AS_IS));
    Consumer<ObjectNode> toVolume = m -> ((ObjectNode) m.get("spec")).put("volumeName", "pv-0042");
    assertEquals(List.of(), refused(pvc, toVolume, l -> ((ObjectNode) l.get("spec")).remove("volumeName")),
        "an unbound claim may name its volume");
    assertRefused(pvc, toVolume, "spec.volumeName");
  }

  /**
   * A chart's unset class ({@code storageClassName:} null, dropped on load as Go decodes it) is no
   * change beside the class the DefaultStorageClass admission plugin set on create, which gitops
   * never owned; but a class gitops applied and Git now leaves out would be removed by the update,
   * and {@code ValidatePersistentVolumeClaimUpdate} refuses any class once set (even {@code ""}),
   * taking only a first one for a claim created without ({@code validateStorageClassUpgradeFromNil}).
   * The same for a volume Git named (static binding) and then leaves out.
   */
  @Test
  void aClaimsClassOnceSetIsKeptWhenGitLeavesItOutAndMayBeSetWhereThereIsNone() throws Exception {
    ServerObjects.Pair pvc = pair("18-");
    Consumer<ObjectNode> unset = m -> ((ObjectNode) m.get("spec")).putNull("storageClassName");
    assertEquals(List.of(), refused(pvc, unset, AS_IS), "the admission plugin's class, never owned");
    Consumer<ObjectNode> ownedClass = l -> owned(l).with("f:spec").putObject("f:storageClassName");
    List<String> removed = refused(pvc, unset, ownedClass);
    assertEquals(1, removed.size(), removed.toString());
    assertTrue(removed.get(0).contains("PersistentVolumeClaim/shop/web-data: spec.storageClassName cannot change once"
        + " the object exists") && removed.get(0).contains("left out of Git")
        && removed.get(0).contains("write it in Git as it is live"), removed.get(0));
    assertEquals(1, refused(pvc, m -> ((ObjectNode) m.get("spec")).remove("storageClassName"), ownedClass).size());
    Consumer<ObjectNode> none = m -> ((ObjectNode) m.get("spec")).put("storageClassName", ""); // no class: kept
    assertRefused(pvc, none, "spec.storageClassName");
    assertRefused(pvc, none, ownedClass, "spec.storageClassName");
    assertRefused(pvc, m -> ((ObjectNode) m.get("spec")).put("storageClassName", "fast-ssd"),
        l -> ((ObjectNode) l.get("spec")).put("storageClassName", ""), "spec.storageClassName");
    assertEquals(List.of(), refused(pvc, m -> ((ObjectNode) m.get("spec")).put("storageClassName", "fast-ssd"),
        l -> ((ObjectNode) l.get("spec")).remove("storageClassName")), "a first class for a claim created without");
    Consumer<ObjectNode> namedVolume = l -> { // Git named it, so the controller's bind changed nothing of it
      owned(l).with("f:spec").putObject("f:volumeName");
      ((ObjectNode) l.at("/metadata/managedFields/2/fieldsV1/f:spec")).remove("f:volumeName");
    };
    assertRefused(pvc, AS_IS, namedVolume, "spec.volumeName");
    assertEquals(List.of(), refused(pvc, AS_IS, l -> owned(l).with("f:spec").putObject("f:volumeName")),
        "the controller owns it too: left out of Git, it stays");
  }

  @Test
  void dataMarkedImmutableIsKeptOtherDataIsNot() throws Exception {
    ServerObjects.Pair configMap = pair("28-");
    Consumer<ObjectNode> marked = o -> o.put("immutable", true);
    Consumer<ObjectNode> newValue = m -> ((ObjectNode) m.get("data")).put("NEW_KEY", "v");
    assertEquals(List.of(), refused(configMap, newValue, AS_IS));
    List<String> refused = refused(configMap, newValue.andThen(marked), marked);
    assertEquals(1, refused.size(), refused.toString());
    assertTrue(refused.get(0).contains("data cannot change"), refused.get(0));
    ServerObjects.Pair secret = pair("13-");
    assertRefused(secret, m -> m.put("type", "kubernetes.io/basic-auth"), "type");
  }

  @Test
  void aBindingsRoleRefAndAPodsSpecAreKept() throws Exception {
    assertRefused(pair("58-"), m -> ((ObjectNode) m.get("roleRef")).put("name", "admin"), "roleRef");
    ServerObjects.Pair pod = pair("19-");
    assertEquals(List.of(), refused(pod, m -> container(m, "/spec").put("image", "busybox:2"), AS_IS),
        "a Pod's image may change");
    assertRefused(pod, m -> container(m, "/spec").putArray("args").add("--verbose"), "spec");
    assertRefused(pair("59-"), m -> m.put("reclaimPolicy", "Retain".equals(m.path("reclaimPolicy").asText())
        ? "Delete" : "Retain"), "reclaimPolicy");
  }

  /**
   * While the live Pod has scheduling gates, {@code ValidatePodUpdate} takes keys added to its
   * nodeSelector and a node affinity changed as {@code validateNodeAffinityMutation} allows (pair 467,
   * gated); those finer limits are the server's to judge. Ungated (pair 19) both stay kept, and a gated
   * Pod's pod affinity too.
   */
  @Test
  void aGatedPodsNodeSelectorAndNodeAffinityMayChange() throws Exception {
    ServerObjects.Pair gated = pair("467-");
    Consumer<ObjectNode> key = m -> ((ObjectNode) m.at("/spec/nodeSelector")).put("example.com/zone", "a");
    assertEquals(List.of(), refused(gated, key, AS_IS), "a key added to a gated Pod's nodeSelector");
    Consumer<ObjectNode> preferred = m -> ((ObjectNode) m.get("spec")).putObject("affinity").putObject("nodeAffinity")
        .putArray("preferredDuringSchedulingIgnoredDuringExecution").addObject().put("weight", 10)
        .putObject("preference").putArray("matchExpressions").addObject().put("key", "zone").put("operator", "Exists");
    assertEquals(List.of(), refused(gated, preferred, AS_IS), "a node affinity where the gated Pod had none");
    Consumer<ObjectNode> podAffinity = m -> ((ObjectNode) m.get("spec")).putObject("affinity").putObject("podAffinity")
        .putArray("preferredDuringSchedulingIgnoredDuringExecution").addObject().put("weight", 10)
        .putObject("podAffinityTerm").put("topologyKey", "zone");
    assertRefused(gated, podAffinity, "spec");
    Consumer<ObjectNode> ungated = l -> ((ObjectNode) l.get("spec")).remove("schedulingGates");
    assertEquals(1, refused(gated, key, ungated).size(), "once ungated, the nodeSelector is kept");
    ServerObjects.Pair plain = pair("19-");
    assertRefused(plain, preferred, "spec");
  }

  /**
   * {@code ValidatePodUpdate} (core {@code validation.go}) lets an update set a Pod's
   * {@code activeDeadlineSeconds} where it had none and lower it, and refuses raising it ("must be less
   * than or equal to previous value") or removing it ("must not update from a positive integer to nil
   * value"): a value Git applied and then leaves out is removed by the update; one another manager set
   * stays. Pair 19, a bare Pod as the server returns it.
   */
  @Test
  void aPodsActiveDeadlineMaybeSetAndLoweredNotRaisedNorRemoved() throws Exception {
    ServerObjects.Pair pod = pair("19-");
    Consumer<ObjectNode> deadline = m -> spec(m).put("activeDeadlineSeconds", 600);
    Consumer<ObjectNode> applied = deadline.andThen(l -> owned(l).with("f:spec").putObject("f:activeDeadlineSeconds"));
    assertEquals(List.of(), refused(pod, deadline, AS_IS), "set where the Pod had none");
    assertEquals(List.of(), refused(pod, m -> spec(m).put("activeDeadlineSeconds", 300), applied), "lowered");
    assertEquals(List.of(), refused(pod, AS_IS, deadline), "another manager's, which the update leaves alone");
    assertOnly(pod, m -> spec(m).put("activeDeadlineSeconds", 1200), applied, "spec.activeDeadlineSeconds may be"
        + " lowered but not raised nor removed once set: the API server refuses the update (must be less than or equal"
        + " to previous value); give it at most its live value, delete the object");
    assertOnly(pod, AS_IS, applied, "spec.activeDeadlineSeconds may be lowered but not raised nor removed once set:"
        + " the API server refuses the update (left out of Git, which removes it; must not update from a positive"
        + " integer to nil value); write it in Git as it is live, delete the object");
  }

  /**
   * A Pod's {@code terminationGracePeriodSeconds} is kept as created, but for a negative one (stored
   * before 1.27 treated negative values as 1, kubernetes#115606) set to 1, which
   * {@code ValidatePodUpdate} relaxes; 30 is the default a Pod without one gets, no change.
   */
  @Test
  void aPodsGracePeriodIsKeptButANegativeOneMayBecomeOne() throws Exception {
    ServerObjects.Pair pod = pair("19-");
    assertEquals(List.of(), refused(pod, m -> spec(m).put("terminationGracePeriodSeconds", 30), AS_IS), "as live");
    assertRefused(pod, m -> spec(m).put("terminationGracePeriodSeconds", 60), "spec.terminationGracePeriodSeconds");
    Consumer<ObjectNode> negative = l -> spec(l).put("terminationGracePeriodSeconds", -1);
    assertEquals(List.of(), refused(pod, m -> spec(m).put("terminationGracePeriodSeconds", 1), negative),
        "a negative one set to 1");
    assertRefused(pod, m -> spec(m).put("terminationGracePeriodSeconds", 5), negative,
        "spec.terminationGracePeriodSeconds");
  }

  @Test
  void aServiceKeepsItsPrimaryAddressAndFamilyASecondMayCome() throws Exception {
    ServerObjects.Pair service = pair("38-");
    String allocated = service.live().at("/spec/clusterIP").asText();
    Consumer<ObjectNode> dualStack = m -> {
      ObjectNode spec = (ObjectNode) m.get("spec");
      spec.put("ipFamilyPolicy", "PreferDualStack");
      spec.putArray("ipFamilies").add("IPv4").add("IPv6");
      spec.putArray("clusterIPs").add(allocated).add("fd00:10:96::1f");
    };
    assertEquals(List.of(), refused(service, dualStack, AS_IS), "single-stack to dual-stack keeps the first");
    assertRefused(service, m -> ((ObjectNode) m.get("spec")).putArray("clusterIPs").add("10.96.0.99"),
        "spec.clusterIPs[0]");
    assertRefused(service, m -> ((ObjectNode) m.get("spec")).putArray("ipFamilies").add("IPv6"), "spec.ipFamilies[0]");
  }

  @Test
  void aCertificateRequestKeepsItsWholeSpecAndARangeItsFirstCidr() throws Exception {
    ServerObjects.Pair csr = pair("65-");
    assertRefused(csr, m -> ((ObjectNode) m.get("spec")).put("expirationSeconds", 3600), "spec");
    assertRefused(csr, m -> ((ObjectNode) m.get("spec")).putArray("usages").add("client auth").add("digital signature"),
        "spec");
    assertEquals(List.of(), refused(csr, m -> ((ObjectNode) m.get("metadata")).putObject("annotations")
        .put("team", "shop"), AS_IS), "its metadata may change");
    ServerObjects.Pair range = adHoc("""
        apiVersion: networking.k8s.io/v1
        kind: ServiceCIDR
        metadata: {name: extra-range}
        spec: {cidrs: [10.100.0.0/16]}
        """);
    assertEquals(List.of(), refused(range, m -> ((com.fasterxml.jackson.databind.node.ArrayNode) m.at("/spec/cidrs"))
        .add("fd00:10:100::/112"), AS_IS), "a single-stack range may become dual-stack");
    assertRefused(range, m -> ((ObjectNode) m.get("spec")).putArray("cidrs").add("10.200.0.0/16"), "spec.cidrs[0]");
  }

  @Test
  void pointersReadAsFieldNames() {
    assertEquals("spec.template.spec.containers[0].image",
        Pointers.dotted("/spec/template/spec/containers/0/image"));
    assertEquals("metadata.labels.app.kubernetes.io/name", Pointers.dotted("/metadata/labels/app.kubernetes.io~1name"));
    assertEquals("", Pointers.dotted(""));
  }

  private static void assertRefused(ServerObjects.Pair pair, Consumer<ObjectNode> edit, String field) throws Exception {
    assertRefused(pair, edit, AS_IS, field);
  }

  private static void assertRefused(ServerObjects.Pair pair, Consumer<ObjectNode> edit, Consumer<ObjectNode> liveEdit,
                                    String field) throws Exception {
    List<String> refused = refused(pair, edit, liveEdit);
    assertEquals(1, refused.size(), pair.file() + ": " + refused);
    assertTrue(refused.get(0).contains(": " + field + " cannot change once the object exists"),
        pair.file() + ": " + refused.get(0));
  }

  /** The one problem found, which must contain {@code message}. */
  private static void assertOnly(ServerObjects.Pair pair, Consumer<ObjectNode> edit, Consumer<ObjectNode> liveEdit,
                                 String message) throws Exception {
    List<String> refused = refused(pair, edit, liveEdit);
    assertEquals(1, refused.size(), pair.file() + ": " + refused);
    assertTrue(refused.get(0).contains(": " + message), refused.get(0));
  }

  private static ObjectNode spec(ObjectNode object) {
    return (ObjectNode) object.get("spec");
  }

  /** The {@code fieldsV1} of the live object's {@code gitops} Apply entry. */
  private static ObjectNode owned(ObjectNode live) {
    for (var entry : live.at("/metadata/managedFields")) {
      if (entry.path("manager").asText().equals("gitops")) {
        return (ObjectNode) entry.get("fieldsV1");
      }
    }
    throw new AssertionError("no entry of gitops");
  }

  private static ObjectNode container(ObjectNode manifest, String podSpec) {
    return (ObjectNode) ((ArrayNode) manifest.at(podSpec + "/containers")).get(0);
  }

  /** A pair of {@code yaml} as the manifest and, with the ownership labels, as the live object. */
  private static ServerObjects.Pair adHoc(String yaml) throws Exception {
    ObjectNode manifest = (ObjectNode) YAML.readTree(yaml);
    ObjectNode live = manifest.deepCopy();
    ((ObjectNode) live.get("metadata")).putObject("labels").put(Labels.OWNER, "web")
        .put("app.kubernetes.io/managed-by", "gitops");
    return new ServerObjects.Pair("ad hoc", "ad hoc", List.of(), null, null, manifest, live, null,
        ServerObjects.Verdict.IN_SYNC, null, null, null, null, null);
  }

  private static ServerObjects.Pair pair(String prefix) {
    return ServerObjects.all().stream().filter(p -> p.file().startsWith(prefix)).findFirst().orElseThrow();
  }

  /** The problems {@link ImmutableFields#check} finds for the pair's manifest and live object, each edited. */
  private static List<String> refused(ServerObjects.Pair pair, Consumer<ObjectNode> manifestEdit,
                                      Consumer<ObjectNode> liveEdit) throws Exception {
    ObjectNode manifest = pair.manifest().deepCopy();
    manifestEdit.accept(manifest);
    ObjectNode live = pair.live().deepCopy();
    liveEdit.accept(live);
    KubernetesSchema schema = KubernetesSchema.builtin();
    Map<String, Content.Bytes> files = new java.util.TreeMap<>();
    files.put("manifest.yaml", Content.bytes(YAML.writeValueAsBytes(manifest), FileMode.REGULAR));
    if (pair.crd() != null) {
      schema = schema.learn(pair.crd());
      files.put("crd.yaml", Content.bytes(YAML.writeValueAsString(pair.crd()).getBytes(StandardCharsets.UTF_8),
          FileMode.REGULAR));
    }
    Observed observed = KubernetesTarget.observed(live);
    Resource desired = new ManifestLoader().load(Snapshot.of(Revision.of("0".repeat(40)), files))
        .byId().get(observed.id());
    try {
      new ImmutableFields(KubernetesDiff.options(schema))
          .check(DesiredState.of(List.of(desired)), ActualState.of(List.of(observed)), pair.owner());
      return List.of();
    } catch (InvalidDesiredStateException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }
}

package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server-side apply body of a Pod's update ({@link ServerSideWrites#body}) carries, after Git's
 * entries, what the live Pod's atomic values got on create from the RuntimeClass plugin and the Pod
 * strategy ({@link PodAppended}), from corpus pairs 431 and 434 with Git's image bumped; and nothing
 * else: not DefaultTolerationSeconds's tolerations (the plugin appends them to the update itself),
 * not a key or toleration only live has on a Pod without a RuntimeClass, not an expression Git applied
 * and dropped, not on another kind, not on a create.
 */
class PodAppendedTest {
  private static final SchemaSources SCHEMAS = new SchemaSources();
  private static final ServerSideWrites WRITES = new ServerSideWrites(null, null,
      new WriteBodies(List.of(), SCHEMAS, null, false), null, SCHEMAS, false, false);

  private static ServerObjects.Pair pair(String prefix) throws IOException {
    try (var files = java.nio.file.Files.list(ServerObjects.folder())) {
      return ServerObjects.read(files.filter(f -> f.getFileName().toString().startsWith(prefix + "-")).findFirst()
          .orElseThrow());
    }
  }

  /** The apply body of {@code manifest}, its first container's image bumped, onto {@code live} (null: a create). */
  private static ObjectNode body(ObjectNode manifest, JsonNode live) {
    ObjectNode git = manifest.deepCopy();
    ((ObjectNode) git.at("/spec/containers/0")).put("image", "ghcr.io/example/bumped:9.9.9");
    JsonNode meta = git.path("metadata");
    ResourceId id = new ResourceId("", git.path("kind").asText(), meta.path("namespace").asText(),
        meta.path("name").asText());
    return WRITES.body(id, Resource.of(id, new Content.Tree(git)), "web", live);
  }

  private static JsonNode yaml(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .readTree(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theRuntimeClassesKeyAndTolerationFollowGitsAndDefaultTolerationSecondssAreLeftToItsPlugin() throws IOException {
    ServerObjects.Pair p = pair("431");
    ObjectNode body = body(p.manifest(), p.live());
    assertEquals(yaml("""
        - {key: dedicated, operator: Equal, value: batch, effect: NoSchedule}
        - {effect: NoSchedule, key: runtime, operator: Equal, value: gvisor}
        """), body.at("/spec/tolerations"));
    assertEquals(yaml("{disktype: ssd, runtime: gvisor}"), body.at("/spec/nodeSelector"));
    assertEquals("ghcr.io/example/bumped:9.9.9", body.at("/spec/containers/0/image").asText());
  }

  @Test
  void theStrategysExpressionsFollowInEveryTermAndSpreadConstraint() throws IOException {
    ServerObjects.Pair p = pair("434");
    ObjectNode body = body(p.manifest(), p.live());
    JsonNode expressions = yaml("[{key: tier, operator: In, values: [backend]}]");
    assertEquals(expressions, body.at("/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0"
        + "/labelSelector/matchExpressions"), body.toString());
    assertEquals(expressions, body.at("/spec/topologySpreadConstraints/0/labelSelector/matchExpressions"));
    assertEquals(yaml("{app: cache}"), body.at("/spec/topologySpreadConstraints/0/labelSelector/matchLabels"));
  }

  @Test
  void withoutARuntimeClassALiveOnlyKeyAndTolerationAreNotKept() throws IOException {
    ServerObjects.Pair p = pair("431");
    ObjectNode manifest = p.manifest().deepCopy();
    ((ObjectNode) manifest.get("spec")).remove("runtimeClassName");
    ObjectNode live = p.live().deepCopy();
    ((ObjectNode) live.get("spec")).remove("runtimeClassName");
    ObjectNode body = body(manifest, live);
    assertEquals(p.manifest().at("/spec/tolerations"), body.at("/spec/tolerations"));
    assertEquals(p.manifest().at("/spec/nodeSelector"), body.at("/spec/nodeSelector"));
  }

  @Test
  void aCreateAndAnotherKindGoAsGitHasThem() throws IOException {
    ServerObjects.Pair p = pair("431");
    assertEquals(p.manifest().at("/spec/tolerations"), body(p.manifest(), null).at("/spec/tolerations"));
    ObjectNode template = yaml("{apiVersion: apps/v1, kind: Deployment, metadata: {name: sandboxed, namespace: shop},"
        + " spec: {selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}}}}").deepCopy();
    ObjectNode git = template.deepCopy();
    ((ObjectNode) git.at("/spec/template")).set("spec", p.manifest().get("spec").deepCopy());
    ObjectNode live = template.deepCopy();
    ((ObjectNode) live.at("/spec/template")).set("spec", p.live().get("spec").deepCopy());
    ObjectNode body = WRITES.body(new ResourceId("apps", "Deployment", "shop", "sandboxed"),
        Resource.of(new ResourceId("apps", "Deployment", "shop", "sandboxed"), new Content.Tree(git)), "web", live);
    assertEquals(p.manifest().at("/spec/tolerations"), body.at("/spec/template/spec/tolerations"));
    assertEquals(p.manifest().at("/spec/nodeSelector"), body.at("/spec/template/spec/nodeSelector"));
  }

  @Test
  void anExpressionGitAppliedIsGitsToKeepOrDrop() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: runner, namespace: shop, labels: {app: runner, tier: batch}}
        spec:
          containers: [{name: runner, image: runner:1.0}]
        """ + PodAdmissionTest.affinity("%s", "matchLabelKeys: [tier]");
    String selector = "/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm"
        + "/labelSelector";
    JsonNode live = yaml(pod.formatted(", matchExpressions: [{key: track, operator: In, values: [stable]},"
        + " {key: tier, operator: In, values: [batch]}]"));
    assertEquals(yaml("{matchLabels: {app: runner}}"), body((ObjectNode) yaml(pod.formatted("")), live).at(selector),
        "Git dropped track: the list is no longer the strategy's alone, the plan shows its removal");
    ObjectNode kept = body((ObjectNode) yaml(pod.formatted(", matchExpressions: [{key: track, operator: In,"
        + " values: [stable]}]")), live);
    assertEquals(live.at(selector + "/matchExpressions"), kept.at(selector + "/matchExpressions"));
  }

  @Test
  void theResizePoliciesA132ServerDefaultedFollowGitsInEachContainer() throws IOException {
    ServerObjects.Pair p = pair("131");
    ObjectNode body = body(p.manifest(), p.live());
    assertEquals(p.live().at("/spec/containers/0/resizePolicy"), body.at("/spec/containers/0/resizePolicy"),
        "memory as Git gives it, then the defaulted cpu: " + body);
    assertEquals(yaml("[{resourceName: cpu, restartPolicy: NotRequired}]"), body.at("/spec/containers/1/resizePolicy"));
  }

  @Test
  void aPolicyGitGivesOrAnotherRestartPolicyIsGitsToKeepOrDrop() throws IOException {
    ServerObjects.Pair p = pair("131");
    ObjectNode live = p.live().deepCopy();
    ((ObjectNode) live.at("/spec/containers/0/resizePolicy/1")).put("restartPolicy", "RestartContainer");
    ObjectNode manifest = p.manifest().deepCopy();
    ((ObjectNode) manifest.at("/spec/containers/1")).remove("resources");
    ObjectNode body = body(manifest, live);
    assertEquals(p.manifest().at("/spec/containers/0/resizePolicy"), body.at("/spec/containers/0/resizePolicy"),
        "a RestartContainer policy no defaulting appends");
    assertEquals(yaml("[]"), body.at("/spec/containers/1/resizePolicy"), "cpu is no longer requested");
  }

  @Test
  void aWholeListOfNotRequiredPoliciesGitLeftOutIsCarriedOnlyWhereGitopsOwnsIt() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: batch
          namespace: shop
          managedFields:
          - manager: gitops
            operation: Apply
            fieldsV1: {f:spec: {f:containers: {'k:{"name":"app"}': {.: {}, f:name: {}, f:image: {}%s}}}}
        spec:
          containers:
          - name: app
            image: "app:1.0"
            resources: {requests: {cpu: 250m, memory: 256Mi}}
        %s""";
    String policies = "    resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired},"
        + " {resourceName: memory, restartPolicy: NotRequired}]\n";
    ObjectNode git = (ObjectNode) yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: batch, namespace: shop}
        spec:
          containers: [{name: app, image: "app:1.0", resources: {requests: {cpu: 250m, memory: 256Mi}}}]
        """);
    String owned = ", f:resources: {f:requests: {f:cpu: {}, f:memory: {}}}, f:resizePolicy: {}";
    assertEquals(yaml(policies.strip().substring("resizePolicy: ".length())),
        body(git, yaml(pod.formatted(owned, policies))).at("/spec/containers/0/resizePolicy"),
        "applied and left out: the apply would remove it, which the server refuses");
    assertTrue(body(git, yaml(pod.formatted("", policies))).at("/spec/containers/0/resizePolicy").isMissingNode(),
        "defaulted by a 1.32 server, never applied: the apply leaves it where it is");
    String restart = policies.replace("memory, restartPolicy: NotRequired", "memory, restartPolicy: RestartContainer");
    assertTrue(body(git, yaml(pod.formatted(owned, restart))).at("/spec/containers/0/resizePolicy").isMissingNode(),
        "a RestartContainer policy is no default: Git's to drop (the plan shows the removal)");
  }

  /**
   * A Pod whose {@code spec.tolerations} are {@code tolerations}, the list owned by the Update entry of
   * {@code kueue} alone (an Update that changed an atomic list takes it from {@code gitops}), as the
   * server returns it with DefaultTolerationSeconds' two.
   */
  private static JsonNode tolerating(String first) {
    return yaml("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: batch
          namespace: shop
          managedFields:
          - manager: gitops
            operation: Apply
            fieldsV1: {f:spec: {f:containers: {'k:{"name":"app"}': {.: {}, f:name: {}, f:image: {}}}}}
          - manager: kueue
            operation: Update
            fieldsV1: {f:spec: {f:tolerations: {}}}
        spec:
          containers: [{name: app, image: "app:1.0"}]
          tolerations:
          - %s
          - {effect: NoExecute, key: node.kubernetes.io/not-ready, operator: Exists, tolerationSeconds: 300}
          - {effect: NoExecute, key: node.kubernetes.io/unreachable, operator: Exists, tolerationSeconds: 300}
        """.formatted(first));
  }

  private static ObjectNode tolerant(String toleration) {
    return (ObjectNode) yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: batch, namespace: shop}
        spec:
          containers: [{name: app, image: "app:1.0"}]
          tolerations: [%s]
        """.formatted(toleration));
  }

  @Test
  void theSecondsAControllerSetOnAGitTolerationWithoutThemStayOnItNotOnACopy() {
    String controllers = "{effect: NoExecute, key: example.com/maintenance, operator: Exists, tolerationSeconds: 60}";
    JsonNode live = tolerating(controllers);
    JsonNode body = body(tolerant("{key: example.com/maintenance, operator: Exists, effect: NoExecute}"), live);
    assertEquals(live.at("/spec/tolerations"), body.at("/spec/tolerations"), "the stored list, as kueue left it");
  }

  @Test
  void theSecondsGitGivesReplaceTheControllersWithoutACopyOfTheOld() {
    JsonNode live = tolerating("{effect: NoExecute, key: example.com/maintenance, operator: Exists, tolerationSeconds: 60}");
    String gits = "{key: example.com/maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 3600}";
    JsonNode body = body(tolerant(gits), live);
    assertEquals(yaml("[" + gits + "]").get(0), body.at("/spec/tolerations/0"), body.toString());
    assertEquals(List.of("example.com/maintenance", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"),
        keys(body.at("/spec/tolerations")), "Git's seconds, no second toleration with the controller's");
  }

  private static List<String> keys(JsonNode tolerations) {
    List<String> out = new java.util.ArrayList<>();
    tolerations.forEach(t -> out.add(t.path("key").asText()));
    return out;
  }

  /**
   * A gated Pod {@code batch} with nodeSelector {@code selector}, whose {@code gitops} Apply entry owns
   * the nodeSelector when {@code ours} and whose Update entry of {@code manager} (none: null) owns it.
   */
  private static JsonNode gated(String selector, boolean ours, String manager) {
    String entry = manager == null ? "" : "\n  - {manager: %s, operation: Update, fieldsV1: {f:spec: {f:nodeSelector: {}}}}"
        .formatted(manager);
    return yaml("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: batch
          namespace: shop
          managedFields:
          - manager: gitops
            operation: Apply
            fieldsV1: {f:spec: {f:containers: {'k:{"name":"app"}': {.: {}, f:name: {}, f:image: {}}}%s}}%s
        spec:
          schedulingGates: [{name: example.com/quota}]
          nodeSelector: %s
          containers: [{name: app, image: "app:1.0"}]
        """.formatted(ours ? ", f:nodeSelector: {}" : "", entry, selector));
  }

  @Test
  void theKeysAControllerAddedToAGatedPodsNodeSelectorFollowGitsWhileItOwnsTheMap() {
    ObjectNode git = (ObjectNode) yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: batch, namespace: shop}
        spec:
          schedulingGates: [{name: example.com/quota}]
          nodeSelector: {disktype: ssd}
          containers: [{name: app, image: "app:1.0"}]
        """);
    String live = "{disktype: ssd, example.com/pool: spot}";
    assertEquals(yaml(live), body(git, gated(live, false, "kueue")).at("/spec/nodeSelector"), "kueue took the map");
    assertEquals(yaml(live), body(git, gated(live, true, "kueue")).at("/spec/nodeSelector"), "shared since");
    assertEquals(yaml("{disktype: ssd}"), body(git, gated(live, true, null)).at("/spec/nodeSelector"),
        "gitops alone owns the map: a key only live has is Git's to drop (the plan shows the removal)");
  }

  @Test
  void theExpressionsAControllerAppendedToARequiredNodeAffinityTermItOwnsFollowGits() {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: batch
          namespace: shop%s
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                - matchExpressions:
                  - {key: disktype, operator: In, values: [ssd]}%s
          containers: [{name: app, image: "app:1.0"}]
        """;
    String owned = "f:affinity: {f:nodeAffinity: {f:requiredDuringSchedulingIgnoredDuringExecution: {}}}";
    String entries = "\n  managedFields:\n  - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {" + owned + "}}}"
        + "\n  - {manager: arch-placer, operation: Update, fieldsV1: {f:spec: {" + owned + "}}}";
    String arch = "\n          - {key: kubernetes.io/arch, operator: In, values: [arm64]}";
    JsonNode live = yaml(pod.formatted(entries, arch));
    String terms = "/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms";
    assertEquals(live.at(terms), body((ObjectNode) yaml(pod.formatted("", "")), live).at(terms));
    JsonNode ours = yaml(pod.formatted(entries.substring(0, entries.lastIndexOf("\n")), arch));
    assertEquals(yaml("[{matchExpressions: [{key: disktype, operator: In, values: [ssd]}]}]"),
        body((ObjectNode) yaml(pod.formatted("", "")), ours).at(terms), "gitops alone owns it: Git's to drop");
  }
}


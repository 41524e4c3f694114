package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.source.LoaderContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ManifestLoaderTest {
  private final ManifestLoader loader = new ManifestLoader();

  @Test
  void multiDocumentFileWithLeadingAndTrailingSeparatorsAndCommentOnlyDocuments() {
    DesiredState d = loader.load(LoaderContract.snapshot("app.yaml", """
        ---
        # leading comment
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: a
        ---
        # only a comment
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          selector: {matchLabels: {app: web}}
          template: {metadata: {labels: {app: web}}}
        ---
        """, "empty.yaml", "", "comments.yml", "# nothing here\n"));
    assertEquals(2, d.size());
    Resource a = d.get(ResourceId.of("ConfigMap", "default", "a"));
    assertEquals(3, a.origin().line());
    assertEquals("app.yaml", a.origin().file());
    assertEquals("default", ((Content.Tree) a.content()).node().path("metadata").path("namespace").asText());
    assertEquals(10, d.get(new ResourceId("apps", "Deployment", "shop", "web")).origin().line());
  }

  @Test
  void clusterScopedKindsGetNoNamespaceAndCustomKindsFollowTheirCrdScope() {
    DesiredState d = ManifestLoader.withDefaultNamespace("team").load(LoaderContract.snapshot("all.yaml", """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team, namespace: ignored}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          scope: Cluster
          names: {kind: Widget, plural: widgets}
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w}
        ---
        apiVersion: example.com/v1
        kind: Gadget
        metadata: {name: g}
        """));
    assertTrue(d.contains(ResourceId.of("Namespace", "", "team")));
    assertTrue(d.contains(new ResourceId("example.com", "Widget", "", "w")));
    assertTrue(d.contains(new ResourceId("example.com", "Gadget", "team", "g")), "unknown kinds are namespaced");
  }

  @Test
  void listDocumentsExpandIntoTheirItemsEachAtItsLine() {
    DesiredState d = loader.load(LoaderContract.snapshot("list.yaml", """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: one}
        - apiVersion: v1
          kind: Secret
          metadata: {name: two}
        """, "typed.json", """
        {"apiVersion": "v1", "kind": "ConfigMapList", "items": [
          {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "three"}}]}
        """, "empty.yaml", """
        apiVersion: v1
        kind: List
        items:
        ---
        apiVersion: v1
        kind: SecretList
        items: null
        """));
    assertEquals(3, d.size(), "a list whose items are null is empty, as kubectl reads it");
    assertEquals(7, d.get(ResourceId.of("Secret", "default", "two")).origin().line());
    assertEquals(2, d.get(ResourceId.of("ConfigMap", "default", "three")).origin().line());
  }

  @Test
  void metadataOnlyTheServerSetsIsDroppedFromACopyOfALiveObject() {
    DesiredState d = loader.load(LoaderContract.snapshot("dump.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: copied
          resourceVersion: "48211"
          uid: 0a1b2c3d
          generation: 3
          creationTimestamp: null
          managedFields: [{manager: kubectl, operation: Update}]
          labels: {app: web}
        data: {MODE: fast}
        """));
    JsonNode metadata = ((Content.Tree) d.get(ResourceId.of("ConfigMap", "default", "copied")).content())
        .node().get("metadata");
    assertEquals(List.of("name", "labels", "namespace"), iterableToList(metadata.fieldNames()));
  }

  private static List<String> iterableToList(java.util.Iterator<String> names) {
    List<String> out = new java.util.ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }

  @Test
  void aProblemOfAListItemsFieldNamesThatFieldsLine() {
    List<String> problems = problems("list.yaml", """
        # two items
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: one}
          data:
            PORT: 8080
        - apiVersion: apps/v1
          kind: Deployment
          metadata: {name: two}
          spec:
            replicas: "2"
            selector: {matchLabels: {app: two}}
            template: {metadata: {labels: {app: two}}}
        """);
    assertEquals(List.of(
        "list.yaml:9: ConfigMap/default/one: data.PORT: a number where the API server takes a string: quote it",
        "list.yaml:14: apps/Deployment/default/two: spec.replicas: text where the API server takes a number:"
            + " unquote it"), problems);
  }

  @Test
  void aFileOverTheCharacterLimitInAnyEncodingIsRefusedUnread() {
    // 300 MiB held by reference, as a Git source or a directory hands over a large file: at four bytes a
    // character at most it holds more than YamlReader.MAX_CODE_POINTS, so it is refused by its size alone.
    long size = 300L << 20;
    Content.Bytes big = Content.bytes(size, "sha256:" + "0".repeat(64), dev.gitops.model.FileMode.REGULAR, () -> {
      throw new AssertionError("a file over the limit was opened");
    });
    Map<String, Content.Bytes> files = new TreeMap<>();
    files.put("big.yaml", big);
    files.put("ok.yaml", Content.bytes("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8), dev.gitops.model.FileMode.REGULAR));
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class, () -> loader.load(
        dev.gitops.model.Snapshot.of(dev.gitops.model.Revision.of("0123456789abcdef0123456789abcdef01234567"), files)));
    assertEquals(1, e.problems().size(), e.getMessage());
    Problem p = e.problems().get(0);
    assertEquals("big.yaml", p.file());
    assertTrue(p.message().startsWith(size + " bytes, more than 67108864 characters (YamlReader.MAX_CODE_POINTS"),
        p.message());
  }

  @Test
  void everyProblemIsReportedOnceWithFileAndLine() {
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> loader.load(LoaderContract.snapshot("a.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: dup
            data:
              key: 1
              key: 2
            """, "b.yaml", """
            kind: ConfigMap
            metadata: {name: x}
            ---
            apiVersion: v1
            metadata: {name: y}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {labels: {a: b}}
            ---
            - just
            - a list
            """, "c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c\n")));
    List<String> problems = e.problems().stream().map(Problem::toString).toList();
    assertTrue(problems.contains("a.yaml:7: duplicate mapping key 'key' (first at line 6)"), problems.toString());
    assertTrue(problems.contains("b.yaml:1: missing apiVersion"), problems.toString());
    assertTrue(problems.contains("b.yaml:4: missing kind"), problems.toString());
    assertTrue(problems.contains("b.yaml:7: missing metadata.name in ConfigMap"), problems.toString());
    assertTrue(problems.contains("b.yaml:11: document is not a mapping (found array)"), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("c.yaml:") && p.contains("invalid YAML")),
        problems.toString());
    assertEquals(6, problems.size(), problems.toString());
  }

  @Test
  void aliasesAndMergeKeysReachTheResourceAsYamlDefinesThem() {
    DesiredState d = loader.load(LoaderContract.snapshot("app.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cfg
        data:
          first: &val hello
          second: *val
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: &labels {app: web, tier: front}
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels:
                <<: *labels
                tier: back
        """));
    JsonNode data = ((Content.Tree) d.get(ResourceId.of("ConfigMap", "default", "cfg")).content()).node()
        .path("data");
    assertEquals("hello", data.path("second").asText(), "an alias is its anchor's value, not its name");
    JsonNode spec = ((Content.Tree) d.get(new ResourceId("apps", "Deployment", "default", "web"))
        .content()).node().path("spec");
    assertEquals("{\"app\":\"web\",\"tier\":\"front\"}", d.get(new ResourceId("apps", "Deployment", "default", "web"))
        .content() instanceof Content.Tree t ? t.node().at("/metadata/labels").toString() : "", "an anchor on a mapping");
    assertEquals("{\"app\":\"web\",\"tier\":\"back\"}", spec.at("/template/metadata/labels").toString(),
        "'<<' merges, and the mapping's own key wins");
  }

  @Test
  void anUndefinedAliasOrAnAliasBombIsAProblemWithFileAndLine() {
    StringBuilder bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
        + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
    }
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> loader.load(LoaderContract.snapshot("a.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
            data: {key: *missing}
            """, "bomb.yaml", bomb.toString())));
    List<String> problems = e.problems().stream().map(Problem::toString).toList();
    assertEquals("a.yaml:4: undefined alias *missing (no anchor &missing before it in this document)",
        problems.get(0));
    assertTrue(problems.get(1).startsWith("bomb.yaml:8: aliases expand to more than 100000 nodes"),
        problems.toString());
  }

  @Test
  void aKindInventoryCopiedFromAClusterIsAProblemNotADesiredObject() {
    List<String> problems = problems("dump.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web
              labels: {gitops.dev/owner: web, app.kubernetes.io/managed-by: gitops}
              annotations: {gitops.dev/applied: H4sIAAAAAAAA}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: gitops-kinds-web
              labels: {gitops.dev/kinds-of: web, app.kubernetes.io/managed-by: gitops}
            data: {kinds: /ConfigMap}
            """);
    assertEquals(List.of("dump.yaml:8: ConfigMap/default/gitops-kinds-web: carries the label gitops.dev/kinds-of"
        + " of the kind inventories gitops keeps for itself (copied from a cluster?): it is not a desired object;"
        + " remove it from the source"), problems,
        "the owned object copied beside it is no problem: its labels are gitops' to set again");
  }

  @Test
  void anAbsurdQuantityIsAProblemWithFileAndTheFieldsLineNotAnOutOfMemoryErrorLater() {
    List<String> problems = problems("pod.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: fine}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: c
                resources:
                  limits: {cpu: "1e999999999", memory: 1e999}
                  requests: {cpu: "1e-999999999", memory: "128Mi"}
            """);
    assertEquals(List.of(
        "pod.yaml:12: Pod/default/p: spec.containers[0].resources.limits.cpu: quantity \"1e999999999\" is out"
            + " of range (Kubernetes holds at most 2^63-1)",
        // a plain 1e999 is beyond float64, so kubectl (go-yaml) sends it as the text "1e999"
        "pod.yaml:12: Pod/default/p: spec.containers[0].resources.limits.memory: quantity \"1e999\" is out of"
            + " range (Kubernetes holds at most 2^63-1)",
        "pod.yaml:13: Pod/default/p: spec.containers[0].resources.requests.cpu: quantity \"1e-999999999\" is"
            + " out of range (Kubernetes holds at most 2^63-1)"), problems);
  }

  @Test
  void aNameKubernetesWouldRefuseIsAProblemWithFileAndLineAndPrintedEscaped() {
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> loader.load(LoaderContract.snapshot("names.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: "a/b"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: "x\\e[2Jy"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: ok, namespace: "Bad_NS"}
            ---
            apiVersion: v1
            kind: "Config\\nMap"
            metadata: {name: ok}
            """)));
    List<String> problems = e.problems().stream().map(Problem::toString).toList();
    assertEquals(List.of(
        "names.yaml:1: metadata.name \"a/b\" may not contain '/' or '%' (a Kubernetes name is one path segment)",
        "names.yaml:5: metadata.name \"x\\x1b[2Jy\" may hold only printable ASCII characters",
        "names.yaml:9: metadata.namespace \"Bad_NS\" is not a valid namespace (at most 63 lowercase letters,"
            + " digits and '-', starting and ending with a letter or digit)",
        "names.yaml:13: kind \"Config\\nMap\" is not a kind (a letter, then letters and digits)"), problems);
  }

  @Test
  void duplicateIdsAcrossFilesNameBothOrigins() {
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> loader.load(LoaderContract.snapshot(
            "one.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\n",
            "two.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\n")));
    assertTrue(e.getMessage().contains("one.yaml:1"), e.getMessage());
    assertTrue(e.getMessage().contains("two.yaml:1"), e.getMessage());
  }

  @Test
  void bareEqualsSignIsTheString() {
    DesiredState d = loader.load(LoaderContract.snapshot("crd.yaml", """
        apiVersion: example.com/v1
        kind: Operators
        metadata: {name: ops}
        spec:
          ops:
          - =
          - "!="
        """));
    var ops = ((Content.Tree) d.resources().iterator().next().content()).node().path("spec").path("ops");
    assertEquals("=", ops.get(0).asText());
    assertTrue(ops.get(0).isTextual());
  }

  @Test
  void clientSideToolConfigurationIsSkipped() {
    DesiredState d = loader.load(LoaderContract.snapshot("kustomization.yaml", """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [a.yaml]
        """, "kapp.yml", "apiVersion: kapp.k14s.io/v1alpha1\nkind: Config\nrebaseRules: []\n",
        "README.md", "not a manifest: [", "labels.yaml", "apiVersion: builtin\nkind: LabelTransformer\n"
            + "metadata: {name: l}\n"));
    assertTrue(d.isEmpty());
  }

  @Test
  void kustomizationFilesWithoutApiVersionAreSkipped() {
    DesiredState d = loader.load(LoaderContract.snapshot("base/kustomization.yaml", "resources:\n- deploy.yaml\n",
        "overlay/kustomization.yml", "namePrefix: a-\nresources: [../base]\n",
        "base/deploy.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"));
    assertEquals(1, d.size(), d.toString());
  }

  @Test
  void helmTemplateIsNamedAsOneProblemInsteadOfAParserInternal() {
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> loader.load(LoaderContract.snapshot("templates/deploy.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ include "web.fullname" . }}
              labels:
                {{- include "web.labels" . | nindent 4 }}
            """)));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals("templates/deploy.yaml", e.problems().get(0).file());
    assertEquals(4, e.problems().get(0).line());
    assertTrue(e.problems().get(0).message().startsWith("looks like a Helm template"), e.getMessage());
    assertTrue(e.problems().get(0).message().contains("CommandRenderer"), e.getMessage());
  }

  @Test
  void manyLargeFilesLoadAsEachFileAloneDoes() {
    List<String> files = new ArrayList<>();
    for (int i = 0; i < 40; i++) { // sizes out of name order, 900 KiB in all: parsed on every core
      int kib = i % 7 == 3 ? 150 - i : 2 + i % 5;
      files.add("m/" + (char) ('a' + i % 26) + i + ".yaml");
      files.add("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c" + i + "\ndata:\n  k: "
          + "x".repeat(kib * 1024) + "\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s" + i + "}\n");
    }
    DesiredState all = loader.load(LoaderContract.snapshot(files.toArray(String[]::new)));
    Map<ResourceId, Resource> alone = new TreeMap<>();
    for (int i = 0; i < files.size(); i += 2) {
      new ManifestLoader().load(LoaderContract.snapshot(files.get(i), files.get(i + 1))).resources()
          .forEach(r -> alone.put(r.id(), r));
    }
    assertEquals(80, all.size());
    assertEquals(alone, all.byId());
    for (Resource r : all.resources()) { // Resource.equals leaves the origin out
      assertEquals(alone.get(r.id()).origin(), r.origin(), r.id().toString());
    }

    files.add("m/zz-broken.yaml");
    files.add("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> new ManifestLoader().load(LoaderContract.snapshot(files.toArray(String[]::new))));
    InvalidDesiredStateException one = assertThrows(InvalidDesiredStateException.class,
        () -> new ManifestLoader().load(LoaderContract.snapshot("m/zz-broken.yaml", files.get(files.size() - 1))));
    assertEquals(one.problems(), e.problems());
  }

  /** What loading {@code yaml} as {@code file} reports, one problem a line as printed. */
  @Test
  void whatTheServerCannotDecodeAsTextIsAProblemAtItsLineNamingNoValue() {
    List<String> problems = problems("app.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web
          annotations: {prometheus.io/scrape: true, prometheus.io/port: 9090}
        data: {PORT: 8080, FLAGS: [a], MODE: "fast", EXTRA: null}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: db}
        data: {password: hunter 22, token: "aHVudGVyMg", key: "aHVu\\ndGVy"}
        stringData: {pin: 1234}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: "2"
          template:
            spec:
              hostNetwork: "false"
              containers:
              - name: web
                image: nginx
                args: [--port, 8080]
                env: [{name: PORT, value: 8080}, {name: DEBUG, value: false}, {name: MODE, value: "1"}]
                ports: [{containerPort: 80, name: http}, {containerPort: 81, hostPort: "8081"}]
                volumeMounts: {name: data, mountPath: /data}
                command: --verbose
                resources: {limits: {cpu: 1}}
            metadata: {labels: {app: web}}
          selector: {matchLabels: {app: web}}
        """);
    assertEquals(List.of(
        "app.yaml:5: ConfigMap/default/web: metadata.annotations.prometheus.io/port: a number where the API"
            + " server takes a string: quote it",
        "app.yaml:5: ConfigMap/default/web: metadata.annotations.prometheus.io/scrape: a boolean where the"
            + " API server takes a string: quote it",
        "app.yaml:6: ConfigMap/default/web: data.FLAGS: a list where the API server takes a string",
        "app.yaml:6: ConfigMap/default/web: data.PORT: a number where the API server takes a string: quote it",
        "app.yaml:11: Secret/default/db: data.password: not base64 (padded), as the API server takes bytes"
            + " here; plain text goes under stringData",
        "app.yaml:11: Secret/default/db: data.token: not base64 (padded), as the API server takes bytes"
            + " here; plain text goes under stringData",
        "app.yaml:12: Secret/default/db: stringData.pin: a number where the API server takes a string: quote it",
        "app.yaml:18: apps/Deployment/default/web: spec.replicas: text where the API server takes a number:"
            + " unquote it",
        "app.yaml:21: apps/Deployment/default/web: spec.template.spec.hostNetwork: text where the API server"
            + " takes true or false: unquote it",
        "app.yaml:25: apps/Deployment/default/web: spec.template.spec.containers[0].args[1]: a number where"
            + " the API server takes a string: quote it",
        "app.yaml:26: apps/Deployment/default/web: spec.template.spec.containers[0].env[0].value: a number"
            + " where the API server takes a string: quote it",
        "app.yaml:26: apps/Deployment/default/web: spec.template.spec.containers[0].env[1].value: a boolean"
            + " where the API server takes a string: quote it",
        "app.yaml:27: apps/Deployment/default/web: spec.template.spec.containers[0].ports[1].hostPort: text"
            + " where the API server takes a number: unquote it",
        "app.yaml:28: apps/Deployment/default/web: spec.template.spec.containers[0].volumeMounts: a mapping"
            + " where the API server takes a list",
        "app.yaml:29: apps/Deployment/default/web: spec.template.spec.containers[0].command: text where the"
            + " API server takes a list"),
        problems, "key's base64 with a line break is what Go decodes");
    assertTrue(problems.stream().noneMatch(p -> p.contains("hunter") || p.contains("1234")), "no value shown");
  }

  @Test
  void aNullValueOfABuiltInMapOfStringsIsTheEmptyStringTheServerStores() {
    DesiredState d = loader.load(LoaderContract.snapshot("app.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web
          labels:
            tier:
        data:
          EXTRA:
          MODE: fast
        ---
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          labels:
        spec:
          selector:
          ports: [{port: 80}]
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: w
          labels:
          annotations: {note: }
        spec:
          data:
            EXTRA:
        """));
    var trees = d.resources().stream().map(r -> ((Content.Tree) r.content()).node()).toList();
    assertEquals("{\"EXTRA\":\"\",\"MODE\":\"fast\"}", trees.get(0).path("data").toString());
    assertEquals("{\"tier\":\"\"}", trees.get(0).path("metadata").path("labels").toString());
    assertEquals("{\"name\":\"web\",\"namespace\":\"default\"}", trees.get(1).path("metadata").toString(),
        "a null field of a built-in type is absent, as Go decodes it");
    assertEquals("{\"ports\":[{\"port\":80}]}", trees.get(1).path("spec").toString());
    assertEquals("{\"name\":\"w\",\"annotations\":{\"note\":\"\"},\"namespace\":\"default\"}",
        trees.get(2).path("metadata").toString(), "a custom resource's metadata is ObjectMeta too");
    assertEquals("{\"note\":\"\"}", trees.get(2).path("metadata").path("annotations").toString(),
        "a custom resource's metadata is ObjectMeta too");
    assertTrue(trees.get(2).path("spec").path("data").path("EXTRA").isNull(),
        "a custom resource's server drops its nulls, as the diff does: kept as written");
  }

  @Test
  void plainYamlElevenWordsReadAsKubectlReadsThemOrAreRefusedWhereItWouldChangeThem() {
    // go-yaml v2 (sigs.k8s.io/yaml, so kubectl) reads y, on, off as booleans: in a string field the
    // server refuses them, and a key would be sent as "true" or "false"
    assertEquals(List.of("a.yaml:7: ConfigMap/default/c: data.enabled: a boolean where the API server takes a"
        + " string: quote it"), problems("a.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: c
        data:
          mode: "y"
          enabled: y
        """));
    assertEquals(List.of("b.yaml:6: the plain key 'on' is the boolean true in YAML 1.1, which kubectl reads, and"
        + " would be sent as \"true\": quote it ('on') to keep it as written, or write true"), problems("b.yaml", """
        apiVersion: example.com/v1
        kind: Alarm
        metadata:
          name: a
        spec:
          on: {hour: 7}
          enabled: y
        """));
    JsonNode spec = ((Content.Tree) loader.load(LoaderContract.snapshot("c.yaml", """
        apiVersion: example.com/v1
        kind: Alarm
        metadata: {name: a}
        spec: {"on": {hour: 7}, enabled: y, "y": 2}
        """)).resources().iterator().next().content()).node().path("spec");
    assertEquals(true, spec.path("enabled").booleanValue(), "a custom resource's plain y is true, as kubectl sends it");
    assertEquals(7, spec.path("on").path("hour").asInt());
    assertEquals(2, spec.path("y").asInt());
  }

  private List<String> problems(String file, String yaml) {
    return assertThrows(InvalidDesiredStateException.class, () -> loader.load(LoaderContract.snapshot(file, yaml)))
        .problems().stream().map(Problem::toString).toList();
  }
}

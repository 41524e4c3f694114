package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link DuplicateKeys}: keyed lists and sets that a server-side apply is refused for, by the
 * built-in schema and by a CRD's, and none of the real-world fixtures' lists.
 */
class DuplicateKeysTest {
  private static final String ROUTES = Fixtures.crd("example.com", "Route", "routes", """
      spec:
        type: object
        properties:
          hosts: {type: array, items: {type: string}, x-kubernetes-list-type: set}
          paths: {type: array, items: {type: string}}
      """) + """
      ---
      apiVersion: example.com/v1
      kind: Route
      metadata: {name: web, namespace: shop}
      spec:
        hosts: [a.example.com, b.example.com, a.example.com]
        paths: [/, /]
      """;

  private static final String GATEWAY = Fixtures.GATEWAY_CRD + """
      apiVersion: example.com/v1
      kind: Gateway
      metadata: {name: edge, namespace: shop}
      spec:
        listeners:
      """;

  /** A Pod {@code shop/dns} whose one container has {@code ports} (a YAML list, at column 0). */
  private static String dnsPod(String ports) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: dns, namespace: shop}
        spec:
          containers:
          - name: dns
            image: coredns/coredns:1.12.0
            ports:
        """ + ports.indent(4);
  }

  private static DesiredState load(String yaml) {
    return new ManifestLoader().load(Snapshot.of(Revision.of("0".repeat(40)),
        Map.of("app.yaml", Content.bytes(yaml.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR))));
  }

  private static List<String> problems(String yaml) {
    DesiredState d = load(yaml);
    return DuplicateKeys.problems(d, KubernetesSchema.builtin().learn(d)).stream().map(Problem::toString).toList();
  }

  @Test
  void aKeyLeftOutCountsAsItsDefaultAndAnotherValueOfAKeyFieldIsAnotherKey() {
    List<String> found = problems(dnsPod("""
        - {name: dns, containerPort: 53}
        - {name: dns-udp, containerPort: 53, protocol: UDP}
        - {name: dns-tcp, containerPort: 53, protocol: TCP}
        """));
    assertEquals(List.of("app.yaml:1: Pod/shop/dns: spec.containers[0].ports[0] and spec.containers[0].ports[2]"
        + " share the key [containerPort=53,protocol=\"TCP\"]: the API server refuses a server-side apply of a list"
        + " with duplicate entries for a key; remove one of them or merge them (or write with"
        + " ApplyStrategy.JSON_PATCH, as kubectl apply does, which the server takes)"), found);
  }

  @Test
  void listsInsideKeyedElementsAndSetsAreJudgedAtTheirOwnPath() {
    List<String> found = problems("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx
                env:
                - {name: MODE, value: fast}
                - {name: LEVEL, value: "1"}
                - {name: MODE, value: slow}
                ports:
                - {name: http, containerPort: 8080}
                - {name: alt, containerPort: 8080}
        """);
    assertEquals(List.of("spec.template.spec.containers[0].env[0] and spec.template.spec.containers[0].env[2]"
            + " share the key [name=\"MODE\"]",
        "spec.template.spec.containers[0].ports[0] and spec.template.spec.containers[0].ports[1]"
            + " share the key [containerPort=8080,protocol=\"TCP\"]"),
        found.stream().map(p -> p.substring(p.indexOf(": spec.") + 2, p.indexOf("]:") + 1)).toList());
  }

  @Test
  void aCustomResourceIsJudgedByTheListTypesOfItsCrd() {
    List<String> found = problems(ROUTES);
    assertEquals(1, found.size(), found.toString());
    assertEquals(true, found.get(0).startsWith("app.yaml:22: example.com/Route/shop/web: spec.hosts[0] and"
        + " spec.hosts[2] share the key [\"a.example.com\"]"), found.get(0));
  }

  @Test
  void aTargetApplyingServerSideRefusesThemBeforeReadingWithTheCrdsOfTheSameDesiredState() {
    DesiredState desired = new ManifestLoader().load(Snapshot.of(Revision.of("0".repeat(40)), Map.of("app.yaml",
        Content.bytes(ROUTES.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR))));
    KubernetesTarget.Options options = KubernetesTarget.Options.defaults();
    DesiredChecks checks = new DesiredChecks(null, KubernetesDiff.options(KubernetesSchema.builtin()), options, null);
    for (int run = 0; run < 2; run++) { // the second with the CRDs learnt at the first
      var e = org.junit.jupiter.api.Assertions.assertThrows(dev.gitops.model.InvalidDesiredStateException.class,
          () -> checks.read(dev.gitops.target.Scope.owned("web"), desired, s -> {
            throw new AssertionError("read before the desired state was judged");
          }));
      assertEquals(1, e.problems().size(), e.getMessage());
    }
  }

  /**
   * Under JSON Patch a built-in kind's list is written as a create writes it (kubectl apply does
   * so), but a custom resource's server refuses a keyed list or set with a repeated key under any
   * write (its strategy's ValidateListSetsAndMaps), so it is still a problem, with that reason.
   */
  @Test
  void underJsonPatchACustomResourceIsStillRefusedABuiltinKindIsNot() {
    DesiredChecks jsonPatch = new DesiredChecks(null, KubernetesDiff.options(KubernetesSchema.builtin()),
        KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH), null);
    DesiredState routes = load(ROUTES);
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.gitops.model.InvalidDesiredStateException.class,
        () -> jsonPatch.read(dev.gitops.target.Scope.owned("web"), routes, s -> {
          throw new AssertionError("read before the desired state was judged");
        }));
    assertEquals(List.of("app.yaml:22: example.com/Route/shop/web: spec.hosts[0] and spec.hosts[2] share the key"
        + " [\"a.example.com\"]: the API server refuses a custom resource whose keyed list or set holds a key twice,"
        + " under any write; remove one of them or merge them"), e.problems().stream().map(Problem::toString).toList());
    DesiredState pod = load("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop}
        spec: {containers: [{name: web, image: nginx, env: [{name: MODE, value: fast}, {name: MODE, value: slow}]}]}
        """);
    assertEquals(1, DuplicateKeys.problems(pod, KubernetesSchema.builtin()).size());
    assertEquals(dev.gitops.model.ActualState.of(List.of()), jsonPatch.read(dev.gitops.target.Scope.owned("web"),
        pod, s -> dev.gitops.model.ActualState.of(List.of())), "JSON Patch writes such lists as a create does");
  }

  /**
   * A key field written null (a chart's unset {@code protocol:}) is its default, as the server
   * stores it: the loader drops a built-in field's null, so the body repeats the key; a custom
   * resource keeps its null, which its server prunes and defaults; a tree of another loader keeps it.
   */
  @Test
  void aKeyFieldWrittenNullCountsAsItsDefault() {
    String pod = dnsPod("""
        - name: dns
          containerPort: 53
          protocol:
        - name: dns-tcp
          containerPort: 53
          %s
        """);
    String expected = "app.yaml:1: Pod/shop/dns: spec.containers[0].ports[0] and spec.containers[0].ports[1] share the"
        + " key [containerPort=53,protocol=\"TCP\"]: the API server refuses a server-side apply";
    for (String second : List.of("", "protocol: TCP")) {
      List<String> found = problems(pod.formatted(second));
      assertEquals(1, found.size(), second + ": " + found);
      assertTrue(found.get(0).startsWith(expected), found.get(0));
    }
    assertEquals(List.of(), problems(pod.formatted("protocol: UDP")));

    DesiredState loaded = load(pod.formatted(""));
    ObjectNode tree = (ObjectNode) ((Content.Tree) loaded.resources().iterator().next().content()).node().deepCopy();
    ((ObjectNode) tree.at("/spec/containers/0/ports/0")).putNull("protocol"); // as another loader leaves it
    Resource withNull = Resource.of(dev.gitops.model.ResourceId.of("Pod", "shop", "dns"), new Content.Tree(tree));
    assertEquals(1, DuplicateKeys.problems(DesiredState.of(List.of(withNull)), KubernetesSchema.builtin()).size());

    String gateway = GATEWAY + """
          - {name: http, port: 80, protocol: null}
          - {name: web, port: 80}
        """;
    List<String> custom = problems(gateway);
    assertEquals(1, custom.size(), custom.toString());
    assertTrue(custom.get(0).contains("example.com/Gateway/shop/edge: spec.listeners[0] and spec.listeners[1] share the"
        + " key [port=80,protocol=\"TCP\"]: the API server refuses a custom resource"), custom.get(0));
  }

  @Test
  void noListOfTheRealWorldFixturesHoldsADuplicateKey() throws Exception {
    Path root = Fixtures.k8s();
    List<String> found = new ArrayList<>();
    int loaded = 0;
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList()) {
        DesiredState d;
        try {
          d = new ManifestLoader().load(Fixtures.snapshot(root, root.relativize(p).toString()));
        } catch (RuntimeException notAManifestAlone) { // a kustomization, a values file
          continue;
        }
        loaded++;
        DuplicateKeys.problems(d, KubernetesSchema.builtin().learn(d)).forEach(x -> found.add(x.toString()));
      }
    }
    assertEquals(List.of(), found);
    assertEquals(true, loaded > 300, "the fixtures were read: " + loaded);
  }
}

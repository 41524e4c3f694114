package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Problem;
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
  private static final String ROUTES = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: routes.example.com}
      spec:
        group: example.com
        scope: Namespaced
        names: {plural: routes, singular: route, kind: Route, listKind: RouteList}
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    hosts: {type: array, items: {type: string}, x-kubernetes-list-type: set}
                    paths: {type: array, items: {type: string}}
      ---
      apiVersion: example.com/v1
      kind: Route
      metadata: {name: web, namespace: shop}
      spec:
        hosts: [a.example.com, b.example.com, a.example.com]
        paths: [/, /]
      """;

  private static List<String> problems(String yaml) {
    DesiredState d = new ManifestLoader().load(Snapshot.of(Revision.of("0".repeat(40)),
        Map.of("app.yaml", Content.bytes(yaml.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR))));
    return DuplicateKeys.problems(d, KubernetesSchema.builtin().learn(d)).stream().map(Problem::toString).toList();
  }

  @Test
  void aKeyLeftOutCountsAsItsDefaultAndAnotherValueOfAKeyFieldIsAnotherKey() {
    List<String> found = problems("""
        apiVersion: v1
        kind: Pod
        metadata: {name: dns, namespace: shop}
        spec:
          containers:
          - name: dns
            image: coredns/coredns:1.12.0
            ports:
            - {name: dns, containerPort: 53}
            - {name: dns-udp, containerPort: 53, protocol: UDP}
            - {name: dns-tcp, containerPort: 53, protocol: TCP}
        """);
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
    DesiredChecks jsonPatch = new DesiredChecks(null, KubernetesDiff.options(KubernetesSchema.builtin()),
        options.withStrategy(ApplyStrategy.JSON_PATCH), null);
    assertEquals(dev.gitops.model.ActualState.of(List.of()), jsonPatch.read(dev.gitops.target.Scope.owned("web"),
        desired, s -> dev.gitops.model.ActualState.of(List.of())), "JSON Patch writes such lists as a create does");
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

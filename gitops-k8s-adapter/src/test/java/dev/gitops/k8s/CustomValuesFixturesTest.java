package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The negative control of {@link CustomValuesTest} on real-world objects: every custom resource of
 * {@code shared/fixtures/k8s} whose set holds its CRD (kube-prometheus's ServiceMonitors,
 * PrometheusRules and Prometheus, MetalLB's pools, peers and advertisements, a Gatekeeper
 * ConstraintTemplate, a Pinniped CredentialIssuer) is judged by that CRD, under server-side apply and
 * JSON Patch, and none is refused or pruned: those objects are applied to real clusters as they are.
 */
class CustomValuesFixturesTest {
  @Test
  void noCustomResourceOfTheFixturesIsRefusedOrPrunedByItsCrd() throws Exception {
    Path root = Fixtures.k8s();
    Map<String, TreeSet<String>> files = new TreeMap<>();
    for (String line : Files.readAllLines(root.resolve("INDEX.tsv"), StandardCharsets.UTF_8)) {
      String[] c = line.split("\t", -1);
      String group = c[3].contains("/") ? c[3].substring(0, c[3].indexOf('/')) : "";
      if (!c[0].equals("set") && (c[4].equals("CustomResourceDefinition") || !BuiltinKinds.isBuiltinGroup(group))) {
        files.computeIfAbsent(c[0], k -> new TreeSet<>()).add(c[1]);
      }
    }
    ManifestLoader loader = ManifestLoader.withDefaultNamespace("fixture-default").allowingUndeclaredFields();
    List<String> judged = new ArrayList<>();
    List<Problem> found = new ArrayList<>();
    for (Map.Entry<String, TreeSet<String>> set : files.entrySet()) {
      Map<ResourceId, Resource> byId = new TreeMap<>();
      for (String file : set.getValue()) {
        if (!file.endsWith("kustomization.yaml")) {
          loader.load(Fixtures.snapshot(root.resolve(set.getKey()), file)).resources().forEach(r -> byId.putIfAbsent(r.id(), r));
        }
      }
      DesiredState desired = DesiredState.of(new ArrayList<>(byId.values()));
      KubernetesSchema schema = KubernetesSchema.builtin().learn(desired);
      for (Resource r : desired.resources()) {
        if (!BuiltinKinds.isBuiltinGroup(r.id().group())
            && schema.customEntry(r.id(), ((Content.Tree) r.content()).node().path("apiVersion").asText()) != null) {
          judged.add(r.id().group() + "/" + r.id().kind());
        }
      }
      for (boolean serverSide : new boolean[] {true, false}) {
        CustomChecks.Verdict v = new CustomChecks(serverSide).check(desired, ActualState.empty(), schema, schema);
        found.addAll(v.refused());
        found.addAll(v.warned());
      }
    }
    assertEquals(List.of(), found);
    assertTrue(judged.size() >= 30, judged.size() + " judged: " + judged);
    assertTrue(judged.containsAll(List.of("monitoring.coreos.com/ServiceMonitor", "metallb.io/IPAddressPool",
        "templates.gatekeeper.sh/ConstraintTemplate")), judged.toString());
  }
}

package dev.gitops.k8s.render;

import static dev.gitops.source.LoaderContract.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Problem;
import dev.gitops.model.Snapshot;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a kustomization reaches: the folders Kustomize may read (and so the only ones copied). */
class KustomizationsTest {
  @Test
  void anOverlayReachesItsFolderItsBasesAndComponentsButNotItsSiblings() {
    Snapshot s = snapshot(
        "overlays/prod/kustomization.yaml", "resources:\n- ../../base\n- ../../extra/cm.yaml\ncomponents:\n- ../../comp\n",
        "overlays/prod/patch.yaml", "x: 1\n",
        "overlays/staging/kustomization.yaml", "resources:\n- ../../base\n",
        "base/kustomization.yaml", "resources:\n- deploy.yaml\n- sub\n",
        "base/deploy.yaml", "kind: Deployment\n",
        "base/sub/kustomization.yaml", "resources: []\n",
        "comp/kustomization.yaml", "kind: Component\n",
        "extra/cm.yaml", "kind: ConfigMap\n",
        "extra/other.yaml", "kind: ConfigMap\n",
        "docs/huge.bin", "...\n");
    Kustomizations.Reach reach = Kustomizations.walk(s, "overlays/prod");
    assertEquals(java.util.List.of(), reach.remote());
    assertEquals(Set.of("overlays/prod", "base", "base/sub", "comp"), reach.folders());
    for (String read : new String[] {"overlays/prod/kustomization.yaml", "overlays/prod/patch.yaml",
        "base/deploy.yaml", "base/sub/kustomization.yaml", "comp/kustomization.yaml", "extra/cm.yaml"}) {
      assertTrue(reach.reads(read), read);
    }
    for (String left : new String[] {"overlays/staging/kustomization.yaml", "extra/other.yaml", "docs/huge.bin",
        "basement/x.yaml", "overlays/production/x.yaml"}) {
      assertFalse(reach.reads(left), left);
    }
  }

  @Test
  void theRootFolderReadsEverything() {
    Snapshot s = snapshot("kustomization.yaml", "resources:\n- a.yaml\n", "a.yaml", "kind: A\n", "b/c.txt", "c\n");
    Kustomizations.Reach reach = Kustomizations.walk(s, "");
    assertTrue(reach.reads("b/c.txt"));
    assertEquals(1, Kustomizations.walk(snapshot("k/kustomization.yaml", "resources:\n- https://example.com/x\n"), "k")
        .remote().size());
  }

  @Test
  void aUrlWhereAKustomizationNamesAFileIsRefusedAtItsLineAsKustomizeWouldFetchIt() {
    Snapshot s = snapshot("k/kustomization.yaml", """
        resources: [cm.yaml]
        configurations:
        - HTTPS://example.com/c.yaml
        openapi:
          path: http://169.254.169.254/latest/meta-data
        patches:
        - path: https://example.com/p.yaml
        - patch: "kind: X"
        patchesJson6902:
        - path: http:p.json
        patchesStrategicMerge:
        - http://example.com/s.yaml
        replacements:
        - path: https://example.com/r.yaml
        configMapGenerator:
        - name: g
          files: [local.txt, "key=https://example.com/x.txt"]
          literals: ["url=https://example.com/docs"]
        secretGenerator:
        - name: s
          envs: [https://example.com/.env]
          env: https://example.com/.env2
        commonAnnotations:
          docs: https://example.com/docs
        """, "k/cm.yaml", "kind: ConfigMap\n", "k/local.txt", "x\n");
    List<String> problems = Kustomizations.walk(s, "k").remote().stream().map(Problem::toString).toList();
    assertEquals(List.of(
        "k/kustomization.yaml:3: configurations[0] 'HTTPS://example.com/c.yaml' is a URL, which Kustomize would"
            + " fetch: remote files are refused (KustomizeLoader.allowingRemote() allows them)",
        "k/kustomization.yaml:5: openapi.path 'http://169.254.169.254/latest/meta-data' is a URL, which Kustomize"
            + " would fetch: remote files are refused (KustomizeLoader.allowingRemote() allows them)",
        "k/kustomization.yaml:7: patches[0].path 'https://example.com/p.yaml' is a URL, which Kustomize would"
            + " fetch: remote files are refused (KustomizeLoader.allowingRemote() allows them)",
        "k/kustomization.yaml:10: patchesJson6902[0].path 'http:p.json' is a URL, which Kustomize would fetch:"
            + " remote files are refused (KustomizeLoader.allowingRemote() allows them)",
        "k/kustomization.yaml:12: patchesStrategicMerge[0] 'http://example.com/s.yaml' is a URL, which Kustomize"
            + " would fetch: remote files are refused (KustomizeLoader.allowingRemote() allows them)",
        "k/kustomization.yaml:14: replacements[0].path 'https://example.com/r.yaml' is a URL, which Kustomize"
            + " would fetch: remote files are refused (KustomizeLoader.allowingRemote() allows them)",
        "k/kustomization.yaml:17: configMapGenerator[0].files[1] 'key=https://example.com/x.txt' is a URL, which"
            + " Kustomize would fetch: remote files are refused (KustomizeLoader.allowingRemote() allows them)",
        "k/kustomization.yaml:21: secretGenerator[0].envs[0] 'https://example.com/.env' is a URL, which"
            + " Kustomize would fetch: remote files are refused (KustomizeLoader.allowingRemote() allows them)",
        "k/kustomization.yaml:22: secretGenerator[0].env 'https://example.com/.env2' is a URL, which Kustomize"
            + " would fetch: remote files are refused (KustomizeLoader.allowingRemote() allows them)"),
        problems.stream().sorted(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.split(":")[1]))).toList());
  }

  @Test
  void aPluginConfigsUrlIsRefusedButItsLiteralsAndMetadataAreValues() {
    Snapshot s = snapshot("kustomization.yaml", "transformers:\n- pt.yaml\n- notes.yaml\ngenerators:\n- gen.yaml\n",
        "notes.yaml", "apiVersion: builtin\nkind: AnnotationsTransformer\nmetadata:\n  name: a\n"
            + "annotations: {docs: 'https://example.com/runbook'}\nfieldSpecs: [{path: metadata/annotations}]\n",
        "pt.yaml", "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\n"
            + "  annotations: {docs: 'https://example.com'}\npath: https://example.com/p.yaml\n",
        "gen.yaml", "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: g\n"
            + "literals: [u=https://example.com]\nfiles: [\"k=http://example.com/\\e[31m\"]\n");
    List<String> problems = Kustomizations.walk(s, "").remote().stream().map(Problem::toString).sorted().toList();
    Snapshot folder = snapshot("kustomization.yaml", "transformers:\n- tx\n", "tx/kustomization.yaml",
        "resources:\n- pt.yaml\n- more\n", "tx/pt.yaml", "kind: PatchTransformer\npath: https://example.com/p.yaml\n",
        "tx/more/kustomization.yaml", "resources: [x.yaml]\n", "tx/more/x.yaml", "kind: X\npath: http://example.com/\n");
    assertEquals(List.of("tx/more/x.yaml:2: path 'http://example.com/' is a URL, which Kustomize would fetch: remote files"
            + " are refused (KustomizeLoader.allowingRemote() allows them)",
        "tx/pt.yaml:2: path 'https://example.com/p.yaml' is a URL, which Kustomize would fetch: remote files are"
            + " refused (KustomizeLoader.allowingRemote() allows them)"),
        Kustomizations.walk(folder, "").remote().stream().map(Problem::toString).sorted().toList(),
        "a folder of transformers holds plug-in configurations as its resources (fetched: Kustomize v5.5.0)");
    assertEquals(List.of(
        "gen.yaml:6: files[0] 'k=http://example.com/\\x1b[31m' is a URL, which Kustomize would fetch: remote files"
            + " are refused (KustomizeLoader.allowingRemote() allows them)",
        "pt.yaml:6: path 'https://example.com/p.yaml' is a URL, which Kustomize would fetch: remote files are"
            + " refused (KustomizeLoader.allowingRemote() allows them)"), problems);
  }

  @Test
  void aRemoteEntryIsPrintedEscaped() {
    Problem p = Kustomizations.walk(snapshot("kustomization.yaml", "resources:\n- \"https://x/\\e]0;owned\\a\"\n"), "")
        .remote().get(0);
    assertTrue(p.message().startsWith("resources entry 'https://x/\\x1b]0;owned\\x07' is not a file"), p.message());
  }

  @Test
  void urlsInFieldsOfValuesAreNotRefusedInAnyCase() {
    Snapshot s = snapshot("kustomization.yaml", """
        resources: [cm.yaml]
        commonAnnotations: {docs: https://example.com/docs}
        Labels:
        - pairs: {home: "http://example.com"}
        configMapGenerator:
        - name: g
          LITERALS: [url=https://example.com/api]
          options: {annotations: {link: https://example.com}}
        metadata: {annotations: {link: https://example.com}}
        """, "cm.yaml", "kind: A\n");
    assertEquals(List.of(), Kustomizations.walk(s, "").remote());
    Snapshot upper = snapshot("kustomization.yaml", "resources: [cm.yaml]\nPatches:\n- Path: https://example.com/p\n",
        "cm.yaml", "kind: A\n");
    assertEquals(List.of("kustomization.yaml:3: Patches[0].Path 'https://example.com/p' is a URL, which Kustomize would"
        + " fetch: remote files are refused (KustomizeLoader.allowingRemote() allows them)"),
        Kustomizations.walk(upper, "").remote().stream().map(Problem::toString).toList());
  }

  @Test
  void aPluginConfigWrittenInPlaceIsCheckedAtItsOwnLines() {
    Snapshot s = snapshot("k/kustomization.yaml", """
        resources: [cm.yaml]
        transformers:
        - |-
          apiVersion: builtin
          kind: LabelTransformer
          metadata: {name: l}
          labels: {docs: "https://example.com/runbook"}
          ---
          apiVersion: builtin
          kind: PatchTransformer
          metadata: {name: p}
          path: https://example.com/p.yaml
        - "{kind: List, items: [{apiVersion: builtin, kind: X, metadata: {name: a}}, {apiVersion: v1, kind: Fn, metadata: {name: b}}]}"
        generators:
        - |
          apiVersion: builtin
          kind: ConfigMapGenerator
          metadata:
            name: g
          files: [local.txt]
        - "kind: ConfigMapGenerator"
        """, "k/cm.yaml", "kind: ConfigMap\n", "k/local.txt", "x\n");
    Kustomizations.Reach reach = Kustomizations.walk(s, "k");
    assertEquals(List.of(
        "k/kustomization.yaml:12: transformers[0].path 'https://example.com/p.yaml' is a URL, which Kustomize would"
            + " fetch: remote files are refused (KustomizeLoader.allowingRemote() allows them)",
        "k/kustomization.yaml:13: transformers[1]: v1 Fn is not a built-in plug-in (apiVersion: builtin): exec and"
            + " container (KRM function) plug-ins are refused",
        "k/kustomization.yaml:21: generators entry 'kind: ConfigMapGenerator' is not a file or folder of the"
            + " repository nor a plug-in configuration written in place (resources with a kind and a metadata.name):"
            + " remote bases and resources are refused (KustomizeLoader.allowingRemote() allows them)"),
        reach.remote().stream().map(Problem::toString).toList());
    assertTrue(reach.reads("k/local.txt"));
  }
}

package dev.gitops.k8s.render;

import static dev.gitops.source.LoaderContract.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Snapshot;
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
}

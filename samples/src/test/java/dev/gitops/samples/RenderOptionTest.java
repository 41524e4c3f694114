package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.k8s.render.Kustomize;
import dev.gitops.testing.git.GitRepo;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --render}: a folder with a kustomization is rendered by default; plain and bad values. */
class RenderOptionTest {
  @TempDir Path tmp;
  @AutoClose private GitRepo repo;

  @BeforeEach
  void repository() throws Exception {
    repo = GitRepo.init(tmp.resolve("repo"));
    repo.write("k8s/kustomization.yaml", "namePrefix: staging-\nresources:\n- config.yaml\n")
        .write("k8s/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  k: v\n")
        .commit("kustomize folder");
  }

  private Cli plan(String... more) {
    return Cli.run(Cli.join(new String[] {"plan", "--repo", repo.dir().toString(), "--path", "k8s", "--target", "k8s-mock"},
        more));
  }

  @Test
  void folderWithKustomizationIsRenderedByDefault() {
    assumeTrue(Kustomize.onPath().isPresent(), "neither kustomize nor kubectl is on the PATH: test skipped");
    Cli cli = plan();
    assertEquals(0, cli.exit(), cli::toString);
    assertTrue(cli.out().contains("ConfigMap/default/staging-web"), cli::toString);
  }

  @Test
  void everyPlannedStepOfARenderedResourceSaysWhereItCameFromInTextAndJson() throws Exception {
    // origins are paths in what the source reads (--path k8s), as in every error message
    assumeTrue(Kustomize.onPath().isPresent(), "neither kustomize nor kubectl is on the PATH: test skipped");
    Cli text = plan("--diff=none");
    assertEquals(0, text.exit(), text::toString);
    assertTrue(text.out().contains("+ create ConfigMap/default/staging-web from config.yaml:1\n"), text::toString);
    Cli md = plan("--format", "markdown");
    assertTrue(md.out().contains("from `config.yaml:1`"), md::toString); // a create: a list item, names in code spans
    JsonNode json = Schemas.check(plan("--json").out());
    JsonNode step = json.at("/waves/0/actions/0");
    assertEquals("ConfigMap/default/staging-web", step.path("id").asText(), json::toString);
    assertEquals("config.yaml", step.at("/desired/origin/file").asText(), json::toString);
    assertEquals(1, step.at("/desired/origin/line").asInt(), json::toString);
  }

  @Test
  void plainSkipsTheKustomizationAndLoadsTheManifests() {
    Cli cli = plan("--render=plain");
    assertEquals(0, cli.exit(), cli::toString);
    assertTrue(cli.out().contains("ConfigMap/default/web"), cli::toString);
    assertFalse(cli.out().contains("staging-web"), cli::toString);
  }

  @Test
  void unknownRenderValueNamesTheAcceptedOnes() {
    Cli cli = plan("--render=helm");
    assertEquals(1, cli.exit(), cli::toString);
    assertTrue(cli.err().contains("auto, plain, kustomize or command:"), cli::toString);
  }
}

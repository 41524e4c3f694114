package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.testing.git.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --target k8s:CONTEXT} never falls back to the current context (which may be production). */
class KubeContextTest {
  @TempDir Path tmp;

  @Test
  void anUnknownContextIsAnErrorNamingTheContextsThatExist() throws Exception {
    Path kubeconfig = Files.writeString(tmp.resolve("config"), """
        apiVersion: v1
        kind: Config
        current-context: production
        clusters:
        - name: prod
          cluster: {server: "https://127.0.0.1:1"}
        contexts:
        - name: production
          context: {cluster: prod, user: me}
        - name: staging
          context: {cluster: prod, user: me}
        users:
        - name: me
          user: {token: not-a-secret}
        """);
    String before = System.getProperty("kubeconfig");
    System.setProperty("kubeconfig", kubeconfig.toString());
    try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.write("k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n").commit("one");
      Cli cli = Cli.run("plan", "--repo", repo.dir().toString(), "--path", "k8s", "--target", "k8s:stagin");
      assertEquals(1, cli.exit(), cli::toString);
      assertTrue(cli.err().contains("--target k8s:stagin: the kubeconfig (" + kubeconfig
          + ") has no context 'stagin'; its contexts: production, staging"), cli::toString);
    } finally {
      if (before == null) {
        System.clearProperty("kubeconfig");
      } else {
        System.setProperty("kubeconfig", before);
      }
    }
  }
}

package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.ResourceId;
import dev.gitops.source.LoaderContract;
import org.junit.jupiter.api.Test;

/**
 * The loader's warnings (a namespace dropped from a cluster-scoped object, server-set metadata
 * dropped) name the file, kind and name escaped, as its problems do: they are logged before the name
 * rules refuse a name, so a name written to drive the terminal or forge a log line reached the log raw.
 */
class LoaderWarningsTest {
  @Test
  void warningsNameTheRepositorysWordsEscaped() throws Exception {
    String yaml = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: "team\\e[2J\\rforged\\u2028x"
          namespace: "x\\e[31m\\u202e"
          resourceVersion: "1"
        """;
    ManifestLoader loader = new ManifestLoader(); // its logger made first: slf4j-simple truncates its file then
    String logged = DropsCluster.logged(() -> assertThrows(InvalidDesiredStateException.class,
        () -> loader.load(LoaderContract.snapshot("evil\u202e.yaml", yaml))));
    assertTrue(logged.contains("metadata.namespace 'x\\x1b[31m\\u202e' dropped"), ResourceId.escape(logged));
    assertTrue(logged.contains("evil\\u202e.yaml:1: Namespace team\\x1b[2J\\rforged\\u2028x: metadata.resourceVersion"
        + " dropped"), ResourceId.escape(logged));
    for (String raw : new String[] {"\u001b", "\r", "\u2028", "\u202e"}) {
      assertFalse(logged.contains(raw), ResourceId.escape(logged));
    }
  }

  /** A kustomization the plain loader skips is named at debug: its path is the repository's, escaped. */
  @Test
  void aSkippedKustomizationIsNamedEscaped() throws Exception {
    ManifestLoader loader = new ManifestLoader();
    String logged = DropsCluster.logged(() -> loader.load(LoaderContract.snapshot(
        "app\n[WARN] forged\u001b[2J/kustomization.yaml", "resources: []\n")));
    assertTrue(logged.contains("app\\n[WARN] forged\\x1b[2J/kustomization.yaml: a kustomization, skipped"),
        ResourceId.escape(logged));
    assertFalse(logged.contains("\n[WARN] forged") || logged.contains("\u001b"), ResourceId.escape(logged));
  }
}

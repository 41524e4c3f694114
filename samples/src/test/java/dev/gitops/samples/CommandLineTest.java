package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandLineTest extends RepoAndSite {
  @BeforeEach
  void commit() throws Exception {
    repo.write("site/index.html", "<h1>one</h1>\n").write("site/app.conf", "workers = 2\n").commit("one");
  }

  @Test
  void detailedExitCodeIsZeroAfterConvergeAndTwoAfterACommit() throws Exception {
    Cli first = Cli.run(args("plan", "--detailed-exitcode"));
    assertEquals(2, first.exit(), first::toString);
    assertTrue(first.out().contains("Plan: 2 to create, 0 to update, 0 to delete, 0 to adopt."), first::toString);

    Cli pull = Cli.run(args("pull", "--once"));
    assertEquals(0, pull.exit(), pull::toString);
    assertEquals(0, Cli.run(args("plan", "--detailed-exitcode")).exit());

    repo.write("site/app.conf", "workers = 4\n").commit("two");
    Cli changed = Cli.run(args("plan", "--detailed-exitcode"));
    assertEquals(2, changed.exit(), changed::toString);
    assertTrue(changed.out().contains("+workers = 4"), changed::toString);
    assertEquals(0, Cli.run(args("plan")).exit(), "without --detailed-exitcode changes exit 0");
  }

  @Test
  void pullOnceAppliesAndPrunesOnlyWhatItDeployed() throws Exception {
    Files.writeString(site.resolve("notes.txt"), "mine, not gitops'\n");
    assertEquals(0, Cli.run(args("pull", "--once")).exit());
    assertEquals("workers = 2\n", Files.readString(site.resolve("app.conf")));

    repo.delete("site/app.conf").commit("drop app.conf");
    Cli pruned = Cli.run(args("pull", "--once"));
    assertEquals(0, pruned.exit(), pruned::toString);
    assertFalse(Files.exists(site.resolve("app.conf")), "a removed file is pruned");
    assertEquals("mine, not gitops'\n", Files.readString(site.resolve("notes.txt")),
        "a file the owner never deployed is left alone");
  }

  @Test
  void aStaleSavedPlanIsRefusedNamingWhatMoved() throws Exception {
    Path saved = tmp.resolve("plan.json");
    Cli plan = Cli.run(args("plan", "--out", saved.toString()));
    assertEquals(0, plan.exit(), plan::toString);
    Files.writeString(site.resolve("index.html"), "someone got here first\n");

    Cli apply = Cli.run("apply", "--plan", saved.toString(), "--target", "dir:" + site);
    assertEquals(1, apply.exit(), apply::toString);
    assertTrue(apply.err().contains("File//index.html"), apply::toString);
    assertEquals("someone got here first\n", Files.readString(site.resolve("index.html")));
    assertFalse(Files.exists(site.resolve("app.conf")), "nothing of a refused plan is applied");
  }

  @Test
  void aFreshSavedPlanApplies() throws Exception {
    Path saved = tmp.resolve("plan.json");
    assertEquals(0, Cli.run(args("plan", "--out", saved.toString())).exit());
    Cli apply = Cli.run("apply", "--plan", saved.toString(), "--target", "dir:" + site);
    assertEquals(0, apply.exit(), apply::toString);
    assertEquals("<h1>one</h1>\n", Files.readString(site.resolve("index.html")));
  }

  @Test
  void pushWithYesAppliesUnderTheLock() throws Exception {
    Cli push = Cli.run(args("push", "--yes"));
    assertEquals(0, push.exit(), push::toString);
    assertTrue(Files.exists(site.resolve("app.conf")));
  }

  @Test
  void jsonOutputIsMachineReadable() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    Cli plan = Cli.run(args("plan", "--json"));
    assertEquals(0, plan.exit(), plan::toString);
    assertEquals(1, json.readTree(plan.out()).path("format_version").asInt(), plan::toString);

    Cli pull = Cli.run(args("pull", "--once", "--json"));
    assertEquals(0, pull.exit(), pull::toString);
    var result = json.readTree(pull.out());
    assertTrue(result.path("success").asBoolean(), pull::toString);
    assertEquals(2, result.path("steps").size(), pull::toString);
    assertEquals("applied", result.path("steps").get(0).path("outcome").asText(), pull::toString);
  }

  @Test
  void missingRepositoryIsOneClearLine() {
    Cli cli = Cli.run("plan", "--repo", tmp.resolve("nope").toString(), "--target", "dir:" + site);
    assertEquals(1, cli.exit(), cli::toString);
    assertEquals(1, cli.err().strip().lines().count(), cli::toString);
    assertTrue(cli.err().contains("no such directory"), cli::toString);
  }

  @Test
  void unknownRefIsOneClearLineAndTouchesNothing() throws Exception {
    Cli cli = Cli.run(args("pull", "--once", "--ref", "no-such-branch"));
    assertEquals(1, cli.exit(), cli::toString);
    assertEquals(1, cli.err().strip().lines().count(), cli::toString);
    assertTrue(cli.err().contains("no-such-branch"), cli::toString);
    assertEmpty(site);
  }

  @Test
  void malformedGitopsYamlIsRefusedWithFileAndLine() throws Exception {
    repo.write("site/.gitops.yaml", "files:\n  - glob: \"*.conf\"\n    mode: rw-r--r--\n").commit("bad mode");
    Cli cli = Cli.run(args("pull", "--once"));
    assertEquals(1, cli.exit(), cli::toString);
    assertTrue(cli.err().contains(".gitops.yaml:3"), cli::toString);
    assertEmpty(site);
  }

  @Test
  void malformedManifestIsRefusedWithFileAndLine() throws Exception {
    repo.write("k8s/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n").commit("dup");
    Cli cli = Cli.run("plan", "--repo", repo.dir().toString(), "--path", "k8s", "--target", "k8s-mock");
    assertEquals(1, cli.exit(), cli::toString);
    assertTrue(cli.err().contains("app.yaml:5"), cli::toString);
  }

  @Test
  void badTargetNamesTheAcceptedForms() {
    Cli cli = Cli.run("plan", "--repo", repo.dir().toString(), "--target", "ftp://x");
    assertEquals(1, cli.exit(), cli::toString);
    assertTrue(cli.err().contains("dir:PATH"), cli::toString);
  }

  private static void assertEmpty(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      assertEquals(java.util.List.of(), files.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals(".gitops")).toList(), "the target is untouched");
    }
  }

  static String read(Path p) throws Exception {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}

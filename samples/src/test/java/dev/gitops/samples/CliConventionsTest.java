package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.testing.git.GitRepo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 18 item 1: the command line follows the conventions of kubectl, terraform and flux. */
class CliConventionsTest {
  @TempDir Path tmp;

  /** Every subcommand, as the root command registers it (so a command added later is covered too). */
  private static List<String> subcommands() {
    CommandLine cli = Main.commandLine(new Main());
    return cli.getSubcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
  }

  @Test
  void everySubcommandHasHelpWithItsExitCodesThreeWays() {
    List<String> names = subcommands();
    assertTrue(names.containsAll(List.of("demo", "plan", "apply", "push", "pull", "completion", "schema")), names::toString);
    for (String name : names) {
      for (String[] args : List.of(new String[] {name, "--help"}, new String[] {name, "-h"}, new String[] {"help", name})) {
        Cli cli = Cli.run(args);
        assertEquals(0, cli.exit(), () -> String.join(" ", args) + ": " + cli);
        assertTrue(cli.out().contains("Usage: gitops " + name), () -> String.join(" ", args) + ": " + cli);
        assertTrue(cli.out().contains("Exit codes:"), () -> String.join(" ", args) + ": " + cli);
        assertTrue(cli.out().contains("  0 "), () -> String.join(" ", args) + ": " + cli);
        assertTrue(cli.out().contains("  1 "), () -> String.join(" ", args) + ": " + cli);
        assertEquals("", cli.err(), () -> String.join(" ", args) + ": " + cli);
      }
    }
  }

  @Test
  void helpIgnoresMissingRequiredOptions() {
    Cli plan = Cli.run("plan", "--help");
    assertFalse(plan.out().contains("Missing required"), plan::toString);
    assertTrue(plan.out().contains("--detailed-exitcode") && plan.out().contains("2   changes"), plan::toString);
  }

  @Test
  void aMistypedOptionSuggestsTheNearOnes() {
    Cli cli = Cli.run("plan", "--josn", "--repo", ".", "--target", "dir:.");
    assertEquals(1, cli.exit(), cli::toString);
    assertTrue(cli.err().contains("Unknown option: '--josn'"), cli::toString);
    assertTrue(cli.err().contains("Did you mean") && cli.err().contains("--json"), cli::toString);
    assertTrue(cli.err().contains("Try 'gitops plan --help'."), cli::toString);
    Cli command = Cli.run("plna");
    assertTrue(command.err().contains("Did you mean") && command.err().contains("plan"), command::toString);
  }

  @Test
  void bashCompletionCompletesCommandsAndOptions() throws Exception {
    Cli bash = Cli.run("completion", "bash");
    assertEquals(0, bash.exit(), bash::toString);
    Path script = tmp.resolve("gitops.bash");
    Files.writeString(script, bash.out());
    assertEquals("plan pull push", complete(script, "gitops p", "gitops", "p"));
    assertEquals("--detailed-exitcode", complete(script, "gitops plan --det", "gitops", "plan", "--det"));
    assertEquals("--namespace", complete(script, "gitops push --names", "gitops", "push", "--names"));
  }

  @Test
  void zshCompletionLoadsBashCompletionThroughBashcompinit() {
    Cli zsh = Cli.run("completion", "zsh");
    assertEquals(0, zsh.exit(), zsh::toString);
    assertTrue(zsh.out().startsWith("# gitops completion for zsh"), zsh::toString);
    assertTrue(zsh.out().contains("autoload -U +X bashcompinit && bashcompinit"), zsh::toString);
    assertTrue(zsh.out().contains("complete -F _complete_gitops"), zsh::toString);
    assertEquals(1, Cli.run("completion", "fish").exit());
  }

  /** Sources the script in a real bash and asks its completion function for {@code words}. */
  private String complete(Path script, String line, String... words) throws Exception {
    String array = String.join(" ", java.util.Arrays.stream(words).map(w -> "'" + w + "'").toList());
    String program = "source '" + script + "'; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=("
        + array + "); COMP_CWORD=" + (words.length - 1) + "; _complete_gitops; printf '%s\\n' \"${COMPREPLY[@]}\" | sort | xargs";
    Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return output;
  }

  @Test
  void jsonOnKubernetesMockIsPureJsonOnStdoutAndTheBannerIsOnStderr() throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.write("k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n")
          .commit("one");
      Cli plan = Cli.run("plan", "--repo", repo.dir().toString(), "--path", "k8s", "--target", "k8s-mock", "--json");
      assertEquals(0, plan.exit(), plan::toString);
      assertTrue(plan.out().startsWith("{"), plan::toString);
      Schemas.check(plan.out());
      assertTrue(plan.err().contains("k8s-mock: started"), plan::toString);
      assertFalse(plan.out().contains("k8s-mock"), plan::toString);
    }
  }

  @Test
  void namespaceIsTheDefaultOfNamespacedManifestsOnly() throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.write("k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n")
          .write("k8s/pinned.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pinned\n  namespace: kube-system\n")
          .write("k8s/role.yaml", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules: []\n")
          .commit("one");
      Cli plan = Cli.run("push", "--repo", repo.dir().toString(), "--path", "k8s", "--target", "k8s-mock",
          "--namespace", "argocd", "--yes", "--diff", "none");
      assertEquals(0, plan.exit(), plan::toString);
      assertTrue(plan.out().contains("ConfigMap/argocd/settings"), plan::toString);
      assertTrue(plan.out().contains("ConfigMap/kube-system/pinned"), "an explicit namespace stays: " + plan);
      assertTrue(plan.out().contains("ClusterRole//reader"), "cluster-scoped kinds get none: " + plan);
      assertFalse(plan.out().contains("/default/"), plan::toString);
      Cli without = Cli.run("plan", "--repo", repo.dir().toString(), "--path", "k8s", "--target", "k8s-mock");
      assertTrue(without.out().contains("ConfigMap/default/settings"), without::toString);
    }
  }

  @Test
  void progressGoesToStderrAndTheReportToStdout() throws Exception {
    try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.write("site/a.txt", "a\n").commit("one");
      Path site = Files.createDirectories(tmp.resolve("site"));
      Cli pull = Cli.run("pull", "--once", "--repo", repo.dir().toString(), "--path", "site", "--target", "dir:" + site);
      assertEquals(0, pull.exit(), pull::toString);
      assertTrue(pull.err().contains("revision ") && pull.err().contains("applied create File//a.txt"), pull::toString);
      assertFalse(pull.out().contains("revision "), pull::toString);
      assertTrue(pull.out().contains("Applied: 1 applied"), pull::toString);
    }
  }

  @Test
  void rootHelpNamesEveryCommand() {
    StringWriter out = new StringWriter();
    assertEquals(0, Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--help"));
    for (String name : subcommands()) {
      assertTrue(out.toString().contains("  " + name), name + " in " + out);
    }
    assertTrue(out.toString().contains("--debug-all"), out::toString);
  }
}

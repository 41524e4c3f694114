package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bad invocation is one clear line on standard error (and the usage hint when the command line
 * itself is wrong), exit 1 as terraform and kubectl exit, never 2 (which {@code --detailed-exitcode}
 * gives to changes), and nothing written.
 */
class BadInvocationTest extends RepoAndSite {
  @BeforeEach
  void commit() throws Exception {
    repo.write("site/index.html", "<h1>one</h1>\n").commit("one");
  }

  private static void assertOneLine(Cli cli, String line) {
    assertEquals(1, cli.exit(), cli::toString);
    assertEquals("error: " + line, cli.err().strip(), cli::toString);
    assertEquals("", cli.out(), cli::toString);
  }

  @Test
  void aTargetDirectoryThatIsAFileIsRefusedBeforeAnythingIsPlanned() throws Exception {
    Path file = Files.writeString(tmp.resolve("afile"), "not a directory\n");
    Cli cli = Cli.run("plan", "--repo", repo.dir().toString(), "--path", "site", "--target", "dir:" + file,
        "--detailed-exitcode");
    assertOneLine(cli, "--target dir:" + file + ": a file, not a directory");
    Cli push = Cli.run("push", "--yes", "--repo", repo.dir().toString(), "--path", "site", "--target", "dir:" + file);
    assertOneLine(push, "--target dir:" + file + ": a file, not a directory");
    assertEquals("not a directory\n", Files.readString(file));
  }

  @Test
  void aRepositoryThatIsAFileSaysSo() throws Exception {
    Path file = repo.dir().resolve("site/index.html");
    Cli cli = Cli.run(args("plan").clone());
    assertEquals(0, cli.exit(), cli::toString);
    Cli bad = Cli.run("plan", "--repo", file.toString(), "--target", "dir:" + site);
    assertOneLine(bad, "--repo " + file + ": a file, not a Git repository (a directory, a bundle or a URL); --path"
        + " names the folder inside the repository");
  }

  @Test
  void aTildeNoShellExpandedIsRefusedNotTakenAsAFolderNamedTilde() {
    Cli cli = Cli.run("push", "--yes", "--repo", repo.dir().toString(), "--path", "site", "--target", "dir:~/site");
    assertOneLine(cli, "--target dir:~/site: '~' is not expanded after 'dir:' (a shell expands it only at the start of"
        + " a word): write dir:$HOME/site");
    assertFalse(Files.exists(Path.of("~")), "no folder named '~' in the working directory");
    assertOneLine(Cli.run("plan", "--repo=~/no-such-repo", "--target", "dir:" + site), "--repo ~/no-such-repo: no such"
        + " directory ('~' is not expanded here: a shell expands it only at the start of a word, not after --repo=)");
  }

  @Test
  void aMissingSavedPlanSaysNoSuchFile() {
    Path missing = tmp.resolve("plan.json");
    assertOneLine(Cli.run("apply", "--plan", missing.toString(), "--target", "dir:" + site),
        missing + ": cannot read the plan: no such file");
    assertOneLine(Cli.run("apply", "--plan", tmp.toString(), "--target", "dir:" + site),
        tmp + ": cannot read the plan: a directory, not a file");
  }

  @Test
  void usageErrorsExitOneWithTheHintEvenWithDetailedExitCode() {
    Cli cli = Cli.run(args("plan", "--detailed-exitcode", "--no-such-flag"));
    assertEquals(1, cli.exit(), cli::toString);
    assertTrue(cli.err().startsWith("error: Unknown option: '--no-such-flag'"), cli::toString);
    assertTrue(cli.err().strip().endsWith("Try 'gitops plan --help'."), cli::toString);
    Cli missing = Cli.run("plan", "--repo", repo.dir().toString(), "--detailed-exitcode");
    assertEquals(1, missing.exit(), missing::toString);
    assertTrue(missing.err().contains("Missing required option: '--target=TARGET'"), missing::toString);
    assertFalse(Files.exists(site.resolve("index.html")));
  }
}

package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ResourceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The command line end to end with words from a repository that try to act on what reads them: a
 * commit message that drives the terminal, file names and file lines that would be read as Markdown
 * in a pull-request comment, an argument with an escape in it, a Secret's value kept in kubectl's
 * last-applied annotation. None of it acts, and no Secret value is printed or saved.
 */
class HostileOutputTest extends RepoAndSite {
  private static void assertNoRawControls(Cli cli) {
    for (String bad : new String[] {"\u001b", "\r", "\u2028", "\u202e"}) {
      assertFalse(cli.out().contains(bad) || cli.err().contains(bad),
          "raw " + ResourceId.escape(bad) + ": " + ResourceId.escape(cli.toString()));
    }
  }

  @Test
  void aCommitMessageThatDrivesTheTerminalPrintsEscaped() throws Exception {
    repo.write("site/index.html", "<p>one</p>\n").commit("deploy\u001b[2J\r\u202eforged\u2028[INFO] all good");
    Cli push = Cli.run(args("push", "--yes"));
    assertEquals(0, push.exit(), push::toString);
    assertNoRawControls(push);
    assertTrue(push.err().contains(": deploy\\x1b[2J\\r\\u202eforged\\u2028[INFO] all good\n"), push::toString);
  }

  @Test
  void anErrorQuotingAnArgumentPrintsItEscaped() {
    Cli plan = Cli.run("plan", "--repo", tmp.resolve("no\u001b[2J\rsuch").toString(), "--target", "dir:" + site);
    assertEquals(1, plan.exit(), plan::toString);
    assertNoRawControls(plan);
    assertTrue(plan.err().contains("no\\x1b[2J\\rsuch: no such directory"), plan::toString);
  }

  @Test
  void anEditedSavedPlansRepositoryPrintsEscapedInTheErrorThatQuotesIt() throws Exception {
    repo.write("site/index.html", "<p>one</p>\n").commit("one");
    Path saved = tmp.resolve("plan.json");
    assertEquals(0, Cli.run(args("plan", "--out", saved.toString())).exit());
    com.fasterxml.jackson.databind.node.ObjectNode file = (com.fasterxml.jackson.databind.node.ObjectNode)
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(saved.toFile());
    file.put("repo", "/r\nerror: forged\u001b[2J");
    Files.writeString(saved, file.toString());
    Cli apply = Cli.run("apply", "--plan", saved.toString(), "--target", "dir:" + site, "--repo", repo.dir().toString());
    assertEquals(1, apply.exit(), apply::toString);
    assertNoRawControls(apply);
    assertFalse(apply.err().contains("\nerror: forged"), apply::toString);
    assertTrue(apply.err().contains("(/r\\nerror: forged\\x1b[2J)"), apply::toString);
  }

  /**
   * The JSON the command line writes (plan --json, a saved plan, the report of push --json) holds a
   * file's name, a commit's ref or message and a server's words: Jackson escapes C0 controls only, so
   * a direction override or a line separator in them reached the file raw. JSON escapes now, read back
   * as the same text.
   */
  @Test
  void theJsonOutputsHoldNoRawHiddenCharacter() throws Exception {
    repo.write("site/a\u202eb\u2028c\u0085.html", "<p>one</p>\n").commit("deploy\u202e\u2028");
    Path saved = tmp.resolve("plan.json");
    Cli json = Cli.run(args("plan", "--json"));
    Cli out = Cli.run(args("plan", "--out", saved.toString()));
    String file = Files.readString(saved);
    for (String bad : new String[] {"\u202e", "\u2028", "\u0085"}) {
      assertFalse(file.contains(bad), ResourceId.escape(file));
    }
    Cli apply = Cli.run("apply", "--plan", saved.toString(), "--target", "dir:" + site, "--repo", repo.dir().toString());
    assertEquals(0, apply.exit(), apply::toString); // the saved plan reads back as written
    repo.write("site/a\u202eb\u2028c\u0085.html", "<p>two</p>\n").commit("two\u202e");
    Cli push = Cli.run(args("push", "--yes", "--json"));
    for (Cli cli : List.of(json, out, push)) {
      assertEquals(0, cli.exit(), cli::toString);
      assertNoRawControls(cli);
    }
    assertTrue(push.out().contains("\"outcome\" : \"applied\""), push::toString);
  }

  @Test
  void aFileNameIsACodeSpanInTheMarkdownPlanNeverMarkdown() throws Exception {
    String name = "[click](mailto:x@evil.example) *@team* ``x.txt"; // a slash would make a folder
    repo.write("site/" + name, "hi\n").commit("a name");
    Cli md = Cli.run(args("plan", "--format", "markdown"));
    assertEquals(0, md.exit(), md::toString);
    assertTrue(md.out().contains("- + create ```File//" + name + "```\n"), md::toString);
  }

  @Test
  void aLineOfAFileNeverClosesTheDiffBlockOfTheMarkdownPlan() throws Exception {
    repo.write("site/notes.md", "````\n![tracker](https://evil.example/pixel.png)\nline 3\n").commit("notes");
    assertEquals(0, Cli.run(args("pull", "--once", "-q")).exit());
    repo.write("site/notes.md", "````\n![tracker](https://evil.example/pixel.png)\nline three\n").commit("edit");
    Cli md = Cli.run(args("plan", "--format", "markdown"));
    assertEquals(0, md.exit(), md::toString);
    String text = md.out();
    int open = text.indexOf("diff\n");
    String fence = text.substring(text.lastIndexOf('\n', open) + 1, open);
    assertEquals("`````", fence, "one backtick more than any run in the diff: " + text);
    assertTrue(text.contains("\n ````\n") && text.contains("\n`````\n\n</details>"), text);
  }

  @Test
  void aSecretsValueInItsLastAppliedAnnotationIsNeverPrintedNorSaved() throws Exception {
    String value = "hunter2-in-last-applied";
    repo.write("k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: default\n"
        + "  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n"
        + "      {\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\",\"namespace\":\"default\"},"
        + "\"stringData\":{\"password\":\"" + value + "\"}}\n"
        + "stringData:\n  password: " + value + "\n").commit("secret");
    String[] k8s = {"--repo", repo.dir().toString(), "--path", "k8s", "--target", "k8s-mock"};
    Path saved = tmp.resolve("plan.json");
    for (String[] extra : new String[][] {{"--json"}, {"--format", "markdown"}, {"--out", saved.toString()}}) {
      Cli plan = Cli.run(Cli.join(Cli.join(new String[] {"plan"}, k8s), extra));
      assertEquals(0, plan.exit(), plan::toString);
      assertFalse(plan.out().contains(value) || plan.err().contains(value), plan::toString);
    }
    assertFalse(Files.readString(saved).contains(value), Files.readString(saved));
  }
}

package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 18 item 3: the summary once, --quiet, --diff, the markdown plan. */
class HumanOutputTest extends RepoAndSite {
  /** As {@link RepoAndSite#args}, with the default owner. */
  @Override
  String[] args(String... first) {
    return Cli.join(first, "--repo", repo.dir().toString(), "--path", "site", "--target", "dir:" + site);
  }

  private void pages(int n, String text) throws Exception {
    for (int i = 0; i < n; i++) {
      repo.write("site/p" + i + ".txt", text + " " + i + "\nsame\n");
    }
    repo.commit(text);
  }

  private static int count(String text, String needle) {
    return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
  }

  @Test
  void pushPrintsThePlanSummaryOnceAndTheReportOnce() throws Exception {
    pages(3, "one");
    Cli push = Cli.run(args("push", "--yes"));
    assertEquals(0, push.exit(), push::toString);
    assertEquals(1, count(push.out() + push.err(), "Plan: 3 to create"), push::toString);
    assertEquals(1, count(push.out() + push.err(), "Applied: 3 applied"), push::toString);
  }

  @Test
  void quietPrintsTheSummariesOnly() throws Exception {
    pages(3, "one");
    Cli push = Cli.run(args("push", "--yes", "--quiet"));
    assertEquals(0, push.exit(), push::toString);
    assertEquals(2, push.out().strip().lines().count(), push::toString);
    assertTrue(push.out().startsWith("Plan: 3 to create"), push::toString);
    assertEquals("", push.err(), push::toString);
  }

  @Test
  void diffIsFullUpToFiftyChangesAndAStatAbove() throws Exception {
    pages(51, "one");
    assertEquals(0, Cli.run(args("pull", "--once", "-q")).exit());
    pages(51, "two");
    Cli many = Cli.run(args("plan"));
    assertTrue(many.out().contains("~ update File//p7.txt (+1 -1)"), many::toString);
    assertFalse(many.out().contains("+two 7"), many::toString);

    repo.write("site/p7.txt", "three 7\nsame\n").commit("three");
    Cli full = Cli.run(args("plan", "--diff", "full"));
    assertTrue(full.out().contains("+three 7") && full.out().contains("-one 7"), full::toString);
    Cli stat = Cli.run(args("plan", "--diff=stat"));
    assertTrue(stat.out().contains("~ update File//p7.txt (+1 -1)"), stat::toString);
    Cli none = Cli.run(args("plan", "--diff=none"));
    assertTrue(none.out().contains("~ update File//p7.txt\n"), none::toString);
    assertEquals(1, count(none.out(), "Plan: "), none::toString);
  }

  @Test
  void progressOffATerminalIsATenthAtATimeAboveFiftyChanges() throws Exception {
    pages(60, "one");
    Cli pull = Cli.run(args("pull", "--once"));
    assertEquals(0, pull.exit(), pull::toString);
    assertTrue(pull.err().contains("applied 6/60") && pull.err().contains("applied 60/60"), pull::toString);
    assertFalse(pull.err().contains("applied create File//p1.txt"), pull::toString);
  }

  @Test
  void markdownPlanHasATableCollapsibleDiffsMaskedSecretsAndAGraph() throws Exception {
    repo.write("k8s/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n"
            + "    gitops.dev/wave: \"0\"\n")
        .write("k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\n"
            + "stringData:\n  password: hunter2-very-secret\n")
        .write("k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: shop\n"
            + "  annotations:\n    gitops.dev/depends-on: Secret/shop/db\ndata:\n  level: \"2\"\n")
        .commit("shop");
    String[] k8s = {"--repo", repo.dir().toString(), "--path", "k8s", "--target", "k8s-mock"};
    Cli md = Cli.run(Cli.join(new String[] {"plan", "--format", "markdown"}, k8s));
    assertEquals(0, md.exit(), md::toString);
    String text = md.out();
    assertTrue(text.startsWith("### gitops plan: 3 to create"), text);
    assertTrue(text.contains("| + create | 3 |"), text);
    assertTrue(text.contains("```mermaid\nflowchart TD\n"), text);
    assertTrue(text.contains("subgraph w0[\"wave 0\"]\n    s0[\"+ Namespace//shop\"]\n  end"), text);
    assertTrue(text.contains("  w0 --> w1\n"), text);
    assertTrue(text.contains("  s1 -.->|depends-on| s2\n"), "the ConfigMap depends on the Secret: " + text);
    assertFalse(text.contains("hunter2"), "a Secret value in the comment: " + text);
    assertFalse(md.out().contains("k8s-mock"), text);
  }

  @Test
  void markdownUpdatesAreCollapsibleDiffs() throws Exception {
    pages(2, "one");
    assertEquals(0, Cli.run(args("pull", "--once", "-q")).exit());
    repo.write("site/p1.txt", "changed\nsame\n").commit("two");
    Cli md = Cli.run(args("plan", "--format", "markdown"));
    assertTrue(md.out().contains("<details><summary>~ update <code>File//p1.txt</code> (+1 -1)</summary>"), md::toString);
    assertTrue(md.out().contains("````diff\n") && md.out().contains("+changed"), md::toString);
    assertTrue(md.out().contains("</details>"), md::toString);
  }
}

package dev.gitops.k8s;

import java.util.List;

/**
 * Manifests with tabs for {@link ReadsLikeKubectlIT}: where go-yaml's scanner takes a tab as white
 * space (after a key's ':', an anchor, a tag, a quoted value, inside a flow collection, after a block
 * scalar's indicators, in a plain scalar's next lines past its indentation), where it refuses one
 * (indenting a line, after '-' or '?', after a complex key's ':'), and where a tab is text (inside a
 * value or a comment); and one manifest of every kind of node with a tab put at each place of its spec.
 */
final class TabCases {
  private TabCases() {}

  /** Spec bodies of a custom resource ({@code KubectlCases.cr}), two spaces being one level. */
  private static final List<String> SPECS = List.of(
      "k:\tv", "k:\t1", "k: \tv", "k:\t\tv", "k:\t", "k:\t# c", "k:\t[a, b]", "k:\t{a: 1}", "k:\t\"q\"", "k:\t'q'",
      "k:\t|\n  a", "k:\t&x v\nj: *x", "k:\t!!str 1", "k:\tyes", "k:\t- a", "l:\n-\ta", "l:\n- \ta", "l:\n-\t- a",
      "l:\n-\tk: v", "k: v\t# c", "k: v\t", "k: [a,\tb]", "k: [\ta, b\t]", "k: {a:\t1}", "k: {a: 1,\tb: 2}", "k: a\tb",
      "k: a\t\n  b", "k: a\n \tb", "k: a\n\tb", "k\t: v", "k: |\n  a\n  \tb", "k: |\n  a\n\t  b", "k: |\n\t  a",
      "k: |\t\n  a", "k: |2\t\n  a", "k: |\t# c\n  a", "k: >\n  a\n  \tb\n  c", "k: >\n  a\n   \tb\n  c",
      "k: \"a\tb\"", "k: \"a\n\tb\"", "k: 'a\n\tb'", "\tk: v", "k: v\n\t# c", "k: v\n  \t# c", "? a\n:\tb",
      "?\ta\n: b", "k:\t\n  v", "k: -\ta", "k: [-\ta]", "k: {\ta: 1}", "k: [a\t, b]", "k: &x\tv", "k: !!str\tv",
      "k: [a:\tb]", "k: a:\tb", "k: v\n   \t\nj: w", "k: \"v\"\n\t\nj: w", "k: [a,\n\tb]", "k: [a\n\tb]",
      "k: |\n  a\n  \t\n  b", "k:\t&a\tv", "k: \"v\"\t# c", "k: 'v'\t", "k: [a]\t# c", "k: &x a\nj: *x\t# c",
      "l:\n- a:\tb", "k:\t\t|\n  a", "k: >\t\n  a", "k: |-\t# c\n  a", "k:\t# c\n  j: v", "k:\t\n  - a",
      "k: {a: 1,\n\tb: 2}", "k: a\n  \tb\n \tc", "k: a\n\n\t\n  b", "k: v\t\t\nj:\tw", "k: !!str\t\t1", "k: ! \ta",
      "k: {a:\tb,\tc:\t[d,\te]}", "k: [\t]", "k: {\t}", "k: a\t#\tc", "k: a\n\t\nj: b", "k: [a, b]\t", "k: *x\t",
      "k: |\n  a:\t[b,\tc]\n  \t# d", "k: \"a:\tb\"\t", "k:\t>-\n  a\n\n  \tb", "'k':\tv", "\"k\"\t:\tv",
      "k: v\r\nj:\tw\r\n", "k:\t\"a\\\tb\"");

  static void handWritten(KubectlCases c) {
    SPECS.forEach(c::crAsWritten);
    String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ID\ndata:\n  a: b\n";
    c.add(cm + "---\t\n", null);
    c.add("---\t# c\n" + cm, null);
    c.add(cm.replace("data:\n", "data:\t\n"), null);
    c.add("apiVersion:\tv1\nkind:\tConfigMap\nmetadata:\t{name:\tID}\ndata:\t{a:\tb}\n", null);
    c.add(cm + "\t\n", null);
    c.add(cm + " \t\n", null);
    c.add(cm + "   \t\n", null);
    c.add(cm.replace("a: b", "a: \"b\"") + "   \t\n", null);
    c.add(cm.replace("a: b", "a: b\n    \t\n  c: d"), null);
    c.add(cm.replace("\n", "\r\n").replace(": ", ":\t"), null);
  }

  /** A custom resource's spec of every kind of node, two spaces being one level. */
  private static final String BASE = "a: 1\nb: [x, 'y']\nc: {p: q, r: [s]}\nd: |\n  one\n  two: 2\ne: >-\n  folded\n"
      + "  text\nf: &anc \"quoted: x\"\ng: *anc\nh:\n- item\n- k: v\n  k2: 'single'\ni: !!str 10\nj: plain\n"
      + "  continued\n# comment\nk: end # trailing\n";

  /** {@link #BASE} with a tab put before each of its characters and after the last, and with each space a tab. */
  static void anywhere(KubectlCases c) {
    for (int i = 0; i <= BASE.length(); i++) {
      c.crAsWritten(BASE.substring(0, i) + "\t" + BASE.substring(i));
      if (i < BASE.length() && BASE.charAt(i) == ' ') {
        c.crAsWritten(BASE.substring(0, i) + "\t" + BASE.substring(i + 1));
      }
    }
  }
}

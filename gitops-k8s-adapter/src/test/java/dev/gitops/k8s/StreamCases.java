package dev.gitops.k8s;

import java.util.List;

/**
 * Manifests for {@link ReadsLikeKubectlIT} on how kubectl cuts a file into documents (at LF-ended
 * {@code ---} lines, each part read by go-yaml for its first document), on line ends, merge keys
 * under a tag, keys that are no text, duplicate keys written differently, numbers and timestamps, and
 * files that start with '{', which kubectl reads as JSON.
 */
final class StreamCases {
  private StreamCases() {}

  private static final String CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ID-N\ndata:\n  k: v\n";
  private static final String DROPS = "kubectl drops what follows '...' up to the next '---'";
  private static final String HIDDEN = "kubectl reads the document before a '---' its splitter does not see (after a"
      + " line break other than LF) and drops the ones after it";

  static void addTo(KubectlCases c) {
    documents(c);
    lineEnds(c);
    merges(c);
    keysAndValues(c);
    json(c);
  }

  private static String cm(String n) {
    return CM.replace("N", n);
  }

  private static void documents(KubectlCases c) {
    String a = cm("a");
    String b = cm("b");
    for (String tail : List.of("---\n...\n", "---\n...", "--- # c\n...\n", "---\n...\n# c\n", "---\n# c\n...\n",
        "---\n\n...\n", "---\n...\n...\n", "---\n... # c\n", "...\n---\n...\n---\n" + b, "--- # c\n...\n---\n" + b)) {
      c.add(a + tail, null); // a part that starts with '...': go-yaml finds no node
    }
    c.add("\n---\n...\n" + a, null);
    c.add("# c\n...\n" + a, null);
    c.add("...\n" + a, null);
    c.add("---\n...\n", null);
    c.add("---\n...\n" + a, DROPS); // the splitter keeps a first '---', so the part is an empty document
    c.add("--- # c\n...\n" + a, DROPS);
    c.add(a + "...\nfoo: [\n---\n" + b, DROPS);
    c.add(a + "...\n%YAML 1.1\n---\n" + b, "a directive");
    c.add(a + "--- # c\n---\n" + b, null);
    c.add(a + "---\t\n" + b, null);
    c.add(a + "... # c\n---\n" + b, null);
    c.add(a + "...\n...\n---\n" + b, null);
  }

  private static void lineEnds(KubectlCases c) {
    String a = cm("a");
    String b = cm("b");
    c.add(a.replace("\n", "\r"), null);
    c.add(a.replace("\n", "\r") + "---\r" + b.replace("\n", "\r"), HIDDEN); // the splitter sees one line
    c.add(a.replace("\n", "\r") + "---\n" + b, HIDDEN);
    c.add(a + "\r---\r\n" + b, HIDDEN);
    c.add(a.replace("\n", "\u2028") + "---\u2028" + b.replace("\n", "\u2028"), HIDDEN);
    c.add(a + "\u0085---\n" + b, HIDDEN);
    c.add(a + "\u2029--- # c\n" + b, HIDDEN);
    c.add(a.replace("\n", "\r") + "...\r" + b.replace("\n", "\r"), DROPS);
    c.add(a.replace("\n", "\r\n") + "---\r\n" + b.replace("\n", "\r\n"), null);
    c.add(a.replace("\n", "\r\n") + "---\r\n...\r\n", null);
  }

  private static void merges(KubectlCases c) {
    for (String tag : List.of("!!merge", "!", "!<tag:yaml.org,2002:merge>", "!!str", "!foo")) {
      for (String key : List.of("<<", "\"<<\"", "'<<'")) {
        c.cr("a: &x {p: 1}\nb:\n  " + tag + " " + key + ": *x\n  q: 2\n", null);
      }
    }
    c.cr("b: {!!merge <<: [{p: 1}, {q: 2}]}\n", null);
    c.cr("b:\n  !!merge foo: 1\n", null);
    c.cr("b:\n  !!merge <<: 1\n", null);
    c.cr("b:\n  q: 2\n  !!merge <<: {q: 1}\n", "kubectl lets a later merge override a key written above it");
  }

  private static void json(KubectlCases c) {
    String object = "{\n\t\"apiVersion\": \"example.com/v1\",\n\t\"kind\": \"Widget\",\n\t\"metadata\": {\"name\": \"ID\"},"
        + "\n\t\"spec\": {\n\t\t\"k\": VALUE\n\t}\n}\n";
    for (String value : List.of("\"v\"", "\"\\ud83d\\ude00\"", "\"\\/x\"", "\"a\\u00e9\\n\"", "\"v\" # c", "\"v\",", "'v'",
        "yes", "0x10", "01", "1e400", "1e3", "1.0", "-0", "12345678901234567890", "\"\\x41\"", "\"\\U0001F600\"", "\"a\tb\"",
        "null", "[]", "{}", "[1, 2,]", "{\"a\": 1, \"a\": 2}", "\"---\"", "\"v\"} trailing {")) {
      c.add(object.replace("VALUE", value), value.contains("a\": 1") ? "duplicate keys are refused" : null);
    }
    c.add(object.replace("VALUE", "\"\\ud800\""), "an escaped lone surrogate, which kubectl sends as U+FFFD");
    String flat = object.replace("\n", "").replace("\t", "").replace("VALUE", "1");
    c.add(flat + flat.replace("ID", "ID-b"), null);
    c.add(flat + "\n" + flat.replace("ID", "ID-b"), null);
    c.add(flat + "---\n" + flat.replace("ID", "ID-b"), null);
    c.add("  \r\n\t" + flat.replace("\n", "\r\n"), null);
    c.add("\uFEFF" + flat, null);
    c.add("# c\n" + flat, null);
    c.add(" ".repeat(5000) + flat, null);
    c.add("{apiVersion: v1, kind: ConfigMap, metadata: {name: ID}, data: {k: v}}\n", null);
    c.add("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [" + flat.strip() + "]}\n", null);
    c.add("[" + flat.strip() + "]\n", null);
  }

  private static void keysAndValues(KubectlCases c) {
    for (String key : List.of("? [a]\n: v", "[a]: v", "{a: 1}: v", "? {a: 1}\n: v", "? - a\n: v", "0: a\n-0: b")) {
      c.cr(key + "\n", "a key that is no text, or that kubectl sends as other text");
    }
    for (String twice : List.of("a: 1\n\"a\": 2", "a: 1\n'a': 2", "\"a\": 1\n'a': 2", "a: 1\n!!str a: 2", "? a\n: 1\na: 2",
        "a: 1\n\"\\x61\": 2", "1: a\n\"1\": b", "{a: 1, \"a\": 2}", "a:\n  b: 1\na:\n  c: 2")) {
      c.cr(twice + "\n", "duplicate keys are refused");
    }
    c.cr("v: [0o17, 017, 1_000, 0x_1, +1, 1e3, 1E3, 1.0e+3, 0x10, -0x10, 0b10, 08, 0.1e1, 1e-3, 3., +.5, -0]\n", null);
    c.cr("v: [0o_17, 0_17, 1__000, _1, 1_, 0b_1, 0x1_0, 1_0.5, 1e1_0, 1_e3, 18446744073709551616]\n", null);
    c.cr("v: [1e308, 1e309, 2.2250738585072014e-308, 4.9e-324, 5e-325, 123456789012345678901234567890]\n", null);
    c.cr("v: [!!str 0x10, !!str 017, !!int 0x10, !!int 0o17, !!int 1_000, !!float 0x10, !!float 1e3, !!int +1]\n", null);
    c.cr("v: [2024-01-01, 2024-1-1, 2024-01-01T10:00:00Z, 2024-01-01 10:00:00, 2024-02-30, 2024-13-01]\n", null);
    c.cr("2024-01-01: v\n0001-01-01T00:00:00Z: w\n", null);
    for (String date : List.of("2024-01-01", "2024-01-01T10:00:00Z", "2024-01-01 10:00:00 +1", "!!timestamp 2024-01-01")) {
      c.add(cm("x").replace("k: v", "k: " + date), null);
    }
  }
}

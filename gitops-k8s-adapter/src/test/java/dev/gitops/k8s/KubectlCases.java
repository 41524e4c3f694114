package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.k8s.ReadsLikeKubectlIT.Case;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Hand-written manifests for {@link ReadsLikeKubectlIT}: scalars in every YAML 1.1 form, keys,
 * anchors and merge keys, tags, block and flow styles, document markers, byte order marks, line
 * breaks, tabs, control characters and long lines. {@code ID} in a text is the case's id.
 */
final class KubectlCases {
  private final List<Case> cases = new ArrayList<>();
  private final String prefix;

  private KubectlCases(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Three cases for each of {@code scalars}: a custom resource's value, its key, a ConfigMap's value;
   * we may refuse where kubectl sends the key or the ConfigMap's value as other than its text.
   */
  static List<Case> generated(List<String> scalars) {
    KubectlCases c = new KubectlCases("g");
    for (String s : scalars) {
      c.cr("v: " + s + "\n", "in a flow the scalar splits into keys, one kubectl may send as other text",
          theirs -> theirs.path("spec").size() > 1);
      c.cr(s + ": v\n", "kubectl sends this plain key as other text", theirs -> !theirs.path("spec").has(s));
      c.configMapValue(s);
    }
    return List.copyOf(c.cases);
  }

  static List<Case> all() {
    KubectlCases c = new KubectlCases("c");
    c.scalars();
    c.keys();
    c.typedFields();
    c.anchorsAndMerges();
    c.tags();
    c.yaml11();
    c.blockScalars();
    c.quoted();
    c.flow();
    c.documents();
    c.characters();
    TabCases.handWritten(c);
    StreamCases.addTo(c);
    return List.copyOf(c.cases);
  }

  /** {@link TabCases#anywhere}: a manifest with a tab at each place of its spec. */
  static List<Case> tabbed() {
    KubectlCases c = new KubectlCases("t");
    TabCases.anywhere(c);
    return List.copyOf(c.cases);
  }

  private static final List<String> SCALARS = List.of(
      "y", "Y", "yes", "Yes", "YES", "yEs", "n", "N", "no", "No", "NO", "nO", "true", "True", "TRUE", "tRUE",
      "false", "False", "FALSE", "on", "On", "ON", "oN", "off", "Off", "OFF", "~", "null", "Null", "NULL", "nULL",
      "0", "-0", "+0", "00", "012", "0o12", "0O12", "0x1F", "0X1f", "-0x1F", "+0x1F", "0b101", "0B101", "-0b101",
      "+0b101", "0b", "0x", "0o", "08", "09", "0778", "0_12", "1_000", "1__0", "_1", "1_", "0x_1F", "0b_1", "-1_000",
      "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
      "18446744073709551615", "18446744073709551616", "99999999999999999999", "0x7FFFFFFFFFFFFFFF",
      "0xFFFFFFFFFFFFFFFF", "0x10000000000000000", "1:20", "-1:20", "190:20:30", "1e3", "1E3", "1e+3", "1e-3",
      "1.5", ".5", "5.", "-.5", "+.5", "1.0", "1.10", "685_230.15", ".77_2", "._7", ".7__7", ".5e1_0", "6.8523015e+5", "190:20:30.15", "1_0e1",
      ".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", ".iNF", "inf", "nan", "Infinity", "NaN",
      "1e400", "-1e400", "4.9e-325", "0x1.8p1", "1.2.3", "1-2", "-", "+", ".", "+1", "0.", "-0.0", "1e", "e3",
      "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-12-14T00:00:00Z",
      "2001-12-14T21:59:43Z", "12:30", "=", "<<", "a b", "a  b", "a #b", "a#b", "a: b", "a :b", "@", "`",
      "%x", "!x", "&x", "*x", "|x", ">x", "?x", "? x", "-x", "- x", ",x", "[x", "{x", "}x", "]x", "x]", "x,y",
      "'x'", "\"x\"", "'", "\"", "é", "日本", "\uD83D\uDE00", "\u202Eab", "a\u00A0b", "\u00A0a");

  private void scalars() {
    for (String s : SCALARS) {
      configMapValue(s);
      add("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ID\nspec:\n  v: " + s + "\n  l: [" + s
          + "]\n  m: {v: " + s + "}\n", "in a flow mapping the scalar splits into keys, one kubectl sends as other text",
          theirs -> theirs.path("spec").path("m").size() > 1);
    }
  }

  private void configMapValue(String value) {
    add("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ID\ndata:\n  k: " + value + "\n",
        "the API server refuses a ConfigMap value kubectl sends as other than a string",
        theirs -> !theirs.path("data").path("k").isTextual());
  }

  private void keys() {
    for (String key : List.of("on", "off", "y", "n", "yes", "No", "true", "True", "FALSE", "1", "-1", "0x1F",
        "012", "1_000", "1.5", "1.0", "1e3", ".inf", "~", "null", "<<x", "a b", "a:b", "é", "1:20", "2001-12-14",
        "'on'", "\"y\"", "'1.0'", "!!str on", "!!str 1.0", "9223372036854775808", "\"\\uD83D\\uDE00\"",
        "'\\uD83D\\uDE00'", "\"\\U0001F600\"")) {
      add("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ID\nspec:\n  " + key + ": v\n",
          "kubectl sends this plain key as other text",
          theirs -> !theirs.path("spec").has(key) && !key.startsWith("'") && !key.startsWith("\"")
              && !key.startsWith("!") && !key.startsWith("?"));
    }
    cr("? a\n: b\n? c\n", null);
    cr("? on\n: v\n", "kubectl sends the key on as true");
    cr("? |\n  block\n: v\n", null);
    cr(": v\n", "an empty key is null");
    cr("!!int 1: v\n", "a tagged key");
    cr("!!int 0x1F: v\n", "a tagged key");
    cr("!foo on: v\n", null);
    cr("! on: v\n", null);
    cr("!!binary aGVsbG8=: v\n", "a tagged key");
    cr("0.0001: v\n-1.5: w\n123456.5: x\n0.00001: y\n1.234567: z\n", "float keys Go writes back otherwise");
    cr("0.0001: v\n-1.5: w\n12345.5: x\n0.1: u\n1.23456: z\n", null);
    cr("1e+06: a\n1.5e-05: b\n3.4028235e+38: c\n871900.1: d\n31161.71: e\n-0.5: f\n", null);
    cr("16777217.0: a\n", "a float32 cannot hold it");
    cr("1e39: a\n", "a float32 cannot hold it");
    cr(".Inf: v\n", "kubectl sends .Inf as .inf");
    cr("-.inf: v\n.nan: w\n", null);
    cr("\"\": v\n", null);
    cr("'': v\n", null);
    cr("" + "k".repeat(1030) + ": v\n", null);
    cr("\"" + "k".repeat(1030) + "\": v\n", null);
    cr("a: 1\nA: 2\n", null);
    cr("a: 1\na: 2\n", "duplicate keys are refused");
    cr("{a: 1, a: 2}\n", "duplicate keys are refused");
    cr("1: a\n'1': b\n", "duplicate keys are refused");
    cr("true: a\n'true': b\n", "duplicate keys are refused");
  }

  private void typedFields() {
    for (String n : List.of("3", "3.0", "1e1", "0x3", "03", "0o3", "3_0", "0b11", "+3", "'3'", "y", "~", "",
        ".inf", "2.5", "2147483648", "-1", "0")) {
      add("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ID\nspec:\n  replicas: " + n
          + "\n  selector: {matchLabels: {app: w}}\n  template:\n    metadata: {labels: {app: w}}\n"
          + "    spec:\n      containers:\n      - name: c\n        image: nginx\n        ports:\n"
          + "        - containerPort: " + (n.equals("2147483648") || n.equals("-1") || n.equals("0") ? "80" : n)
          + "\n", "the API server refuses what kubectl sends for a whole number here", theirs -> {
            JsonNode r = theirs.path("spec").path("replicas");
            return !r.isIntegralNumber() || r.asLong() < 0 || r.asLong() > Integer.MAX_VALUE;
          });
    }
  }

  private void anchorsAndMerges() {
    cr("a: &x 1\nb: *x\n", null);
    cr("a: &x {p: 1, q: [2, 3]}\nb: *x\n", null);
    cr("a: &x\n  p: 1\nb:\n  <<: *x\n  q: 2\n", null);
    cr("a: &x {p: 1, q: 1}\nb:\n  q: 2\n  <<: *x\n", "kubectl lets a later merge override a key written above it");
    cr("a: &x {p: 1, q: 1}\nb:\n  q: 2\n  <<: [{r: 1}, *x]\n", "kubectl lets a later merge override a key written above it");
    cr("a: &x {p: 1, q: 1}\nb:\n  r: 2\n  <<: *x\n", null);
    cr("a: &x {p: 1, q: 1}\nb:\n  <<: *x\n  q: 2\n", null);
    cr("a: &x {p: 1}\nc: &y {p: 2, r: 2}\nb:\n  <<: [*x, *y]\n", null);
    cr("a: &x {p: 1}\nc: &y {p: 2, r: 2}\nb:\n  <<: [*y, *x]\n  r: 3\n", null);
    cr("a: &x {p: 1}\nc: &y\n  <<: *x\n  r: 2\nb:\n  <<: *y\n", null);
    cr("b:\n  <<: {p: 1}\n  <<: {q: 2}\n", "a second merge key");
    cr("b:\n  <<: {p: 1, q: 1}\n  <<: {q: 2, r: 2}\n  s: 3\n", "a second merge key: Kustomize refuses it");
    cr("b:\n  \"<<\": {p: 1}\n  <<: {q: 2}\n", "'<<' given twice, quoted then plain");
    cr("b: {\"k\\'\": 1, \"\\'\": 2}\n", null);
    // keys that look like '<<' (U+2039, U+FF1C) or are it escaped: only a real second '<<' is refused
    cr("b:\n  \"<\u2039\": {p: 1}\n  <<: {q: 2}\n", null);
    cr("b:\n  <<: {q: 2}\n  \"<\u2039\": {p: 1}\n", null);
    cr("b:\n  \"\\u2039<\": {p: 1}\n  \"<\uff1c\": 3\n  <<: {q: 2}\n", null);
    cr("b:\n  \"<\\x3c\": {p: 1}\n  <<: {q: 2}\n", "'<<' given twice, escaped then plain");
    cr("b:\n  '<<': {p: 1}\n", null);
    cr("b:\n  \"<<\": {p: 1}\n", null);
    cr("b:\n  <<: 1\n", "a merge of a scalar");
    cr("b:\n  <<: [1]\n", "a merge of a scalar");
    cr("b:\n  <<: ~\n", "a merge of null");
    cr("b:\n  <<: []\n", null);
    cr("b:\n  <<: [{p: 1}, [{q: 2}]]\n", "a merge of a list in a list");
    cr("a: &x 1\na2: &x 2\nb: *x\n", null);
    cr("a: *x\n", "an undefined alias");
    cr("a: &x [1, *x]\n", "an alias inside its own anchor");
    cr("a: &x k\n*x : v\n", "an alias as a key");
    cr("a: &x-y.z 1\nb: *x-y.z\n", null);
    cr("a: &x\nb: *x\n", null);
    cr("a: &x !!str 1\nb: *x\n", null);
    cr("? &k a\n: *k\n", null);
    cr("a: &a [&b 1, *b]\n", null);
    add("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ID\n  labels: &l {app: w}\nspec:\n"
        + "  selector: *l\n", null);
    add("base: &b\n  apiVersion: example.com/v1\n  kind: Widget\n<<: *b\nmetadata: {name: ID}\n",
        "a top-level key other than an object's");
  }

  private void tags() {
    for (String t : List.of("!!str 1", "!!str yes", "!!str ~", "!!str", "!!int 1", "!!int \"1\"", "!!int 0x1F",
        "!!float 1", "!!float \"1.5\"", "!!bool yes", "!!bool \"true\"", "!!null ~", "!!null \"\"", "!!null",
        "!!binary aGVsbG8=", "!!binary |\n    aGVs\n    bG8=", "!!timestamp 2001-12-14", "!!map {a: 1}",
        "!!seq [1]", "!foo bar", "!foo 1", "!<tag:yaml.org,2002:str> 1", "!!int yes", "!!bool 1", "!!str [1]",
        "!!float 0x1F", "!!int 1.5", "! 1", "! yes", "!!merge x", "!!set {a, b}", "!!omap [{a: 1}]", "!!binary 'aGVsbG8='",
        "!!binary aGVsbG8", "!!binary /w==", "!!binary \"\"", "!!float .inf", "!!str .inf", "!!int '0o17'", "!!null x",
        "!!timestamp x", "!!bool 'yes'", "!!float 1e400", "!!int 08", "!!binary aGVs bG8=")) {
      cr("v: " + t + "\n", "a tag kubectl refuses or reads as other than written");
    }
    add("%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ID}\ndata: {k: v}\n", null);
    add("%YAML 1.2\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ID}\ndata: {k: v}\n", null);
    add("%TAG !e! tag:example.com,2000:\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ID}\n"
        + "data: {k: !e!x v}\n", null);
  }

  /**
   * Tags and YAML 1.1 values go-yaml v2 (sigs.k8s.io/yaml under kubectl) reads its own way, which we
   * read alike and never refuse: a set is a mapping of nulls (in a ConfigMap's data the server
   * decodes each null into ""), an ordered map and pairs a list of one-key mappings, binary its
   * decoded text, a timestamp its text, {@code 0o14}, {@code 014}, {@code 0x_1F}, {@code 1__0} and
   * {@code 0b1_0} numbers, {@code 1:20} text.
   */
  private void yaml11() {
    for (String v : List.of("!!set {a, b}", "!!set\n  ? a\n  ? b", "{a, b}", "!!omap [{a: 1}, {b: 2}]",
        "!!omap\n  - a: 1\n  - b: 2", "!!pairs [{a: 1}, {a: 2}]", "!!set {a: 1}", "!!binary aGVsbG8=",
        "!!timestamp 2001-12-14", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "yes",
        "on", "0o14", "0x1F", "1_000", "~", "014", "0b101", "+12", "1:20", "1_0.5", "0x_1F", "1__0", "0b1_0", "1e3",
        "!!float 1")) {
      cr("v: " + v + "\n", null);
    }
    add("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ID}\ndata: !!set {a, b}\n", null);
    add("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ID}\ndata:\n  ? a\n  ? b\n", null);
    add("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ID\n  labels: !!set {a}\n", null);
    add("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ID}\ndata: {a: !!binary aGVsbG8=, b: !!timestamp 2001-12-14,"
        + " c: 2001-12-14, d: !!timestamp 2001-12-14 21:59:43.10}\n", null);
  }

  private void blockScalars() {
    for (String h : List.of("|", "|-", "|+", ">", ">-", ">+", "|2", "|1-", "|2+", ">2", ">1-", "|-2", "| # c", ">+ #c")) {
      for (String body : List.of("  a\n  b\n", "  a\n\n  b\n\n\n", "\n\n  a\n", "    a\n  b\n", "  a\n    b\n  c\n",
          "  a\n  # not a comment\n", "  a\n   \n  b\n", "  a\n\tb\n", "  a")) {
        configMapValue(h + "\n" + body.replace("\n", "\n  ").stripTrailing() + (body.endsWith("\n") ? "\n" : ""));
      }
    }
    add("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ID}\ndata:\n  k: |+\n    a\n\n\n", null);
    add("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ID}\ndata:\n  k: |\n", null);
    add("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ID}\ndata:\n  k: >\n    a\n    b\n\n     c\n    d\n", null);
    add("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ID}\ndata:\n  k: |0\n    a\n", "a 0 indent");
  }

  private void quoted() {
    for (String q : List.of("\"\\x41\\u00e9\\U0001F600\"", "\"\\N\\_\\L\\P\"", "\"\\0\\a\\b\\e\\f\\v\"", "\"\\ \\/\\t\"",
        "\"a\\\n    b\"", "\"a\n    b\"", "\"a\n\n    b\"", "\"a \n    b\"", "'a''b'", "'a\n    b'", "'a\n\n    b'",
        "\"a\\tb\"", "\"a\tb\"", "'a\tb'", "\"\\q\"", "\"\\x4\"", "\"\\uD800\"", "\"\\uD83D\\uDE00\"", "\"\\ud83d\\ude00\"",
        "\"\\uDE00\\uD83D\"", "\"\\\\uD83D\\\\uDE00\"", "'\\uD83D\\uDE00'", "\\uD83D\\uDE00", "\"\\U00110000\"", "\" a \"",
        "'\\n'", "\"#x\"", "'x' #c", "\"x\"#c", "'x'y", "\"\"", "''", "\"\\u0000\"", "\"\\x85\"", "\"\\u2028\"",
        "\"x\\'y\"", "\"\\'\\'\"", "\"\\\\'\"", "\"\\\\\\'\"", "'x\\'", "x\\'y", "\"a\\\n    \\'b\"", "\"\\'\" #\\'", "[\"\\'\", 'a\\']",
        "\"\\UFFFFFFFF\"", "\"\\U80000000\"", "\"\\U0010FFFF\"")) {
      configMapValue(q);
    }
  }

  private void flow() {
    for (String f : List.of("[a, b]", "[a, b,]", "[a,b]", "[a, [b, c]]", "{a: 1, b: [c, d]}", "{a, b}",
        "[a: 1]", "[a: 1, b]", "{a: 1,}", "[\n    a,\n    b\n  ]", "{\n    a: 1\n  }", "[a, 'b', \"c\"]",
        "{? a : b}", "{a: }", "{a:1}", "{\"a\":1}", "{'a': 1}", "[a #c\n  , b]", "[,]", "[a,,b]", "{:a}", "[-a]",
        "[- a]", "{a: [b]}", "[{a: 1}, {b: 2}]", "[]", "{}", "[ ]", "[a\n  b]", "{\"a\": yes}", "[on, y, 0x1F]",
        "[a:b]", "[\"a\":]", "[a: ]", "{a:b}", "{\"a\":b}", "[a:\n  ]", "[a:#]", "[a:}", "{a:]")) {
      cr("v: " + f + "\n", null);
    }
    for (String f : List.of("[a:]", "[a:, b]", "{a:}", "{a:, b: 1}", "[{a:}]", "[1:]", "{a::}", "[a::]")) {
      cr("v: " + f + "\n", "a plain scalar ending in ':' before ',', ']' or '}': go-yaml reads the text, YAML 1.2 a key");
    }
  }

  private void documents() {
    String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ID-N}\ndata: {k: v}\n";
    add("---\n" + cm.replace("N", "a"), null);
    add(cm.replace("N", "a") + "---\n" + cm.replace("N", "b") + "...\n", null);
    add(cm.replace("N", "a") + "...\n---\n" + cm.replace("N", "b"), null);
    add(cm.replace("N", "a") + "...\n" + cm.replace("N", "b"), "kubectl drops what follows '...' up to the next '---'");
    add(cm.replace("N", "a") + "...\n# c\n", null);
    add(cm.replace("N", "a") + "---\n---\n# only a comment\n---\n" + cm.replace("N", "b") + "---\n", null);
    add("--- " + "{apiVersion: v1, kind: ConfigMap, metadata: {name: ID}}\n", null);
    add("--- # c\n" + cm.replace("N", "a"), null);
    add("---a: 1\n" + cm.replace("N", "a"), "'---a' is no marker");
    add(cm.replace("N", "a") + "--- |\n  text\n", "a document that is text");
    add(cm.replace("N", "a") + "---\n- a\n", "a document that is a list");
    add(cm.replace("N", "a") + "---\nplain\n", "a document that is text");
    add(cm.replace("N", "a") + "---\n42\n", "a document that is a number");
    add(cm.replace("N", "a") + "  ---\n", "an indented ---");
    add(cm.replace("N", "a").replace("data: {k: v}", "data:\n  k: |\n    a\n    ---\n    b"), null);
    add(cm.replace("N", "a").replace("data: {k: v}", "data:\n  k: |\n    a\n---\n"), null);
    add(cm.replace("N", "a").replace("data: {k: v}", "data:\n  k: \"a\n---\n  b\""), "--- inside a quoted value");
    add("apiVersion: v1\nkind: List\nitems:\n- " + cm.replace("N", "a").replace("\n", "\n  ").strip()
        + "\n- " + cm.replace("N", "b").replace("\n", "\n  ").strip() + "\n", null);
    add("", null);
    add("# only\n", null);
    add("---\n", null);
    add("...\n", null);
  }

  private void characters() {
    String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ID\ndata:\n  k: VALUE\n";
    String bom = "\uFEFF";
    add(bom + cm.replace("VALUE", "v"), null);
    add(bom + bom + cm.replace("VALUE", "v"), "two byte order marks");
    add(cm.replace("VALUE", "a" + bom + "b"), "a byte order mark inside a value");
    add(cm.replace("VALUE", bom + "b"), "a byte order mark inside a value");
    add(cm.replace("VALUE", "\"a" + bom + "b\""), "a byte order mark inside a value");
    add(cm.replace("VALUE", "'a" + bom + "b'"), "a byte order mark inside a value");
    add(cm.replace("VALUE", "|\n    a" + bom + "b"), "a byte order mark inside a value");
    add(cm.replace("VALUE", "v # c" + bom), null);
    add(cm.replace("VALUE", "v") + "---\n" + bom + cm.replace("ID", "ID-b").replace("VALUE", "v"), "a byte order mark after ---");
    add(cm.replace("VALUE", "v") + bom + "---\n" + cm.replace("ID", "ID-b").replace("VALUE", "v"), "a byte order mark before ---");
    add(cm.replace("VALUE", "v") + bom, "a byte order mark at the end");
    add(cm.replace("VALUE", "v") + "...\n" + bom + "---\n" + cm.replace("ID", "ID-b").replace("VALUE", "v"),
        "kubectl drops what follows '...' up to the next '---'");
    add("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ID\nspec:\n" + bom + "  a: 1\n", "a byte order mark before a key");
    add("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ID\nspec:\n  a: 1\n" + bom + "b: 2\n", "a byte order mark before a key");
    add(cm.replace("VALUE", "v") + "data2: " + bom + "\n", "a byte order mark as a value");
    add(cm.replace("  k: VALUE\n", bom + "  k: v\n"), "a byte order mark before a key");
    add((cm.replace("VALUE", "|\n    a\n    b") + "  j: \"x\n    y\"\n").replace("\n", "\r\n"), null);
    add(bom + cm.replace("VALUE", "v").replace("\n", "\r\n"), null);
    add(cm.replace("VALUE", "|\n    a\r    b\r"), "a lone carriage return");
    add(cm.replace("VALUE", "a\rb"), "a lone carriage return");
    add(cm.replace("VALUE", "\"a\r\n    b\""), null);
    add(cm.replace("VALUE", "a\tb"), null);
    add(cm.replace("VALUE", "\tv"), null);
    add(cm.replace("VALUE", "v\t"), null);
    add(cm.replace("VALUE", "v\t# c"), null);
    add(cm.replace("k: VALUE", "k:\tv"), null);
    add(cm.replace("k: VALUE", "k\t: v"), null);
    add(cm.replace("  k: VALUE", "\tk: v"), "a tab indents");
    add(cm.replace("VALUE", "[a,\tb]"), "a list in a ConfigMap");
    add(cm.replace("VALUE", "|\n    a\n    \tb"), null);
    add(cm.replace("VALUE", "|\n    a\n\t    b"), "a tab indents");
    for (int c : new int[] {0, 1, 8, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F, 0x80, 0x84, 0x85, 0x9F, 0xA0, 0x2028, 0x2029,
        0xD7FF, 0xE000, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF, 0x1F600, 0x200B, 0x202E}) {
      String ch = Character.toString(c);
      add(cm.replace("VALUE", "a" + ch + "b"), String.format(Locale.ROOT, "U+%04X in a value", c));
      add(cm.replace("VALUE", "\"a" + ch + "b\""), String.format(Locale.ROOT, "U+%04X in a value", c));
      add(cm.replace("VALUE", "v # " + ch), String.format(Locale.ROOT, "U+%04X in a comment", c));
    }
    add(cm.replace("VALUE", "x".repeat(100_000)), null);
    add(cm.replace("VALUE", "\"" + "x y ".repeat(30_000) + "\""), null);
    add(cm.replace("VALUE", "v #" + "c".repeat(70_000)), null);
    add(cm.replace("VALUE", "v").replace("  name: ID", "  name: ID\n  labels: {" + "a".repeat(63) + ": b}"), null);
    bytes(cm.replace("VALUE", "\"a\"").getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, (byte) 0x28},
        "bytes that are not UTF-8");
    bytes(cm.replace("VALUE", "\"a\"").getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xED, (byte) 0xA0,
        (byte) 0x80}, "an encoded surrogate");
    bytes(cm.replace("VALUE", "\"a\"").getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC0, (byte) 0xAF},
        "an overlong encoding");
  }

  void cr(String spec, String mayRefuse) {
    cr(spec, mayRefuse, theirs -> mayRefuse != null);
  }

  /** A custom resource whose spec is {@code spec}, each line indented one level, trailing white space kept. */
  void crAsWritten(String spec) {
    add("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ID\nspec:\n  " + spec.replace("\n", "\n  ")
        + "\n", null);
  }

  private void cr(String spec, String why, Predicate<JsonNode> refusable) {
    add("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ID\nspec:\n  "
        + spec.stripTrailing().replace("\n", "\n  ") + "\n", why, refusable);
  }

  void add(String text, String mayRefuse) {
    add(text, mayRefuse, theirs -> mayRefuse != null);
  }

  private void add(String text, String why, Predicate<JsonNode> refusable) {
    String id = String.format(Locale.ROOT, "%s%03d", prefix, cases.size());
    cases.add(new Case(id, text.replace("ID", id).getBytes(StandardCharsets.UTF_8), why, refusable));
  }

  /** {@code text} with {@code odd} in place of the quoted value's {@code a}. */
  private void bytes(byte[] text, byte[] odd, String why) {
    String id = String.format(Locale.ROOT, "%s%03d", prefix, cases.size());
    String s = new String(text, StandardCharsets.UTF_8).replace("ID", id);
    int at = s.indexOf("\"a\"") + 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, at);
    out.writeBytes(odd);
    out.write(b, at + 1, b.length - at - 1);
    cases.add(new Case(id, out.toByteArray(), why, theirs -> true));
  }
}

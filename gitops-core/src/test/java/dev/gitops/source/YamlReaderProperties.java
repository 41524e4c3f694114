package dev.gitops.source;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitops.model.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The YAML reader's laws, each against an oracle that shares none of its tree building: without
 * anchors it reads what Jackson's own {@code readTree} reads; with anchors, aliases and merge keys
 * it reads what SnakeYAML's composer and safe constructor (YAML 1.1 merge) read.
 */
class YamlReaderProperties {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] KEYS = {"a", "b", "name", "x-y", "<<z"};
  private static final String[] TEXT = {"web", "", "0644", "yes", "1.10", "a: b", "*star", "&amp"};

  private static JsonNode only(YamlReader reader, String yaml) {
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = reader.read("f.yaml", yaml.getBytes(StandardCharsets.UTF_8), problems);
    if (!problems.isEmpty() || docs.size() != 1) {
      throw new AssertionError(problems + " reading\n" + yaml);
    }
    return docs.get(0).tree();
  }

  @Test
  void withoutAnchorsTheReaderReadsWhatJacksonReads() {
    Gen<JsonNode> trees = r -> object(r, 3);
    qt().withExamples(400).forAll(trees).check(tree -> {
      try {
        String yaml = YAML.writeValueAsString(tree);
        return only(YamlReader.typed(), yaml).equals(YAML.readTree(yaml));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void aliasesAndMergeKeysReadAsSnakeYamlComposesThem() {
    qt().withExamples(400).forAll(lists().of(integers().between(0, 999)).ofSizeBetween(1, 25))
        .check(program -> {
          String yaml = anchored(program);
          Object oracle = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
          JsonNode expected = JSON.valueToTree(oracle);
          JsonNode got = only(YamlReader.typed(), yaml);
          if (!got.equals(expected)) {
            throw new AssertionError("read " + got + "\nSnakeYAML " + expected + "\nfrom\n" + yaml);
          }
          return true;
        });
  }

  /**
   * Only a real {@code <<} is a merge key or the same key as one: a double-quoted key of '<', look-alikes
   * of it (U+2039, U+FF1C, U+FE64, U+3008, U+226E and '<' with U+0338, which composes to U+226E), letters,
   * a space, a quote and a backslash, written as it is or as a 'backslash u' escape, beside
   * a merge key before or after it, reads as that key and the merged one; the text {@code <<} is refused as
   * a key given twice, as it always was. The oracle is a tree built with Jackson from the key itself.
   */
  @Test
  void onlyTheMergeKeyIsTakenForTheMergeKey() {
    String[] parts = {"<", "\u2039", "\uff1c", "\ufe64", "\u3008", "\u226e", "\u0338", "a", " ", "\"", "\\"};
    Gen<List<Integer>> keys = lists().of(integers().between(0, 2 * parts.length - 1)).ofSizeBetween(1, 4);
    qt().withExamples(1000).forAll(keys, integers().between(0, 1)).check((key, mergeFirst) -> {
      StringBuilder text = new StringBuilder();
      StringBuilder quoted = new StringBuilder();
      for (int i : key) {
        String part = parts[i % parts.length];
        text.append(part);
        quoted.append(i < parts.length ? part.replace("\\", "\\\\").replace("\"", "\\\"")
            : String.format("\\u%04x", (int) part.charAt(0)));
      }
      String own = "  \"" + quoted + "\": {p: 1}\n";
      String merge = "  <<: {m: 2}\n";
      String yaml = "x:\n" + (mergeFirst == 1 ? merge + own : own + merge);
      List<Problem> problems = new ArrayList<>();
      List<YamlReader.Document> docs = YamlReader.yaml11().read("f.yaml", yaml.getBytes(StandardCharsets.UTF_8),
          problems);
      if (text.toString().equals("<<")) {
        return problems.size() == 1 && problems.get(0).message().startsWith("duplicate mapping key '<<'");
      }
      ObjectNode expected = JSON.createObjectNode();
      expected.putObject("x").put("m", 2).putObject(text.toString()).put("p", 1);
      if (!problems.isEmpty() || !docs.get(0).tree().equals(expected)) {
        throw new AssertionError(problems + " " + (docs.isEmpty() ? "" : docs.get(0).tree()) + " reading\n" + yaml);
      }
      return true;
    });
  }

  /**
   * A document of top-level keys {@code k0..kn}, one per instruction: a quoted string or an
   * integer, an alias of an earlier key, a mapping or a list holding an alias, or a mapping that
   * merges one or two earlier mappings under its own key. Every value but an alias is anchored.
   */
  static String anchored(List<Integer> program) {
    StringBuilder out = new StringBuilder();
    List<Integer> anchored = new ArrayList<>();
    List<Integer> mappings = new ArrayList<>();
    for (int n = 0; n < program.size(); n++) {
      int v = program.get(n);
      out.append('k').append(n).append(": ");
      int op = anchored.isEmpty() ? v % 2 : v % 6;
      String earlier = anchored.isEmpty() ? "" : "*a" + anchored.get(v % anchored.size());
      switch (op) {
        case 0 -> out.append("&a").append(n).append(" \"s").append(v).append('"');
        case 1 -> out.append("&a").append(n).append(' ').append(v);
        case 2 -> out.append(earlier);
        case 3 -> out.append("&a").append(n).append(" {x: ").append(v).append(", y: ").append(earlier).append('}');
        case 4 -> out.append("&a").append(n).append(" [").append(earlier).append(", \"t\"]");
        default -> {
          out.append("&a").append(n).append(" {");
          if (!mappings.isEmpty()) {
            String first = "*a" + mappings.get(v % mappings.size());
            String second = "*a" + mappings.get((v / 7) % mappings.size());
            out.append(v % 3 == 0 ? "<<: " + first : "<<: [" + first + ", " + second + "]").append(", ");
          }
          out.append(v % 2 == 0 ? "x" : "z").append(": ").append(v).append('}');
        }
      }
      out.append('\n');
      if (op != 2) {
        anchored.add(n);
      }
      if (op == 3 || op == 5) {
        mappings.add(n);
      }
    }
    return out.toString();
  }

  private static ObjectNode object(RandomnessSource r, int depth) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (int i = 0, n = pick(r, 5); i < n; i++) {
      out.set(KEYS[pick(r, KEYS.length)], value(r, depth));
    }
    return out;
  }

  private static JsonNode value(RandomnessSource r, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (pick(r, depth > 0 ? 8 : 6)) {
      case 0 -> f.numberNode(pick(r, 1000) - 500);
      case 1 -> f.numberNode(pick(r, 2) == 0 ? 1L << 40 : 7L);
      case 2 -> f.textNode(TEXT[pick(r, TEXT.length)]);
      case 3 -> pick(r, 3) == 0 ? f.nullNode() : f.booleanNode(pick(r, 2) == 0);
      case 4 -> f.numberNode(pick(r, 2) == 0 ? 1.5 : -0.25);
      case 5 -> f.textNode("line one\nline two");
      case 6 -> object(r, depth - 1);
      default -> {
        var list = f.arrayNode();
        for (int i = 0, n = pick(r, 4); i < n; i++) {
          list.add(value(r, depth - 1));
        }
        yield list;
      }
    };
  }

  private static int pick(RandomnessSource r, int n) {
    return integers().between(0, n - 1).generate(r);
  }
}

package dev.gitops.ssh;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.model.FileMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The inventory's streaming read against an independent oracle: the same files read from Jackson's
 * tree model ({@code ObjectMapper.readTree}, {@code path(name).asText(default)}), as the inventory
 * was read before it streamed. Documents and journal lines come from a seed: the inventory's fields
 * and others, with strings, numbers, booleans, nulls, nested objects and arrays, duplicate keys, and
 * lines cut short.
 */
class InventoryParseProperties {
  private static final ObjectMapper TREE = new ObjectMapper();
  private static final String[] KEYS = {"op", "path", "digest", "mode", "owner", "group", "key", "tempKey",
      "files", "x"};
  private static final String[] TEXTS = {"intent", "applied", "deleted", "key", "0644", "0600", "4755", "a",
      "d/b é", "", "sha256:1", "root"};

  @Test
  void streamingReadAgreesWithTheTreeRead() {
    qt().withExamples(3000).forAll(longs().all(), integers().between(0, 8), integers().between(0, 500))
        .check((seed, lines, cut) -> {
          Random r = new Random(seed);
          String inventory = r.nextInt(4) == 0 ? "" : document(r);
          StringBuilder journal = new StringBuilder();
          for (int i = 0; i < lines; i++) {
            journal.append(r.nextInt(6) == 0 ? value(r, 2) : object(r, 2, true)).append('\n');
          }
          String j = journal.substring(0, Math.min(journal.length(), cut == 0 ? journal.length() : cut));
          byte[] inv = inventory.isEmpty() ? null : inventory.getBytes(StandardCharsets.UTF_8);
          byte[] jour = lines == 0 ? null : j.getBytes(StandardCharsets.UTF_8);
          return outcome(() -> show(Inventory.parse(inv, jour))).equals(outcome(() -> show(tree(inv, jour))));
        });
  }

  /** An inventory file: usually an object with files of entries, sometimes anything. */
  private static String document(Random r) {
    if (r.nextInt(8) == 0) {
      return value(r, 3);
    }
    StringBuilder b = new StringBuilder("{");
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",");
      switch (r.nextInt(4)) {
        case 0 -> b.append("\"tempKey\":").append(value(r, 1));
        case 1, 2 -> {
          b.append("\"files\":{");
          int files = r.nextInt(5);
          for (int f = 0; f < files; f++) {
            b.append(f == 0 ? "" : ",").append(quote("p" + r.nextInt(4))).append(':')
                .append(r.nextInt(6) == 0 ? value(r, 1) : object(r, 1, false));
          }
          b.append('}');
        }
        default -> b.append(quote(KEYS[r.nextInt(KEYS.length)])).append(':').append(value(r, 2));
      }
    }
    return b.append('}').toString();
  }

  private static String object(Random r, int depth, boolean ops) {
    StringBuilder b = new StringBuilder("{");
    int n = r.nextInt(7);
    if (ops && r.nextInt(4) != 0) { // mostly a line as the journal writes them, then odd fields
      String[] op = {"intent", "applied", "deleted", "key"};
      String[] modes = {"0644", "0600", "4755"};
      b.append("\"op\":").append(quote(op[r.nextInt(op.length)])).append(",\"path\":")
          .append(quote("p" + r.nextInt(4))).append(",\"digest\":").append(quote("sha256:" + r.nextInt(3)))
          .append(",\"mode\":").append(quote(modes[r.nextInt(modes.length)])).append(",\"key\":")
          .append(quote("k" + r.nextInt(3)));
      n = r.nextInt(3);
      for (int i = 0; i < n; i++) {
        b.append(',').append(quote(KEYS[r.nextInt(KEYS.length)])).append(':').append(value(r, depth));
      }
      return b.append('}').toString();
    }
    for (int i = 0; i < n; i++) {
      String k = KEYS[r.nextInt(ops ? KEYS.length : 6)];
      b.append(i == 0 ? "" : ",").append(quote(k)).append(':')
          .append(r.nextInt(5) == 0 ? value(r, depth) : quote(TEXTS[r.nextInt(TEXTS.length)]));
    }
    return b.append('}').toString();
  }

  private static String value(Random r, int depth) {
    return switch (r.nextInt(depth > 0 ? 8 : 6)) {
      case 0 -> "null";
      case 1 -> Integer.toString(r.nextInt(800));
      case 2 -> r.nextBoolean() ? "true" : "false";
      case 3 -> "1.50";
      case 4, 5 -> quote(TEXTS[r.nextInt(TEXTS.length)]);
      case 6 -> object(r, depth - 1, true);
      default -> "[" + value(r, depth - 1) + "," + value(r, depth - 1) + "]";
    };
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private interface Read {
    String get() throws Exception;
  }

  /** What reading gives: the inventory shown, or the kind of failure. */
  private static String outcome(Read read) {
    try {
      return read.get();
    } catch (IOException e) {
      return "IOException";
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  private static String show(Inventory inv) {
    return inv.tempKey() + " " + inv.files();
  }

  // ---- the oracle: the tree-model read this parser replaced ----

  private static Inventory tree(byte[] inventory, byte[] journal) throws IOException {
    Inventory inv = new Inventory();
    if (inventory != null && inventory.length > 0) {
      JsonNode root = TREE.readTree(inventory);
      inv.tempKey(root.path("tempKey").asText(""));
      Map<String, Inventory.Entry> files = new TreeMap<>();
      root.path("files").fields().forEachRemaining(e ->
          files.put(e.getKey(), new Inventory.Entry(e.getValue().path("digest").asText(""), mode(e.getValue()))));
      files.forEach(inv::put);
    }
    if (journal != null) {
      for (String line : new String(journal, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          replay(inv, line);
        }
      }
    }
    return inv;
  }

  private static void replay(Inventory inv, String line) {
    JsonNode n;
    try {
      n = TREE.readTree(line);
    } catch (IOException e) {
      return;
    }
    String path = n.path("path").asText("");
    switch (n.path("op").asText("")) {
      case "intent" -> {
        Inventory.Entry intent = new Inventory.Entry("", mode(n)); // made first, as putIfAbsent's argument
        if (!inv.owns(path)) {
          inv.put(path, intent);
        }
      }
      case "applied" -> inv.put(path, new Inventory.Entry(n.path("digest").asText(""), mode(n)));
      case "deleted" -> inv.remove(path);
      case "key" -> inv.tempKey(n.path("key").asText(inv.tempKey()));
      default -> { }
    }
  }

  private static FileMode mode(JsonNode n) {
    return new FileMode(Integer.parseInt(n.path("mode").asText("0644"), 8), n.path("owner").asText(""),
        n.path("group").asText(""));
  }
}

package dev.gitops.ssh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.FileMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What one owner deployed under a root: path to digest and mode, read from
 * {@code .gitops/<owner>.inventory} (JSON) merged with {@code .gitops/<owner>.journal} (one JSON
 * object a line: {@code intent}, {@code applied}, {@code deleted}). An entry with an empty digest is
 * an intent whose result was not recorded: still owned, so never forgotten. Not thread-safe; not part
 * of the public API.
 */
final class Inventory {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One owned path.
   *
   * @param digest content digest applied last, {@code ""} when only the intent was recorded
   * @param mode the mode applied (owner and group as desired, {@code ""} when unmanaged)
   */
  public record Entry(String digest, FileMode mode) {}

  private final TreeMap<String, Entry> files = new TreeMap<>();
  /** The key of this owner's temporary file names ({@link TempNames}), {@code ""} until one is made. */
  private String tempKey = "";

  /** Parses an inventory and its journal, either may be null. */
  public static Inventory parse(byte[] inventory, byte[] journal) throws IOException {
    Inventory inv = new Inventory();
    if (inventory != null && inventory.length > 0) {
      JsonNode root = JSON.readTree(inventory);
      inv.tempKey = root.path("tempKey").asText("");
      root.path("files").fields().forEachRemaining(e ->
          inv.files.put(e.getKey(), new Entry(e.getValue().path("digest").asText(""), mode(e.getValue()))));
    }
    if (journal != null) {
      for (String line : new String(journal, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          inv.replay(line);
        }
      }
    }
    return inv;
  }

  private void replay(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      return; // a line cut short by a crash; the intent before it was recorded whole
    }
    String path = n.path("path").asText("");
    switch (n.path("op").asText("")) {
      case "intent" -> files.putIfAbsent(path, new Entry("", mode(n)));
      case "applied" -> files.put(path, new Entry(n.path("digest").asText(""), mode(n)));
      case "deleted" -> files.remove(path);
      case "key" -> tempKey = n.path("key").asText(tempKey);
      default -> { }
    }
  }

  private static FileMode mode(JsonNode n) {
    return new FileMode(Integer.parseInt(n.path("mode").asText("0644"), 8), n.path("owner").asText(""),
        n.path("group").asText(""));
  }

  /** Owned paths and their entries, sorted. */
  public NavigableMap<String, Entry> files() {
    return Collections.unmodifiableNavigableMap(files);
  }

  /** True when {@code path} is owned. */
  public boolean owns(String path) {
    return files.containsKey(path);
  }

  /** The entry of {@code path}, or null. */
  public Entry get(String path) {
    return files.get(path);
  }

  /** Records in memory; see {@link #line}. */
  public void put(String path, Entry entry) {
    files.put(path, entry);
  }

  /** Forgets {@code path}. */
  public void remove(String path) {
    files.remove(path);
  }

  /** The key of this owner's temporary file names, {@code ""} when none was made yet. */
  public String tempKey() {
    return tempKey;
  }

  /** Sets the key of this owner's temporary file names. */
  public void tempKey(String key) {
    tempKey = key;
  }

  /** A journal line recording the key of this owner's temporary file names. */
  public static byte[] keyLine(String key) {
    return ("{\"op\":\"key\",\"key\":\"" + key + "\"}\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The whole inventory as JSON, sorted by path. */
  public byte[] toJson(String owner) {
    ObjectNode root = JSON.createObjectNode();
    root.put("owner", owner);
    if (!tempKey.isEmpty()) {
      root.put("tempKey", tempKey);
    }
    ObjectNode out = root.putObject("files");
    files.forEach((path, e) -> fill(out.putObject(path), e.digest(), e.mode()));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** One journal line (ending in a newline), written straight to bytes: a first apply writes thousands. */
  public static byte[] line(String op, String path, String digest, FileMode mode) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(96 + path.length() + digest.length());
    try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("op", op);
      g.writeStringField("path", path);
      if (mode != null) {
        g.writeStringField("digest", digest);
        g.writeStringField("mode", octal(mode.permissions()));
        g.writeStringField("owner", mode.owner());
        g.writeStringField("group", mode.group());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory cannot fail", e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static String octal(int permissions) {
    String digits = Integer.toOctalString(permissions);
    return "0000".substring(Math.min(4, digits.length())) + digits;
  }

  private static void fill(ObjectNode n, String digest, FileMode mode) {
    n.put("digest", digest);
    n.put("mode", octal(mode.permissions()));
    n.put("owner", mode.owner());
    n.put("group", mode.group());
  }
}

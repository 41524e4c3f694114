package dev.gitops.ssh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.FileMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What one owner deployed under a root: path to digest and mode, read from
 * {@code .gitops/<owner>.inventory} (JSON) merged with {@code .gitops/<owner>.journal} (one JSON
 * object a line: {@code intent}, {@code applied}, {@code deleted}). An entry with an empty digest is
 * an intent whose result was not recorded: still owned, so never forgotten. Read and journal lines
 * written with Jackson's streaming parser and generator alone: a plan reads inventories on every
 * run and a one-shot command line would otherwise make an {@code ObjectMapper} (about 370 more
 * classes) for them. Not thread-safe; not part of the public API.
 */
final class Inventory {
  /** Parser and generator factory (jackson-core only); thread-safe. */
  static final JsonFactory FACTORY = new JsonFactory();

  /** The mapper of the whole-file JSON writes (inventory, lock, history), made on first use. */
  static ObjectMapper json() {
    return Mapper.JSON;
  }

  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper();
  }

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

  /**
   * As {@link #parse(byte[], byte[])} for {@code owner}'s files in the state folder; a file that is
   * not JSON fails naming it ({@link #notJson}).
   */
  public static Inventory parse(String owner, byte[] inventory, byte[] journal) throws IOException {
    try {
      return parse(inventory, journal);
    } catch (IOException e) {
      throw notJson(TargetPaths.STATE_DIR + "/" + owner + ".inventory", "an inventory", e);
    }
  }

  /**
   * The failure to parse the state file {@code file} (relative to the root), naming it and where the
   * parse stopped, never quoting its bytes: a state file may be a link to a file outside the root,
   * and Jackson's message quotes what it found (a password hash, a key). The cause is not kept, for
   * the same reason.
   */
  static IOException notJson(String file, String what, IOException e) {
    com.fasterxml.jackson.core.JsonLocation at = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
        ? j.getLocation() : null;
    return new IOException(file + " is not " + what + ": not JSON"
        + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
        + " (its bytes are not shown; remove or repair it)");
  }

  /** Parses an inventory and its journal, either may be null. */
  public static Inventory parse(byte[] inventory, byte[] journal) throws IOException {
    Inventory inv = new Inventory();
    if (inventory != null && inventory.length > 0) {
      try (JsonParser p = FACTORY.createParser(inventory)) {
        if (p.nextToken() == JsonToken.START_OBJECT) {
          inv.readRoot(p);
        } else {
          p.skipChildren(); // not an inventory: nothing in it, but malformed fails as before
        }
      }
    }
    if (journal != null) {
      inv.replay(journal);
    }
    return inv;
  }

  /** Replays the lines of {@code journal} onto this inventory, in order; a line that is not one is skipped. */
  void replay(byte[] journal) {
    for (String line : new String(journal, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        replay(line);
      }
    }
  }

  /** The root object's fields: {@code tempKey} and {@code files} (path to entry); others skipped. */
  private void readRoot(JsonParser p) throws IOException {
    Map<String, Map<String, String>> entries = new TreeMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("files")) {
        entries.clear(); // as a tree read: the last "files" wins, and in it the last entry of a path
        if (value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String path = p.currentName();
            entries.put(path, fields(p, p.nextToken()));
          }
        } else {
          p.skipChildren();
        }
      } else if (field.equals("tempKey")) {
        tempKey = scalar(p, value, "");
      } else {
        p.skipChildren();
      }
    }
    entries.forEach((path, entry) -> files.put(path, new Entry(entry.getOrDefault("digest", ""), mode(entry))));
  }

  private void replay(String line) {
    Map<String, String> n;
    try (JsonParser p = FACTORY.createParser(line)) {
      n = fields(p, p.nextToken());
    } catch (IOException e) {
      return; // a line cut short by a crash; the intent before it was recorded whole
    }
    String path = n.getOrDefault("path", "");
    switch (n.getOrDefault("op", "")) {
      case "intent" -> files.putIfAbsent(path, new Entry("", mode(n)));
      case "applied" -> files.put(path, new Entry(n.getOrDefault("digest", ""), mode(n)));
      case "deleted" -> files.remove(path);
      case "key" -> tempKey = n.getOrDefault("key", tempKey);
      default -> { }
    }
  }

  /**
   * The text of each field of the object that starts at {@code first} (its scalars' text, {@code ""}
   * for a nested object or array, nothing for null), as {@code JsonNode.path(name).asText(default)}
   * reads a tree; an empty map when {@code first} starts no object (its value skipped).
   */
  private static Map<String, String> fields(JsonParser p, JsonToken first) throws IOException {
    Map<String, String> out = new HashMap<>();
    if (first != JsonToken.START_OBJECT) {
      p.skipChildren();
      return out;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        out.remove(name);
      } else {
        out.put(name, scalar(p, value, ""));
      }
    }
    return out;
  }

  /** The text of the value at {@code value}: a scalar's, {@code ""} for a container (skipped), else {@code dflt}. */
  private static String scalar(JsonParser p, JsonToken value, String dflt) throws IOException {
    if (value == null) {
      return dflt;
    }
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      p.skipChildren();
      return "";
    }
    return switch (value) {
      case VALUE_NULL -> dflt;
      case VALUE_NUMBER_INT -> p.getNumberValue().toString();
      case VALUE_NUMBER_FLOAT -> Double.toString(p.getDoubleValue()); // as a tree's DoubleNode prints
      default -> p.getText();
    };
  }

  private static FileMode mode(Map<String, String> n) {
    return new FileMode(Integer.parseInt(n.getOrDefault("mode", "0644"), 8), n.getOrDefault("owner", ""),
        n.getOrDefault("group", ""));
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
    ObjectNode root = json().createObjectNode();
    root.put("owner", owner);
    if (!tempKey.isEmpty()) {
      root.put("tempKey", tempKey);
    }
    ObjectNode out = root.putObject("files");
    files.forEach((path, e) -> fill(out.putObject(path), e.digest(), e.mode()));
    try {
      return json().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** One journal line (ending in a newline), written straight to bytes: a first apply writes thousands. */
  public static byte[] line(String op, String path, String digest, FileMode mode) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(96 + path.length() + digest.length());
    try (com.fasterxml.jackson.core.JsonGenerator g = FACTORY.createGenerator(out)) {
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

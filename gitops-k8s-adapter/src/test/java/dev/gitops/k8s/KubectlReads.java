package dev.gitops.k8s;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Resource;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a manifest file is read, by the real kubectl (the oracle: {@code kubectl annotate --local -f},
 * which reads files as {@code kubectl apply -f} does and prints what it would send, with no cluster)
 * or by {@link ManifestLoader}: the objects read, or the refusal. Files are named {@code ID.yaml} and
 * every object in one has a name starting with its {@code ID}, so that one kubectl run over a folder
 * of many files tells which objects came from which file.
 */
final class KubectlReads {
  /** The annotation kubectl is asked to add, taken off what it prints. */
  private static final String MARK = "gitops-oracle";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A line of kubectl's errors naming a case file, and the error. */
  private static final Pattern REFUSED = Pattern.compile("/cases/([a-z0-9]+)\\.yaml\"?:? ?(.*)");

  /**
   * A file's reading.
   *
   * @param objects the objects by name, each as sent; empty when refused
   * @param refusal why the file was refused, null when read
   */
  record Read(Map<String, JsonNode> objects, String refusal) {
    boolean refused() {
      return refusal != null;
    }
  }

  private KubectlReads() {}

  /** Skips the test, saying why, when no kubectl runs here. */
  static void assumeKubectl() {
    boolean runs;
    try {
      Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      runs = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      runs = false;
    }
    assumeTrue(runs, "no kubectl on the PATH: the differential test against kubectl's reading is skipped");
  }

  /** What kubectl reads from each of {@code files} (by id), written into {@code dir}, in one run. */
  static Map<String, Read> kubectl(Path dir, Map<String, byte[]> files) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("cases"));
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Files.write(folder.resolve(f.getKey() + ".yaml"), f.getValue());
    }
    Path out = dir.resolve("out.json");
    Path err = dir.resolve("err.txt");
    Process p = new ProcessBuilder("kubectl", "annotate", "--local", "-f", folder.toString(), "-o", "json",
        MARK + "=x").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl did not finish in 120 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted waiting for kubectl", e);
    }
    Map<String, Map<String, JsonNode>> objects = new TreeMap<>();
    files.keySet().forEach(id -> objects.put(id, new TreeMap<>()));
    try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(out.toFile())) {
      while (it.hasNext()) {
        JsonNode o = it.next();
        for (JsonNode item : o.path("kind").asText().equals("List") ? o.path("items") : List.of(o)) {
          String name = item.path("metadata").path("name").asText();
          objects.computeIfAbsent(name.split("-", 2)[0], k -> new TreeMap<>()).put(name, unmarked((ObjectNode) item));
        }
      }
    }
    Map<String, String> refusals = refusals(Files.readString(err, StandardCharsets.UTF_8));
    Map<String, Read> reads = new TreeMap<>();
    for (String id : files.keySet()) {
      reads.put(id, refusals.containsKey(id) ? new Read(Map.of(), refusals.get(id)) : new Read(objects.get(id), null));
    }
    return reads;
  }

  private static Map<String, String> refusals(String err) {
    Map<String, String> refusals = new TreeMap<>();
    for (String line : err.split("\n")) {
      Matcher m = REFUSED.matcher(line);
      if (m.find()) {
        refusals.put(m.group(1), m.group(2));
      } else if (!line.isBlank()) {
        throw new AssertionError("kubectl said what names no case file: " + line);
      }
    }
    return refusals;
  }

  private static JsonNode unmarked(ObjectNode o) {
    ObjectNode meta = (ObjectNode) o.path("metadata");
    ObjectNode annotations = (ObjectNode) meta.path("annotations");
    annotations.remove(MARK);
    if (annotations.isEmpty()) {
      meta.remove("annotations");
    }
    return o;
  }

  /**
   * What {@link ManifestLoader} reads from {@code data} as the file {@code id.yaml}, the default
   * namespace it gives an object that names none taken off again (kubectl leaves it to the server).
   */
  static Read ours(String id, byte[] data) {
    Snapshot snapshot = Snapshot.of(Revision.of("0123456789abcdef0123456789abcdef01234567"),
        Map.of(id + ".yaml", Content.bytes(data, FileMode.REGULAR)));
    DesiredState state;
    try {
      state = new ManifestLoader().load(snapshot);
    } catch (InvalidDesiredStateException e) {
      return new Read(Map.of(), e.problems().toString());
    }
    Map<String, JsonNode> objects = new TreeMap<>();
    for (Resource r : state.resources()) {
      ObjectNode node = ((Content.Tree) r.content()).node().deepCopy();
      objects.put(r.id().name(), node);
    }
    return new Read(objects, null);
  }

  /**
   * Where {@code ours} differs from {@code theirs} as the API server reads JSON (numbers by value:
   * kubectl writes the float64 3 as {@code 3}, we may write {@code 3.0}), each as pointer: values;
   * a namespace {@code default} ours has and theirs leaves out is no difference, nor, in a built-in
   * kind, a null kubectl sends where we send {@code ""} (a string map's value) or leave the field
   * out: the server decodes both into the same Go value.
   */
  static List<String> differences(JsonNode theirs, JsonNode ours) {
    List<String> out = new ArrayList<>();
    compare("", theirs, ours, out);
    out.removeIf(d -> d.equals("/metadata/namespace: (none) vs \"default\""));
    if (!theirs.path("apiVersion").asText().contains(".")) { // a built-in kind: the server decodes into Go types
      out.removeIf(d -> d.endsWith(": null vs \"\"") || d.endsWith(": null vs (none)"));
    }
    return out;
  }

  private static void compare(String at, JsonNode theirs, JsonNode ours, List<String> out) {
    if (theirs == null || ours == null || theirs.getNodeType() != ours.getNodeType()) {
      out.add(at + ": " + show(theirs) + " vs " + show(ours));
    } else if (theirs.isObject()) {
      TreeMap<String, Boolean> keys = new TreeMap<>();
      theirs.fieldNames().forEachRemaining(k -> keys.put(k, true));
      ours.fieldNames().forEachRemaining(k -> keys.put(k, true));
      keys.keySet().forEach(k -> compare(at + "/" + k, theirs.get(k), ours.get(k), out));
    } else if (theirs.isArray()) {
      if (theirs.size() != ours.size()) {
        out.add(at + ": " + show(theirs) + " vs " + show(ours));
        return;
      }
      for (int i = 0; i < theirs.size(); i++) {
        compare(at + "/" + i, theirs.get(i), ours.get(i), out);
      }
    } else if (theirs.isNumber() ? !sameNumber(theirs, ours) : !theirs.equals(ours)) {
      out.add(at + ": " + show(theirs) + " vs " + show(ours));
    }
  }

  private static boolean sameNumber(JsonNode a, JsonNode b) {
    if (a.canConvertToExactIntegral() && b.canConvertToExactIntegral() && a.canConvertToLong() && b.canConvertToLong()) {
      return a.longValue() == b.longValue();
    }
    return a.doubleValue() == b.doubleValue();
  }

  private static String show(JsonNode n) {
    return n == null ? "(none)" : n.toString();
  }

  /** The objects of a read, for messages. */
  static String show(Read r) {
    if (r.refused()) {
      return "refused: " + r.refusal();
    }
    StringBuilder b = new StringBuilder();
    for (Iterator<JsonNode> it = r.objects().values().iterator(); it.hasNext(); ) {
      b.append(it.next()).append(it.hasNext() ? "\n" : "");
    }
    return b.toString();
  }
}

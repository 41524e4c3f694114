package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gitops.k8s.ServerObjects.Pair;
import dev.gitops.k8s.ServerObjects.Verdict;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus checks itself: every pair is well formed, documented, and its {@code managedFields}
 * agree with its manifest: what {@code gitops} owns is the field set of the manifest it applied
 * (computed by {@link FieldSets}, the tests' own encoder), give or take exactly the fields the
 * verdict names (removals still owned, fields lost to another manager) and fields another manager
 * owns too.
 */
class ServerObjectsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final List<String> RULES = List.of("zero-value", "quantity", "base64-text", "pruned",
      "server-appended", "other-manager", "allocated", "default-value", "time", "dropped");

  @Test
  void corpusHasAtLeastFortyPairsEachInTheReadme() throws IOException {
    List<Pair> pairs = ServerObjects.all();
    String readme = Files.readString(ServerObjects.folder().resolve("README.md"));
    for (Pair p : pairs) {
      assertTrue(readme.contains("`" + p.file() + "`"), "README's table lacks " + p.file());
    }
    Set<String> numbers = new TreeSet<>();
    pairs.forEach(p -> assertTrue(numbers.add(p.number()), "two pairs numbered " + p.file()));
    assertTrue(pairs.size() >= 40, pairs.size() + " pairs");
  }

  @TestFactory
  Stream<DynamicTest> everyPairIsWellFormed() {
    return ServerObjects.all().stream().map(p -> DynamicTest.dynamicTest(p.file(), () -> wellFormed(p)));
  }

  @TestFactory
  Stream<DynamicTest> gitopsOwnsWhatItsManifestApplied() {
    return ServerObjects.all().stream().filter(p -> p.strategy() == ApplyStrategy.SERVER_SIDE && !p.adopted())
        .map(p -> DynamicTest.dynamicTest(p.file(), () -> ownsWhatItApplied(p)));
  }

  private static void wellFormed(Pair p) {
    assertFalse(p.sources().isEmpty(), "no sources");
    // a conflict pair may list its changes too: Git's alternative added beside another manager's (390, 391)
    assertTrue(p.verdict() == Verdict.OUT_OF_SYNC ? !p.changes().isEmpty()
        : p.verdict() == Verdict.CONFLICT || p.changes().isEmpty(), "changes for out-of-sync (or a conflict) only");
    assertEquals(p.verdict() == Verdict.CONFLICT, !p.conflicts().isEmpty(), "conflicts iff conflict");
    p.hidden().keySet().forEach(rule -> assertTrue(RULES.contains(rule), "unknown rule " + rule));
    ObjectNode m = p.manifest();
    ObjectNode l = p.live();
    for (String f : List.of("apiVersion", "kind")) {
      assertEquals(m.path(f).asText(), l.path(f).asText(), f);
    }
    JsonNode meta = l.path("metadata");
    assertEquals(m.path("metadata").path("name").asText(), meta.path("name").asText(), "name");
    String ns = meta.path("namespace").asText("");
    assertTrue(ns.equals(m.path("metadata").path("namespace").asText("")) || ns.isEmpty(),
        "namespace: manifest's, or none for a cluster-scoped kind");
    for (String f : List.of("uid", "resourceVersion", "creationTimestamp")) {
      assertTrue(meta.path(f).isTextual(), "live metadata." + f);
    }
    for (JsonNode entry : meta.path("managedFields")) {
      for (String f : List.of("apiVersion", "fieldsType", "fieldsV1", "manager", "operation", "time")) {
        assertTrue(entry.has(f), "managedFields entry without " + f + ": " + entry);
      }
      assertEquals("FieldsV1", entry.path("fieldsType").asText());
    }
    if (p.adopted()) { // nobody owns it yet: neither label, nor an Apply entry of gitops
      assertFalse("gitops".equals(meta.path("labels").path(KubernetesTarget.MANAGED_BY_LABEL).asText()), "managed-by label");
      meta.path("managedFields").forEach(e -> assertFalse(e.path("manager").asText().equals("gitops")
          && e.path("operation").asText().equals("Apply"), "an Apply entry of gitops on an object to adopt"));
    } else {
      assertEquals("gitops", meta.path("labels").path(KubernetesTarget.MANAGED_BY_LABEL).asText(), "managed-by label");
      assertEquals(p.owner(), meta.path("labels").path(KubernetesTarget.OWNER_LABEL).asText(), "owner label");
    }
    ApiSchema schema = schema(p);
    for (ServerObjects.Change c : p.changes()) {
      JsonNode side = c.op().equals("add") ? m : l;
      String path = c.op().equals("add") ? manifestPath(p, c.path()) : c.path();
      String pointer = path.endsWith("/-") ? path.substring(0, path.length() - 2) : path;
      assertFalse(side.at(pointer).isMissingNode(), c + " does not resolve on the "
          + (c.op().equals("add") ? "manifest" : "live") + " side");
      assertNotNull(FieldSets.pathOf(path, side, schema), c.path());
    }
    // on the live side, or (a zero the server dropped, which an apply adds back: pair 364) the manifest's
    p.conflicts().forEach(c -> assertFalse(l.at(c.path()).isMissingNode()
        && m.at(manifestPath(p, c.path())).isMissingNode(), c + " neither on the live nor the manifest side"));
  }

  private static void ownsWhatItApplied(Pair p) {
    ApiSchema schema = schema(p);
    Set<List<String>> expected = FieldSets.of(applied(p), schema);
    Set<List<String>> owned = null;
    Set<List<String>> others = new TreeSet<>(FieldSets::compare);
    for (JsonNode entry : p.live().path("metadata").path("managedFields")) {
      Set<List<String>> paths = FieldSets.paths(entry.path("fieldsV1"));
      if (entry.path("manager").asText().equals("gitops") && entry.path("operation").asText().equals("Apply")) {
        owned = paths;
      } else {
        others.addAll(paths);
      }
    }
    assertNotNull(owned, "no managedFields entry of manager gitops, operation Apply");
    List<List<String>> lost = new ArrayList<>();   // fields gitops applied but no longer owns
    List<List<String>> kept = new ArrayList<>();   // fields gitops owns but no longer applies
    for (ServerObjects.Conflict c : p.conflicts()) {
      lost.add(FieldSets.pathOf(c.path(), p.live(), schema));
    }
    for (ServerObjects.Change c : p.changes()) {
      if (c.op().equals("add")) {
        lost.add(FieldSets.pathOf(manifestPath(p, c.path()), applied(p), schema));
      } else if (c.op().equals("remove") || c.op().equals("replace")) { // a replace: also an owned field
        kept.add(FieldSets.pathOf(c.path(), p.live(), schema));              // Git left out, defaulted (481)
      }
    }
    for (List<String> path : expected) {
      assertTrue(owned.contains(path) || under(path, lost),
          "gitops applied but does not own " + path + "\nowned: " + FieldSets.toFieldsV1(owned)
              + "\napplied: " + FieldSets.toFieldsV1(expected));
    }
    for (List<String> path : owned) {
      assertTrue(expected.contains(path) || under(path, kept) || others.contains(path) || writeOnly(p, path),
          "gitops owns " + path + " without applying it (nor a removal, nor shared)\nowned: "
              + FieldSets.toFieldsV1(owned) + "\napplied: " + FieldSets.toFieldsV1(expected));
    }
  }

  /**
   * The manifest as the pair says it was applied ({@link Pair#body()}: as written, or as the
   * loader reads it): ownership labels added, no namespace on a cluster-scoped kind.
   */
  static ObjectNode applied(Pair p) {
    ObjectNode a = p.body().equals("loaded") ? loaded(p) : p.manifest().deepCopy();
    ObjectNode labels = a.with("metadata").with("labels");
    if (!labels.has(KubernetesTarget.MANAGED_BY_LABEL)) {
      labels.put(KubernetesTarget.MANAGED_BY_LABEL, "gitops");
    }
    labels.put(KubernetesTarget.OWNER_LABEL, p.owner());
    if (p.live().path("metadata").path("namespace").asText("").isEmpty()) {
      ((ObjectNode) a.get("metadata")).remove("namespace");
    }
    return a;
  }

  /**
   * The pair's manifest as {@link ManifestLoader} reads it (with its CRD beside it) and the writer
   * sends it ({@link NullKeyFields}).
   */
  private static ObjectNode loaded(Pair p) {
    Map<String, Content.Bytes> files = new TreeMap<>();
    try {
      files.put("manifest.yaml", Content.bytes(YAML.writeValueAsBytes(p.manifest()), FileMode.REGULAR));
      if (p.crd() != null) {
        files.put("crd.yaml", Content.bytes(YAML.writeValueAsBytes(p.crd()), FileMode.REGULAR));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (var r : new ManifestLoader().load(Snapshot.of(Revision.of("0".repeat(40)), files)).resources()) {
      if (r.id().kind().equals(p.manifest().path("kind").asText())) {
        ObjectNode tree = ((Content.Tree) r.content()).node().deepCopy();
        KubernetesSchema schema = p.crd() == null ? KubernetesSchema.builtin() : KubernetesSchema.builtin().learn(p.crd());
        NullKeyFields.leaveOut(schema.root(r.id(), null, tree, null), tree);
        return tree;
      }
    }
    throw new AssertionError(p.file() + ": the manifest does not load");
  }

  static ApiSchema schema(Pair p) {
    if (p.crd() != null) {
      String version = p.manifest().path("apiVersion").asText();
      return ApiSchema.custom(p.crd(), version.substring(version.indexOf('/') + 1));
    }
    return ApiSchema.builtin(p.manifest().path("apiVersion").asText(), p.manifest().path("kind").asText());
  }

  /**
   * Where the manifest gives what a change at {@code path} adds: a Secret's {@code /data/k} that the
   * manifest writes under {@code stringData} (the server folds it into {@code data}) is
   * {@code /stringData/k}.
   */
  private static String manifestPath(Pair p, String path) {
    JsonNode m = p.manifest();
    String folded = "/stringData/" + path.substring(path.indexOf('/', 1) + 1);
    return m.path("kind").asText().equals("Secret") && path.startsWith("/data/") && m.at(path).isMissingNode()
        && !m.at(folded).isMissingNode() ? folded : path;
  }

  /**
   * True for a Secret's {@code stringData} field: the server folds it into {@code data} and stores
   * none, so leaving an owned key out removes nothing stored, and no change names it (pair 295).
   */
  private static boolean writeOnly(Pair p, List<String> path) {
    return p.manifest().path("kind").asText().equals("Secret") && path.get(0).equals("f:stringData");
  }

  private static boolean under(List<String> path, List<List<String>> prefixes) {
    for (List<String> prefix : prefixes) {
      if (prefix != null && path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix)) {
        return true;
      }
    }
    return false;
  }
}

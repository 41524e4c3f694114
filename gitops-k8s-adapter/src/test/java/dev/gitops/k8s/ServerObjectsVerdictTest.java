package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitops.diff.Change;
import dev.gitops.diff.FieldSchema;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.diff.Suppressed;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Walks every pair of the corpus of objects as real API servers return them
 * ({@code src/test/resources/server-objects/}, format in its README): loads the manifest with the
 * {@link ManifestLoader}, observes the live object as {@link KubernetesTarget#observed} does for the pair's strategy,
 * plans with the Kubernetes preset (and the pair's CRD learnt) and checks the verdict: in sync
 * (no update), out of sync with exactly the listed changes, or a conflict (the plan changes exactly
 * the listed fields, each owned by the named manager and not by {@code gitops}, so server-side
 * apply without force refuses); and the hidden counts the pair names, per rule. A live object nobody
 * owns yet is planned as an adopt step (adoption allowed), in sync when its diff is empty.
 */
class ServerObjectsVerdictTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Map<String, String> RULES = Map.of("zero-value", "zero value",
      "quantity", "quantity", "base64-text", "base64 text", "pruned", "pruned field", "server-appended",
      "server-appended entry", "other-manager", "owned by ", "allocated", "allocated value",
      "default-value", "default value", "time", "time", "dropped", "dropped by the server");

  @Test
  void everyPairOfTheCorpusGetsItsVerdict() throws Exception {
    Path dir = corpus();
    Assumptions.assumeTrue(dir != null, "src/test/resources/server-objects is not there yet: skipped");
    List<Path> pairs;
    try (Stream<Path> files = Files.list(dir)) {
      pairs = files.filter(p -> p.getFileName().toString().matches("\\d+-.*\\.ya?ml")).sorted().toList();
    }
    List<String> failures = new ArrayList<>();
    for (Path pair : pairs) {
      try {
        check(pair);
      } catch (AssertionError | RuntimeException e) {
        failures.add(pair.getFileName() + ": " + e.getMessage());
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + pairs.size() + " pairs disagree:\n"
        + String.join("\n\n", failures));
    assertTrue(pairs.size() >= 40, pairs.size() + " pairs");
  }

  private static void check(Path file) throws IOException {
    JsonNode pair = YAML.readTree(file.toFile());
    String owner = pair.path("owner").asText("web");
    KubernetesSchema schema = KubernetesSchema.builtin();
    Map<String, Content.Bytes> files = new TreeMap<>();
    files.put("manifest.yaml", yamlFile(pair.get("manifest")));
    if (pair.hasNonNull("crd")) {
      schema = schema.learn(pair.get("crd"));
      files.put("crd.yaml", yamlFile(pair.get("crd")));
    }
    DesiredState loaded = new ManifestLoader().load(Snapshot.of(Revision.of("0".repeat(40)), files));
    ApplyStrategy strategy = ApplyStrategy.valueOf(pair.path("strategy").asText("SERVER_SIDE"));
    boolean jsonPatch = strategy == ApplyStrategy.JSON_PATCH;
    Observed observed = KubernetesTarget.observed((ObjectNode) pair.get("live"), strategy);
    Resource desired = loaded.byId().get(observed.id());
    if (desired == null) {
      throw new AssertionError("the manifest loads as " + loaded.byId().keySet() + ", the live object is "
          + observed.id());
    }
    WrittenContent written = new WrittenContent(); // a fresh target's, as every read settles (DesiredChecks.read)
    if (pair.path("written").asBoolean(false)) { // this target wrote the manifest as it is before this read
      written.written(desired.id(), ((Content.Tree) desired.content()).node().hashCode());
    }
    observed = written.settle(DesiredState.of(List.of(desired)), ActualState.of(List.of(observed)), (r, f) -> { }).get(observed.id());
    Plan plan = plan(desired, observed, owner, schema);
    Action action = plan.action(observed.id()).orElseThrow();
    boolean adopted = observed.owner().isEmpty(); // nobody owns it yet: an adopt step, "in sync" when its diff is empty
    assertEquals(adopted, action instanceof Action.Adopt, "an adopt step iff nobody owns the live object: " + action);
    ResourceDiff diff = action instanceof Action.Update u ? u.diff()
        : action instanceof Action.NoOp n ? n.diff() : action instanceof Action.Adopt a ? a.diff() : null;
    boolean changes = action instanceof Action.Update || adopted && !diff.changes().isEmpty();
    String shown = "\n" + plan.summary() + "\n" + diff + "\n" + (diff == null ? "" : diff.explain());
    secretValuesNeverShown(pair, plan.render() + plan.toJson() + shown);
    switch (pair.path("verdict").asText()) {
      case "in-sync" -> assertTrue(!changes, "in sync expected:" + shown);
      case "out-of-sync" -> {
        assertTrue(changes, "out of sync expected:" + shown);
        assertEquals(expected(pair.path("changes")), actual(diff), shown);
      }
      case "conflict" -> {
        assertTrue(changes, "a conflict expected:" + shown);
        conflicts(pair, diff, shown);
        if (pair.has("changes")) { // the plan changes more than the conflicting fields: exactly these
          assertEquals(expected(pair.path("changes")), actual(diff), shown);
        }
      }
      default -> throw new AssertionError("unknown verdict " + pair.path("verdict"));
    }
    // a writer refusing without force writes nothing: the conflict stands, as under server-side apply
    if (jsonPatch && !writerRefuses(pair, desired, owner, adopted || !changes, shown)) {
      JsonNode patched = patchRemovesWhatThePlanRemoves(pair, desired, owner, diff, shown);
      Action second = plan(desired, KubernetesTarget.observed((ObjectNode) patched, strategy), owner, schema)
          .action(observed.id()).orElseThrow();
      assertTrue(second instanceof Action.NoOp, "the plan after the patch is not empty: " + second + shown);
    }
    for (Map.Entry<String, JsonNode> h : pair.path("hidden").properties()) {
      String rule = RULES.get(h.getKey());
      if (rule == null) {
        throw new AssertionError("unknown hidden rule " + h.getKey());
      }
      int count = 0;
      for (Suppressed s : diff.suppressed()) {
        count += s.rule().equals(rule) || (rule.endsWith(" ") && s.rule().startsWith(rule)) ? s.count() : 0;
      }
      assertEquals(h.getValue().asInt(), count, "hidden by " + h.getKey() + ":" + shown);
    }
  }

  private static Plan plan(Resource desired, Observed observed, String owner, KubernetesSchema schema) {
    return new Planner().plan(DesiredState.of(List.of(desired)), ActualState.of(List.of(observed)),
        PlanOptions.defaults().withOwner(owner).withDiff(KubernetesDiff.options(schema))
            .withAdoption(PlanOptions.Adoption.ADOPT));
  }

  /**
   * A Secret's values, as Git and the live object hold them (base64 and decoded, stringData too),
   * appear in no rendering of its plan: neither the summary, the diff, its explanation, the rendered
   * plan nor its JSON, whatever the verdict (a conflict on a value included).
   */
  private static void secretValuesNeverShown(JsonNode pair, String shown) {
    if (!"Secret".equals(pair.path("live").path("kind").asText())) {
      return;
    }
    List<String> values = new ArrayList<>();
    for (JsonNode side : List.of(pair.path("manifest"), pair.path("live"))) {
      side.path("data").forEach(v -> {
        values.add(v.asText());
        values.add(new String(java.util.Base64.getMimeDecoder().decode(v.asText()), StandardCharsets.UTF_8));
      });
      side.path("stringData").forEach(v -> values.add(v.asText()));
    }
    for (String v : values) {
      String line = v.strip().lines().findFirst().orElse("");
      assertTrue(line.length() < 6 || !shown.contains(line), "a Secret value is shown: " + shown.length() + " chars");
    }
  }

  /**
   * Under JSON Patch, whether the writer refuses its patch without force: exactly for a
   * {@code conflict} pair, on exactly its conflicts, each with its manager ({@link PatchConflicts},
   * as server-side apply refuses; an adoption is never refused so, nor a step that writes nothing,
   * {@code unchecked}), each field named as the API server names it ({@link Ownership#field}). True
   * when it refuses.
   */
  private static boolean writerRefuses(JsonNode pair, Resource desired, String owner, boolean unchecked,
                                       String shown) {
    ObjectNode live = (ObjectNode) pair.get("live");
    SchemaSources schemas = new SchemaSources();
    if (pair.hasNonNull("crd")) {
      schemas.learnCrd(pair.get("crd"));
    }
    ObjectNode body = new WriteBodies(List.of(), schemas, null, true).writable(desired, owner);
    JsonNode last = AppliedRecord.lastApplied(live, AppliedRecord::decode);
    FieldSchema.Node root = ThreeWayPatch.root(schemas, desired.id(), live, body);
    JsonNode patch = ThreeWayPatch.update(desired.id(), body, live, last, null, root);
    List<String> found = unchecked ? List.of() : PatchConflicts.of(desired.id(), body, patch, live, last, root);
    List<String> expected = new ArrayList<>();
    pair.path("conflicts").forEach(c -> expected.add(Ownership.field(live, c.path("path").asText(),
        c.path("manager").asText()) + " (manager " + c.path("manager").asText() + ")"));
    assertEquals(expected.stream().sorted().toList(), found, "the conflicts of the patch " + patch + shown);
    return !found.isEmpty();
  }

  /**
   * Under JSON Patch, the patch the writer computes from the loaded manifest, the live object and
   * the record on it, applied to the live object with another library (zjsonpatch), changes what the
   * plan changes and nothing else: every field of the live object, at any depth and in every list
   * element, that it takes away or rewrites lies at or under a change of the diff (paths name live
   * indices; an element the diff removes is taken out of its list before the rest is compared by
   * position; the record's annotation aside), every field the diff removes is gone, and every list the diff removes elements of
   * or adds elements to ({@code -}) has that many fewer or more. An adoption's patch too: the record
   * on an object nobody owns counts as applied, this library's own or else kubectl's.
   * The object patched.
   */
  private static JsonNode patchRemovesWhatThePlanRemoves(JsonNode pair, Resource desired, String owner,
                                                         ResourceDiff diff, String shown) {
    SchemaSources schemas = new SchemaSources();
    if (pair.hasNonNull("crd")) {
      schemas.learnCrd(pair.get("crd"));
    }
    ObjectNode live = (ObjectNode) pair.get("live");
    ObjectNode body = new WriteBodies(List.of(), schemas, null, true).writable(desired, owner);
    JsonNode last = AppliedRecord.lastApplied(live, AppliedRecord::decode);
    JsonNode patch = ThreeWayPatch.update(desired.id(), body, live, last, null,
        ThreeWayPatch.root(schemas, desired.id(), live, body));
    JsonNode result = com.flipkart.zjsonpatch.JsonPatch.apply(patch, live);
    if (pair.hasNonNull("crd")) { // the server defaults a custom resource on every write, a patch too (pair 482)
      SchemaField root = schemas.custom(desired.id().group(), desired.id().kind(), live.path("apiVersion").asText());
      result = root == null ? result : CustomStorage.defaulted(result, root.type);
    }
    List<String> changes = diff.changes().stream().map(Change::path).toList();
    Set<String> removals = diff.changes().stream().filter(c -> c.op() == Change.Op.REMOVE).map(Change::path)
        .collect(Collectors.toSet());
    List<String> touched = new ArrayList<>();
    touched(live, result, "", removals, touched);
    touched.remove("/metadata/annotations/" + Labels.APPLIED.replace("/", "~1")); // the record of this write
    for (String path : touched) {
      assertTrue(changes.stream().anyMatch(c -> under(path, c)), "the patch " + patch + " takes or rewrites "
          + path + ", which the plan does not change:" + shown);
    }
    for (String path : removals) {
      String parent = path.substring(0, path.lastIndexOf('/'));
      if (live.at(parent).isArray()) {
        long added = changes.stream().filter(c -> c.equals(parent + "/-")).count();
        long removed = removals.stream().filter(r -> r.startsWith(parent + "/") && r.indexOf('/', parent.length() + 1) < 0).count();
        assertEquals(live.at(parent).size() - removed + added, at(live, result, parent, removals).size(),
            "the patch " + patch + " leaves the list " + parent + " another length than the plan's:" + shown);
      } else {
        assertTrue(at(live, result, path, removals).isMissingNode(), "the patch " + patch + " leaves " + path + ":" + shown);
      }
    }
    return result;
  }

  /**
   * Adds to {@code out} the pointer of every leaf of {@code live} (a scalar, an empty object or
   * list), at any depth, that {@code result} lacks or holds another value at (numbers by value);
   * a list's elements are compared by position once the elements {@code removals} names are out.
   */
  private static void touched(JsonNode live, JsonNode result, String path, Set<String> removals, List<String> out) {
    if (live.isContainerNode() && !live.isEmpty()) {
      if (live.isObject()) {
        for (Map.Entry<String, JsonNode> e : live.properties()) {
          touched(e.getValue(), result == null ? null : result.get(e.getKey()),
              path + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), removals, out);
        }
      } else {
        for (int i = 0, j = 0; i < live.size(); i++) {
          if (!removals.contains(path + "/" + i)) {
            touched(live.get(i), result == null ? null : result.get(j++), path + "/" + i, removals, out);
          }
        }
      }
    } else if (result == null || !(result.equals(live) || result.isNumber() && live.isNumber()
        && result.decimalValue().compareTo(live.decimalValue()) == 0)) {
      out.add(path);
    }
  }

  /** What {@code result} holds where {@code live} holds {@code path}, list indices moved past the removed elements. */
  private static JsonNode at(JsonNode live, JsonNode result, String path, Set<String> removals) {
    JsonNode l = live;
    JsonNode r = result;
    String p = "";
    for (String segment : path.substring(1).split("/", -1)) {
      String name = segment.replace("~1", "/").replace("~0", "~");
      if (l.isArray()) {
        int index = Integer.parseInt(segment);
        int moved = index;
        for (int i = 0; i < index; i++) {
          moved -= removals.contains(p + "/" + i) ? 1 : 0;
        }
        l = l.path(index);
        r = r.path(moved);
      } else {
        l = l.path(name);
        r = r.path(name);
      }
      p = p + "/" + segment;
    }
    return r;
  }

  /**
   * Every conflicting field has a change at or below it, every change lies under one, and the
   * named manager owns that field ({@code gitops} may own it too: structured-merge-diff checks
   * every other manager's set against what the apply changes, shared or not). A pair that lists
   * {@code changes} too (Git's alternative added beside another manager's, pairs 390 to 391) has them
   * checked exactly instead of each lying under a conflict.
   */
  private static void conflicts(JsonNode pair, ResourceDiff diff, String shown) {
    List<String> paths = new ArrayList<>();
    for (JsonNode c : pair.path("conflicts")) {
      String path = c.path("path").asText();
      paths.add(path);
      assertTrue(diff.changes().stream().anyMatch(ch -> under(ch.path(), path)),
          "a change at " + path + " expected:" + shown);
      ObjectNode live = (ObjectNode) pair.get("live");
      assertTrue(Ownership.managers(live, path).contains(c.path("manager").asText()),
          path + " is owned by " + Ownership.managers(live, path) + ", not " + c.path("manager") + shown);
    }
    for (Change ch : pair.has("changes") ? List.<Change>of() : diff.changes()) {
      assertTrue(paths.stream().anyMatch(p -> under(ch.path(), p)), ch + " is no conflict" + shown);
    }
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  private static TreeSet<String> expected(JsonNode changes) {
    TreeSet<String> out = new TreeSet<>();
    changes.forEach(c -> out.add(c.path("op").asText() + " " + c.path("path").asText()));
    return out;
  }

  private static TreeSet<String> actual(ResourceDiff diff) {
    TreeSet<String> out = new TreeSet<>();
    diff.changes().forEach(c -> out.add(c.op().name().toLowerCase(java.util.Locale.ROOT) + " " + c.path()));
    return out;
  }

  private static Content.Bytes yamlFile(JsonNode node) throws IOException {
    return Content.bytes(YAML.writeValueAsString(node).getBytes(StandardCharsets.UTF_8),
        dev.gitops.model.FileMode.REGULAR);
  }

  private static Path corpus() throws URISyntaxException {
    URL url = ServerObjectsVerdictTest.class.getResource("/server-objects/README.md");
    return url == null ? null : Path.of(url.toURI()).getParent();
  }
}

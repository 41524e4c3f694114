package dev.gitops.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.flipkart.zjsonpatch.JsonPatch;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The diff laws, each checked on 1,000 generated examples. */
class DiffProperties {
  private static final ResourceId ID = ResourceId.of("ConfigMap", "default", "cm");
  private static final ResourceId SECRET = ResourceId.of("Secret", "default", "db");
  private static final ResourceId FILE = ResourceId.file("etc/app.key");

  /** Lower-cases every text value: idempotent, returns the tree itself when nothing changes. */
  private static final Normalizer LOWER = (id, tree) -> lower(tree);

  @Test
  void applyingTheJsonPatchOfADiffToActualGivesDesired() {
    Differ differ = new Differ(DiffOptions.defaults());
    qt().withExamples(1000).forAll(TreeGen.pairs()).check(pair -> {
      ResourceDiff diff = differ.diff(ID, Content.tree(pair[0]), Content.tree(pair[1]), null);
      JsonNode patched = JsonPatch.apply(DiffRenderer.jsonPatch(diff), pair[0]);
      return patched.equals(TreeGen.BY_VALUE, pair[1]);
    });
  }

  @Test
  void applyingTheJsonPatchAcrossMergeKeyedListsGivesDesiredUpToTheirOrder() {
    Differ differ = new Differ(DiffOptions.defaults().withMergeKey("/l", "name").withMergeKey("/l/*/m", "name"));
    qt().withExamples(1000).forAll(TreeGen.keyedPairs()).check(pair -> {
      ResourceDiff diff = differ.diff(ID, Content.tree(pair[0]), Content.tree(pair[1]), null);
      JsonNode patched = JsonPatch.apply(DiffRenderer.jsonPatch(diff), pair[0]);
      return TreeGen.sortedByName(patched).equals(TreeGen.BY_VALUE, TreeGen.sortedByName(pair[1]))
          && differ.diff(ID, Content.tree(patched), Content.tree(pair[1]), null).isEmpty();
    });
  }

  @Test
  void diffIsEmptyIffNormalisedTreesAreEqual() {
    Differ differ = new Differ(DiffOptions.defaults().normalizing(LOWER));
    qt().withExamples(1000).forAll(TreeGen.pairs()).check(pair -> {
      boolean empty = differ.diff(ID, Content.tree(pair[0]), Content.tree(pair[1]), null).isEmpty();
      boolean equal = lower(pair[0]).equals(TreeGen.BY_VALUE, lower(pair[1]));
      return empty == equal && differ.equivalent(ID, Content.tree(pair[0]), Content.tree(pair[1])) == equal;
    });
  }

  @Test
  void desiredSubsetFindsNoDriftInFieldsOnlyTheActualSideHas() {
    Differ differ = new Differ(DiffOptions.defaults().withMode(DiffOptions.Mode.DESIRED_SUBSET));
    qt().withExamples(1000).forAll(TreeGen.pruned()).check(pair ->
        differ.diff(ID, Content.tree(pair[0]), Content.tree(pair[1]), null).isEmpty()
            && differ.diff(ID, Content.tree(pair[0]), Content.tree(pair[1]), Content.tree(pair[1])).isEmpty());
  }

  @Test
  void lastAppliedEqualToDesiredAddsNoRemovals() {
    Differ differ = new Differ(DiffOptions.defaults().withMode(DiffOptions.Mode.DESIRED_SUBSET)
        .withMergeKey("/*", "name"));
    qt().withExamples(1000).forAll(TreeGen.pairs()).check(pair -> {
      Content a = Content.tree(pair[0]);
      Content d = Content.tree(pair[1]);
      return differ.diff(ID, a, d, d).equals(differ.diff(ID, a, d, null));
    });
  }

  @Test
  void diffIsDeterministicAndIgnoresFieldOrder() {
    DiffOptions options = DiffOptions.defaults().withMergeKey("/*", "name")
        .ignoring(PathRule.forAll("/b/*")).masking(PathRule.forAll("/c"));
    qt().withExamples(1000).forAll(TreeGen.pairs()).check(pair -> {
      Content a = Content.tree(pair[0]);
      Content d = Content.tree(pair[1]);
      ResourceDiff first = new Differ(options).diff(ID, a, d, null);
      ResourceDiff again = new Differ(options).diff(ID, a, d, null);
      ResourceDiff shuffled = new Differ(options).diff(ID,
          Content.tree(TreeGen.reversed(pair[0])), Content.tree(TreeGen.reversed(pair[1])), null);
      return first.equals(again) && first.changes().equals(shuffled.changes())
          && first.suppressed().equals(shuffled.suppressed())
          && DiffRenderer.unified(ID, a, d, first, options).equals(DiffRenderer.unified(ID, a, d, again, options))
          && DiffRenderer.jsonPatch(first).equals(DiffRenderer.jsonPatch(shuffled));
    });
  }

  @Test
  void sensitiveValuesNeverAppearInAnyRendering() {
    Gen<String> secrets = strings().basicLatinAlphabet().ofLengthBetween(12, 20)
        .map(s -> "S3cr3t" + s.replaceAll("[^A-Za-z0-9]", "q"));
    DiffOptions options = DiffOptions.defaults()
        .masking(PathRule.forKind("Secret", "/data/*"), PathRule.forKind("File", "/content"));
    Differ differ = new Differ(options);
    qt().withExamples(1000).forAll(secrets, secrets, integers().between(0, 3), TreeGen.trees())
        .check((s1, s2, shape, extra) -> {
          ObjectNode actual = JsonNodeFactory.instance.objectNode();
          ObjectNode desired = JsonNodeFactory.instance.objectNode();
          actual.set("meta", extra);
          desired.set("meta", extra);
          if (shape != 1) {
            actual.putObject("data").put("password", s1).put("same", s2);
          }
          if (shape != 2) {
            desired.putObject("data").put("password", shape == 3 ? s1 : s2).put("same", s2)
                .putObject("nested").put("deep", s1);
          }
          Content a = shape == 0 && s1.length() % 2 == 0 ? null : Content.tree(actual);
          String text = render(differ, SECRET, a, Content.tree(desired), options);
          Content.Bytes fa = Content.bytes(s1.getBytes(StandardCharsets.UTF_8), FileMode.of(0600));
          Content.Bytes fd = Content.bytes(("key=" + s2 + "\n").getBytes(StandardCharsets.UTF_8), FileMode.of(0640));
          text += render(differ, FILE, fa, fd, options);
          return !text.contains(s1) && !text.contains(s2);
        });
  }

  private static String render(Differ differ, ResourceId id, Content a, Content d, DiffOptions options) {
    ResourceDiff diff = differ.diff(id, a, d, null);
    StringBuilder out = new StringBuilder();
    out.append(diff).append(diff.explain()).append(DiffRenderer.jsonPatchText(diff))
        .append(DiffRenderer.unified(id, a, d, diff, options));
    diff.changes().forEach(c -> out.append(c));
    assertEquals(false, diff.isEmpty(), "the generated sides always differ somewhere");
    return out.toString();
  }

  private static JsonNode lower(JsonNode node) {
    if (node.isTextual()) {
      String low = node.textValue().toLowerCase(Locale.ROOT);
      return low.equals(node.textValue()) ? node : TextNode.valueOf(low);
    }
    if (node.isObject()) {
      ObjectNode out = null;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = lower(e.getValue());
        if (v != e.getValue()) {
          out = out == null ? ((ObjectNode) node).deepCopy() : out;
          out.set(e.getKey(), v);
        }
      }
      return out == null ? node : out;
    }
    if (node.isArray()) {
      List<JsonNode> items = new java.util.ArrayList<>();
      boolean changed = false;
      for (JsonNode e : node) {
        JsonNode v = lower(e);
        changed |= v != e;
        items.add(v);
      }
      return changed ? JsonNodeFactory.instance.arrayNode().addAll(items) : node;
    }
    return node;
  }
}

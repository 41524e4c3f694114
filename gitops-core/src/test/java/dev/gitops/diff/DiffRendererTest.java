package dev.gitops.diff;

import static dev.gitops.diff.Trees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.flipkart.zjsonpatch.JsonPatch;
import dev.gitops.Golden;
import dev.gitops.diff.DiffOptions.Mode;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DiffRendererTest {
  private static final ResourceId WEB = new ResourceId("apps", "Deployment", "default", "web");
  private static final ResourceId DB = ResourceId.of("Secret", "default", "db");
  private static final DiffOptions K8S = DiffOptions.defaults()
      .withMergeKey("/spec/template/spec/containers", "name")
      .ignoring(PathRule.forAll("/status"))
      .masking(PathRule.forKind("Secret", "/data/*"));

  private static String unified(DiffOptions o, ResourceId id, Content actual, Content desired) {
    return DiffRenderer.unified(id, actual, desired, new Differ(o).diff(id, actual, desired, null), o);
  }

  private static Content.Bytes text(String s, int mode) {
    return Content.bytes(s.getBytes(StandardCharsets.UTF_8), FileMode.of(mode));
  }

  @Test
  void treesRenderAsAUnifiedDiffOfSortedYaml() {
    Content actual = tree("{'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'web','image':'nginx:1'}]}}},"
        + "'metadata':{'name':'web'},'status':{'ready':1}}");
    Content desired = tree("{'metadata':{'name':'web'},"
        + "'spec':{'template':{'spec':{'containers':[{'image':'nginx:2','name':'web'}]}},'replicas':3}}");
    Golden.check("diff/deployment.diff", unified(K8S, WEB, actual, desired));
  }

  @Test
  void secretValuesAreMaskedAsChangedOrUnchanged() {
    Content actual = tree("{'kind':'Secret','data':{'user':'YWRtaW4=','password':'aHVudGVyMg=='}}");
    Content desired = tree("{'kind':'Secret','data':{'user':'YWRtaW4=','password':'c3dvcmRmaXNo'}}");
    String out = unified(K8S, DB, actual, desired);
    Golden.check("diff/secret.diff", out);
    assertFalse(out.contains("aHVudGVyMg") || out.contains("c3dvcmRmaXNo") || out.contains("YWRtaW4"));
  }

  @Test
  void createdResourcesRenderAgainstNothing() {
    Golden.check("diff/created.diff", unified(K8S, DB, null, tree("{'kind':'Secret','data':{'token':'dG9rZW4='}}")));
  }

  @Test
  void desiredSubsetLeavesOutActualOnlyFieldsButShowsRemovals() {
    DiffOptions subset = K8S.withMode(Mode.DESIRED_SUBSET);
    Content actual = tree("{'metadata':{'name':'cm','uid':'123'},'data':{'a':'1','old':'2'}}");
    Content desired = tree("{'metadata':{'name':'cm'},'data':{'a':'9'}}");
    Content last = tree("{'metadata':{'name':'cm'},'data':{'a':'1','old':'2'}}");
    ResourceId cm = ResourceId.of("ConfigMap", "default", "cm");
    ResourceDiff diff = new Differ(subset).diff(cm, actual, desired, last);
    Golden.check("diff/subset.diff", DiffRenderer.unified(cm, actual, desired, diff, subset));
  }

  @Test
  void textFilesRenderLineByLineWithModeChanges() {
    Content actual = text("port=80\nhost=a\nuser=web\n", 0644);
    Content desired = text("port=8080\nhost=a\nuser=web\n", 0600);
    Golden.check("diff/file.diff", unified(DiffOptions.defaults(), ResourceId.file("etc/app.conf"), actual, desired));
  }

  @Test
  void binaryFilesRenderAsOneLineWithBothDigests() {
    Content actual = Content.bytes(new byte[] {0, 1}, FileMode.REGULAR);
    Content desired = Content.bytes(new byte[] {0, 2}, FileMode.REGULAR);
    Golden.check("diff/binary.diff", unified(DiffOptions.defaults(), ResourceId.file("bin/tool"), actual, desired));
  }

  @Test
  void sensitiveFilesNeverShowTheirLines() {
    DiffOptions o = DiffOptions.defaults().masking(PathRule.forKind("File", "/content"));
    String out = unified(o, ResourceId.file("etc/key"), text("old-secret\n", 0600), text("new-secret\n", 0600));
    assertEquals("--- File//etc/key (actual)\n+++ File//etc/key (desired)\n@@ -1,1 +1,1 @@\n"
        + "-*** (changed)\n+*** (changed)\n", out);
  }

  @Test
  void identicalSidesRenderAsNothing() {
    assertEquals("", unified(K8S, WEB, Trees.deployment(1, "a"), Trees.deployment(1, "a")));
  }

  @Test
  void jsonPatchTurnsActualIntoDesiredForKeyedListsToo() {
    DiffOptions o = DiffOptions.defaults().withMergeKey("/l", "name");
    JsonNode actual = Trees.json("{'l':[{'name':'a','v':1},{'name':'b','v':2},{'name':'c'}],'x':[1,2,3]}");
    JsonNode desired = Trees.json("{'l':[{'name':'b','v':3},{'name':'d'},{'name':'e','v':0}],'x':[1]}");
    ResourceDiff diff = new Differ(o).diff(DB, Content.tree(actual), Content.tree(desired), null);
    ArrayNode patch = DiffRenderer.jsonPatch(diff);
    assertEquals(desired, JsonPatch.apply(patch, actual));
    Golden.check("diff/patch.json", DiffRenderer.jsonPatchText(diff));
  }

  @Test
  void jsonPatchTextMasksSensitiveValuesWhileJsonPatchKeepsThem() {
    Content actual = tree("{'data':{'password':'aHVudGVyMg=='}}");
    Content desired = tree("{'data':{'password':'c3dvcmRmaXNo'}}");
    ResourceDiff diff = new Differ(K8S).diff(DB, actual, desired, null);
    assertFalse(DiffRenderer.jsonPatchText(diff).contains("c3dvcmRmaXNo"));
    assertTrue(DiffRenderer.jsonPatchText(diff).contains("*** (changed)"));
    assertEquals("c3dvcmRmaXNo", DiffRenderer.jsonPatch(diff).get(0).get("value").textValue());
  }

  @Test
  void aScalarWhereASensitivePathExpectsAMapIsMaskedToo() {
    String out = unified(K8S, DB, tree("{'data':'cGxhaW4='}"), tree("{'data':{'k':'c2VjcmV0'}}"));
    assertFalse(out.contains("cGxhaW4") || out.contains("c2VjcmV0"), out);
    assertTrue(out.contains("-data: '*** (changed)'"), out);
  }

  @Test
  void fileIgnoreRulesHideModeAndContentFromTheRendering() {
    DiffOptions o = DiffOptions.defaults().ignoring(PathRule.forKind("File", "/mode"));
    ResourceId id = ResourceId.file("etc/a");
    assertEquals("", unified(o, id, text("x\n", 0644), text("x\n", 0600)));
    DiffOptions content = DiffOptions.defaults().ignoring(PathRule.forKind("File", "/content"));
    assertEquals("--- File//etc/a (actual)\n+++ File//etc/a (desired)\nmode 0644 -> 0600\n",
        unified(content, id, text("x\n", 0644), text("y\n", 0600)));
  }

  @Test
  void desiredSubsetViewsPairKeyedElementsAndLeaveOutInjectedOnes() {
    DiffOptions subset = K8S.withMode(Mode.DESIRED_SUBSET);
    Content actual = tree("{'spec':{'template':{'spec':{'containers':["
        + "{'name':'istio-proxy','image':'proxy'},{'name':'web','image':'nginx:1','imagePullPolicy':'Always'}]}}}}");
    Content desired = tree("{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx:2'}]}}}}");
    String out = unified(subset, WEB, actual, desired);
    assertFalse(out.contains("istio-proxy") || out.contains("imagePullPolicy"), out);
    assertTrue(out.contains("-      - image: nginx:1\n+      - image: nginx:2"), out);
  }
}

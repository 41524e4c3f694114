package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.ResourceId;
import org.junit.jupiter.api.Test;

class ObservedFromLiveTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void liveObjectIsObservedWithoutStatusAndManagedFieldsAndWithItsRecordDecoded() throws Exception {
    JsonNode applied = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'app'},"
        + "'data':{'a':'1'}}");
    ObjectNode live = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'app',"
        + "'namespace':'shop','resourceVersion':'41','labels':{'gitops.dev/owner':'team-a'},"
        + "'annotations':{'keep':'me'},'managedFields':[{'manager':'gitops','fieldsV1':{}}]},"
        + "'data':{'a':'1','b':'2'},'status':{'phase':'Ready'}}");
    ((ObjectNode) live.get("metadata").get("annotations"))
        .put(KubernetesTarget.APPLIED_ANNOTATION, AppliedRecord.encode(applied, false));
    ObjectNode before = live.deepCopy();

    Observed observed = KubernetesTarget.observed(live);

    assertEquals(ResourceId.of("ConfigMap", "shop", "app"), observed.id());
    assertEquals("team-a", observed.owner());
    assertEquals("41", observed.version());
    assertEquals(applied, ((Content.Tree) observed.lastApplied()).node());
    JsonNode content = ((Content.Tree) observed.resource().content()).node();
    assertFalse(content.get("metadata").has("managedFields"), content.toString());
    assertFalse(content.has("status"), content.toString());
    assertEquals(json("{'keep':'me'}"), content.get("metadata").get("annotations"));
    assertEquals(json("{'a':'1','b':'2'}"), content.get("data"));
    assertEquals(before, live, "the live object was changed");
    // Kept in the reader's compact layout: the same tree either way round, printed the same.
    ObjectNode expected = before.deepCopy();
    expected.remove("status");
    ((ObjectNode) expected.get("metadata")).remove("managedFields");
    ((ObjectNode) expected.get("metadata")).set("annotations", json("{'keep':'me'}"));
    assertEquals(expected, content);
    assertEquals(content, expected);
    assertEquals(expected.hashCode(), content.hashCode());
    assertEquals(JSON.writeValueAsString(expected), JSON.writeValueAsString(content));
  }

  @Test
  void clusterScopedObjectWithoutRecordHasNoLastApplied() throws Exception {
    Observed observed = KubernetesTarget.observed(json("{'apiVersion':'v1','kind':'Namespace',"
        + "'metadata':{'name':'shop','managedFields':[]}}"));

    assertEquals(ResourceId.of("Namespace", "", "shop"), observed.id());
    assertEquals("", observed.owner());
    assertNull(observed.lastApplied());
  }

  /**
   * After a switch from server-side apply to JSON Patch, the {@code gitops} Apply entry from before
   * the switch still owns a key the JSON Patch record no longer holds: a JSON Patch target takes its
   * record as applied (its patch never removes the key), so an observation for that strategy must
   * too, or a plan made from a dump shows a removal the target never plans nor makes.
   */
  @Test
  void underJsonPatchWhatWasAppliedLastIsTheRecordNotAnApplyEntryFromBefore() throws Exception {
    JsonNode record = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'app'},'data':{'a':'1'}}");
    ObjectNode live = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'app','namespace':'shop',"
        + "'labels':{'gitops.dev/owner':'team-a'},'managedFields':[{'manager':'gitops','operation':'Apply',"
        + "'fieldsType':'FieldsV1','fieldsV1':{'f:data':{'f:a':{},'f:b':{}}}}]},'data':{'a':'1','b':'2'}}");
    ((ObjectNode) live.get("metadata")).putObject("annotations")
        .put(KubernetesTarget.APPLIED_ANNOTATION, AppliedRecord.encode(record, false));

    Observed patched = KubernetesTarget.observed(live, ApplyStrategy.JSON_PATCH);
    Observed applied = KubernetesTarget.observed(live, ApplyStrategy.SERVER_SIDE);

    assertEquals(record, ((Content.Tree) patched.lastApplied()).node());
    assertEquals(KubernetesTarget.observed(live).lastApplied(), applied.lastApplied());
    assertTrue(((Content.Tree) applied.lastApplied()).node().path("data").has("b"), "server-side: the Apply entry");
  }

  /** On an object nobody owns, JSON Patch takes what plain {@code kubectl apply} recorded as applied. */
  @Test
  void underJsonPatchAnObjectNobodyOwnsHasKubectlsRecordAsApplied() throws Exception {
    String config = "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'app','namespace':'shop'},"
        + "'data':{'a':'1'}}";
    ObjectNode live = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'app','namespace':'shop',"
        + "'managedFields':[]},'data':{'a':'1','b':'2'}}");
    ((ObjectNode) live.get("metadata")).putObject("annotations")
        .put(ManagedFields.KUBECTL_RECORD, json(config).toString());

    assertEquals(json(config), ((Content.Tree) KubernetesTarget.observed(live, ApplyStrategy.JSON_PATCH)
        .lastApplied()).node());
  }
}

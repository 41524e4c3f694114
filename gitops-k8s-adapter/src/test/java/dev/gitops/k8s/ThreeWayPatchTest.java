package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ThreeWayPatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  @Test
  void setsChangedFieldsRemovesFieldsThatLeftDesiredAndLeavesServerFieldsAlone() throws Exception {
    JsonNode desired = json("{'metadata':{'name':'a','labels':{'app.kubernetes.io/name':'a'}},'data':{'x':'2'}}");
    JsonNode live = json("{'metadata':{'name':'a','resourceVersion':'7','uid':'u','labels':{}},"
        + "'data':{'x':'1','gone':'y','theirs':'z'}}");
    JsonNode last = json("{'metadata':{'name':'a'},'data':{'x':'1','gone':'y'}}");
    assertEquals(json("[{'op':'replace','path':'/metadata/resourceVersion','value':'7'},"
        + "{'op':'add','path':'/metadata/labels/app.kubernetes.io~1name','value':'a'},"
        + "{'op':'replace','path':'/data/x','value':'2'},{'op':'remove','path':'/data/gone'}]"),
        ThreeWayPatch.of(desired, live, last, "7"));
  }

  @Test
  void listsEqualBeyondServerAddedFieldsAreNotRewritten() throws Exception {
    JsonNode desired = json("{'spec':{'ports':[{'port':80}]}}");
    JsonNode live = json("{'spec':{'ports':[{'port':80,'protocol':'TCP'}]}}");
    assertEquals(json("[]"), ThreeWayPatch.of(desired, live, null, null));
    assertFalse(ThreeWayPatch.of(json("{'spec':{'ports':[{'port':81}]}}"), live, null, null).isEmpty());
  }

  @Test
  void aListWhoseElementLostAFieldAppliedLastTimeIsWrittenWhole() throws Exception {
    JsonNode desired = json("{'spec':{'tolerations':[{'key':'gpu','operator':'Exists'},{'key':'spot'}]}}");
    JsonNode live = json("{'spec':{'tolerations':[{'key':'gpu','operator':'Exists','effect':'NoSchedule'},"
        + "{'key':'spot','operator':'Equal'}]}}");
    JsonNode last = json("{'spec':{'tolerations':[{'key':'gpu','operator':'Exists','effect':'NoSchedule'},"
        + "{'key':'spot'}]}}");
    assertEquals(json("[{'op':'replace','path':'/spec/tolerations','value':" + desired.at("/spec/tolerations") + "}]"),
        ThreeWayPatch.of(desired, live, last, null));
    // fields only the live elements have that were never applied (another writer's) leave the list alone
    assertEquals(json("[]"), ThreeWayPatch.of(desired, live, desired, null));
  }

  @Test
  void aKeyLeftOutOfAnAtomicMapAppliedLastTimeIsRemoved() throws Exception {
    JsonNode desired = json("{'spec':{'nodeSelector':{'disktype':'ssd'},'podSelector':{'matchLabels':{'app':'api'}}}}");
    JsonNode live = json("{'spec':{'nodeSelector':{'disktype':'ssd','zone':'eu-a'},"
        + "'podSelector':{'matchLabels':{'app':'api','tier':'backend'}}}}");
    JsonNode last = json("{'spec':{'nodeSelector':{'disktype':'ssd','zone':'eu-a'},"
        + "'podSelector':{'matchLabels':{'app':'api','tier':'backend'}}}}");
    assertEquals(json("[{'op':'remove','path':'/spec/nodeSelector/zone'},"
        + "{'op':'remove','path':'/spec/podSelector/matchLabels/tier'}]"), ThreeWayPatch.of(desired, live, last, null));
    // keys only the live map has that were never applied (another writer's) are left alone
    assertEquals(json("[]"), ThreeWayPatch.of(desired, live, desired, null));
  }

  @Test
  void anOwnerReferenceThatLostAFieldAppliedLastTimeIsWrittenWhole() throws Exception {
    String ref = "{'apiVersion':'v1','kind':'Tenant','name':'shop','uid':'u1'%s}";
    JsonNode desired = json("{'metadata':{'ownerReferences':[" + ref.formatted("") + "]}}");
    JsonNode live = json("{'metadata':{'ownerReferences':[" + ref.formatted(",'blockOwnerDeletion':true") + "]}}");
    assertEquals(json("[{'op':'replace','path':'/metadata/ownerReferences','value':"
        + desired.at("/metadata/ownerReferences") + "}]"), ThreeWayPatch.of(desired, live, live, null));
    assertEquals(json("[]"), ThreeWayPatch.of(desired, live, desired, null));
  }
}

package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which fields of a JSON Patch update are conflicts: a value Git did not change (the record holds
 * it) that another manager has since taken; not a value Git changed, nor what an adopted object's
 * creator still owns because this library never rewrote it.
 */
class PatchConflictsTest {
  private static final ResourceId WEB = new ResourceId("apps", "Deployment", "shop", "web");
  private static final ResourceId POD = new ResourceId("", "Pod", "shop", "web");
  private static final String GIT = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
      + "'namespace':'shop'},'spec':{'replicas':%d,'template':{'spec':{'containers':[{'name':'web',"
      + "'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}}}";

  @Test
  void aValueGitKeepsThatAnotherManagerTookIsAConflict() {
    JsonNode live = live(5, "2", entry("kubectl", "{'f:spec':{'f:replicas':{}}}"));
    assertEquals(List.of(".spec.replicas (manager kubectl)"), conflicts(json(GIT.formatted(3)), live, json(GIT.formatted(3))));
  }

  @Test
  void aValueGitChangedIsWrittenOverWhatTheCreatorStillOwns() {
    JsonNode live = live(2, "2", entry("kubectl-client-side-apply", "{'f:spec':{'f:replicas':{}}}"));
    assertEquals(List.of(), conflicts(json(GIT.formatted(3)), live, json(GIT.formatted(2))));
  }

  @Test
  void aKeyedElementIsFoundInTheRecordByItsKeyNotItsLiveIndex() {
    JsonNode live = live(3, "9", entry("kubectl-set", "{'f:spec':{'f:template':{'f:spec':{'f:containers':"
        + "{'k:{\\\"name\\\":\\\"web\\\"}':{'f:env':{'k:{\\\"name\\\":\\\"B\\\"}':{'f:value':{}}}}}}}}}"));
    ObjectNode last = json(GIT.formatted(3)); // the record lists B first: found by its name
    ((ObjectNode) last.at("/spec/template/spec/containers/0")).putArray("env").add(json("{'name':'B','value':'2'}"))
        .add(json("{'name':'A','value':'1'}"));
    assertEquals(List.of(".spec.template.spec.containers[name=\"web\"].env[name=\"B\"].value (manager kubectl-set)"),
        conflicts(json(GIT.formatted(3)), live, last));
  }

  @Test
  void aPortIsNamedByItsWholeKeySortedByName() {
    ObjectNode live = json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','namespace':'shop'},"
        + "'spec':{'containers':[{'name':'web','ports':[{'containerPort':53,'protocol':'UDP','name':'dns'},"
        + "{'containerPort':8080,'protocol':'TCP','name':'http'}]}]}}");
    assertEquals(".spec.containers[name=\"web\"].ports[containerPort=8080,protocol=\"TCP\"].name",
        FieldPaths.of("/spec/containers/0/ports/1/name", live,
            ThreeWayPatch.root(new SchemaSources(), POD, live, live)));
    assertEquals(".metadata.finalizers[=\"a\"]", FieldPaths.of("/metadata/finalizers/0",
        json("{'metadata':{'finalizers':['a']}}"), ThreeWayPatch.root(new SchemaSources(), POD, live, live)));
  }

  @Test
  void anAlternativeAnotherManagerKeepsIsNamedByItsElementsKey() {
    ObjectNode live = json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','namespace':'shop',"
        + "'managedFields':[{'manager':'kubectl-edit','operation':'Update','fieldsV1':"
        + "{'f:spec':{'f:volumes':{'k:{\\'name\\':\\'data\\'}':{'f:emptyDir':{}}}}}}]},"
        + "'spec':{'volumes':[{'name':'logs','emptyDir':{}},{'name':'data','emptyDir':{}}]}}");
    JsonNode desired = json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','namespace':'shop'},"
        + "'spec':{'volumes':[{'name':'logs','emptyDir':{}},{'name':'data','persistentVolumeClaim':{'claimName':'d'}}]}}");
    FieldSchema.Node root = ThreeWayPatch.root(new SchemaSources(), POD, live, desired);
    JsonNode ops = ThreeWayPatch.update(POD, desired, live, null, null, root);
    assertEquals(List.of(".spec.volumes[name=\"data\"].emptyDir (manager kubectl-edit)"),
        PatchConflicts.of(POD, desired, ops, live, null, root));
  }

  @Test
  void nothingAppliedBeforeIsNoConflict() {
    JsonNode live = live(5, "2", entry("kubectl", "{'f:spec':{'f:replicas':{}}}"));
    assertEquals(List.of(), conflicts(json(GIT.formatted(3)), live, null));
  }

  private static List<String> conflicts(JsonNode desired, JsonNode live, JsonNode last) {
    FieldSchema.Node root = ThreeWayPatch.root(new SchemaSources(), WEB, (ObjectNode) live, desired);
    return PatchConflicts.of(ThreeWayPatch.of(desired, live, last, null, root), live, last, root);
  }

  /** The live object: {@code replicas}, env B's value, and the one other manager's {@code entry}. */
  private static ObjectNode live(int replicas, String b, String entry) {
    ObjectNode live = json(GIT.formatted(replicas));
    ((ObjectNode) live.at("/spec/template/spec/containers/0/env/1")).put("value", b);
    ((ObjectNode) live.get("metadata")).set("managedFields", Json.parse(("[" + entry + "]").replace('\'', '"')));
    return live;
  }

  private static String entry(String manager, String fields) {
    return "{'apiVersion':'apps/v1','fieldsType':'FieldsV1','manager':'" + manager + "','operation':'Update',"
        + "'fieldsV1':" + fields + "}";
  }

  private static ObjectNode json(String text) {
    return (ObjectNode) Json.parse(text.replace('\'', '"'));
  }
}

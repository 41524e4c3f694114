package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a write sent and its answer lacks, owned by no entry of gitops: dropped by the server's decoder. */
class DecodedDropsTest {
  private static final ResourceId WEB = new ResourceId("apps", "Deployment", "shop", "web");

  @Test
  void aFieldTheAnswerLacksAndNoEntryOwnsIsFoundAtItsElement() {
    JsonNode desired = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'template':"
        + "{'spec':{'hostNetwork':false,'containers':[{'name':'web','image':'w:1','newField':'x'}]}}}}");
    ObjectNode answer = (ObjectNode) json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
        + "'managedFields':[{'manager':'gitops','operation':'Update','fieldsV1':{'f:spec':{'f:template':{'f:spec':"
        + "{'f:containers':{'k:{\\'name\\':\\'web\\'}':{'.':{},'f:image':{},'f:name':{}}}}}}}}]},"
        + "'spec':{'template':{'spec':{'containers':[{'name':'web','image':'w:1'}]}}}}");
    List<String> found = texts(DecodedDrops.of(desired, answer, root(desired, answer), p -> true));
    // hostNetwork: false is a zero Go's encoder leaves out, not a drop
    assertEquals(List.of(".spec.template.spec.containers[name=web].newField"), found);
    assertEquals(List.of(), texts(DecodedDrops.of(desired, answer, root(desired, answer), p -> !p.contains("/containers/"))),
        "a field the write did not send is none");
  }

  @Test
  void aListElementTheWriteAddedWholeIsFoundInTheAnswerByItsKey() {
    JsonNode desired = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'template':"
        + "{'spec':{'containers':[{'name':'web','image':'w:1'},{'name':'side','image':'s:1','newField':'x'}]}}}}");
    ObjectNode answer = (ObjectNode) json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
        + "'spec':{'template':{'spec':{'containers':[{'name':'web','image':'w:1'},{'name':'side','image':'s:1'}]}}}}");
    String list = "/spec/template/spec/containers";
    JsonNode side = desired.at(list + "/1");
    assertEquals(List.of(".spec.template.spec.containers[name=side].newField"), texts(DecodedDrops.of(desired, answer,
        root(desired, answer), p -> false, l -> l.equals(list) ? List.of(side) : List.of())), "the plan named it " + list + "/-");
    JsonNode other = json("{'name':'other','image':'o:1','newField':'x'}");
    assertEquals(List.of(), texts(DecodedDrops.of(desired, answer, root(desired, answer), p -> false,
        l -> l.equals(list) ? List.of(other) : List.of())), "another element added: side was not sent");
  }

  @Test
  void aFieldTheUpdateEntryOwnsIsTheStrategysDropNotTheDecoders() {
    JsonNode desired = json("{'apiVersion':'v1','kind':'Service','metadata':{'name':'api'},'spec':"
        + "{'trafficDistribution':'PreferClose'}}");
    ObjectNode owned = (ObjectNode) json("{'apiVersion':'v1','kind':'Service','metadata':{'name':'api','managedFields':"
        + "[{'manager':'gitops','operation':'Update','fieldsV1':{'f:spec':{'f:trafficDistribution':{}}}}]},'spec':{}}");
    ResourceId api = new ResourceId("", "Service", "shop", "api");
    assertEquals(List.of(), texts(DecodedDrops.of(desired, owned, null, p -> true)));
    ObjectNode unowned = owned.deepCopy();
    unowned.with("metadata").remove("managedFields");
    assertEquals(List.of(".spec.trafficDistribution"), texts(DecodedDrops.of(desired, unowned, null, p -> true)), api.toString());
  }

  @Test
  void aSecretsStringDataIsNoDrop() {
    JsonNode desired = json("{'apiVersion':'v1','kind':'Secret','metadata':{'name':'s'},'stringData':{'a':'b'}}");
    ObjectNode answer = (ObjectNode) json("{'apiVersion':'v1','kind':'Secret','metadata':{'name':'s'},'data':{'a':'Yg=='}}");
    assertEquals(List.of(), texts(DecodedDrops.of(desired, answer, null, p -> true)));
  }

  @Test
  void whatTheObjectKeepsReadsBackAsFound() {
    JsonNode desired = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'template':"
        + "{'spec':{'containers':[{'name':'side','image':'s:1','newField':'x'}]}}}}");
    ObjectNode answer = (ObjectNode) json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
        + "'spec':{'template':{'spec':{'containers':[{'name':'side','image':'s:1'}]}}}}");
    List<ServerDrops.Dropped> found = DecodedDrops.of(desired, answer, root(desired, answer), p -> true);
    java.util.Map<ServerDrops.Dropped, Integer> fields = java.util.Map.of(found.get(0), 7);
    answer.with("metadata").putObject("annotations").put(DecodedDrops.ANNOTATION, DecodedDrops.encode(fields));
    assertEquals(fields, DecodedDrops.remembered(answer));
    assertEquals(json("'x'"), DecodedDrops.remembered(answer).keySet().iterator().next().in(desired), "found by its key");
    answer.with("metadata").with("annotations").put(DecodedDrops.ANNOTATION, "not json");
    assertEquals(java.util.Map.of(), DecodedDrops.remembered(answer), "edited by hand: nothing kept");
    assertEquals(null, DecodedDrops.encode(java.util.Map.of()));
  }

  private static dev.gitops.diff.FieldSchema.Node root(JsonNode desired, JsonNode answer) {
    return KubernetesSchema.builtin().root(WEB, answer, desired, null);
  }

  private static List<String> texts(List<ServerDrops.Dropped> found) {
    return found.stream().map(ServerDrops.Dropped::text).toList();
  }

  private static JsonNode json(String text) {
    return Json.parse(text.replace('\'', '"'));
  }
}

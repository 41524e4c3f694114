package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneOfFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceId POD = new ResourceId("", "Pod", "shop", "web");

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  /** A Pod with {@code spec}, the other managers' entries {@code fields} (a manager and its fieldsV1 each). */
  private static JsonNode pod(String spec, String... managerAndFields) throws Exception {
    StringBuilder entries = new StringBuilder();
    for (int i = 0; i < managerAndFields.length; i += 2) {
      entries.append(i == 0 ? "" : ",").append("{'manager':'").append(managerAndFields[i])
          .append("','operation':'Update','fieldsV1':").append(managerAndFields[i + 1]).append('}');
    }
    return json("{'metadata':{'managedFields':[" + entries + "]},'spec':" + spec + "}");
  }

  /** A live probe Git applied ({@code httpGet}) with {@code timeoutSeconds} edited. */
  private static final String PROBED = "{'containers':[{'name':'web','readinessProbe':{'httpGet':{'port':8080},"
      + "'timeoutSeconds':5,'periodSeconds':10}}]}";
  private static final String TIMEOUT = "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':"
      + "{'f:readinessProbe':{'f:timeoutSeconds':{}}}}}}";
  private static final String HANDLER_PORT = "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':"
      + "{'f:readinessProbe':{'f:httpGet':{'f:port':{}}}}}}}";

  @Test
  void aProbeGitDropsThatAnotherManagerKeepsWithoutAHandlerIsRefusedWhole() throws Exception {
    // validateHandler: a probe without a handler is refused; the apply keeps kubectl-edit's field
    JsonNode desired = json("{'spec':{'containers':[{'name':'web'}]}}");
    assertEquals(json("{'spec':{'containers':[{'readinessProbe':'kubectl-edit','name':'web'}]}}"),
        OneOfFields.refused(POD, pod(PROBED, "kubectl-edit", TIMEOUT), desired));
  }

  @Test
  void aProbeGitDropsWhoseHandlerAnotherManagerKeepsStaysValid() throws Exception {
    JsonNode desired = json("{'spec':{'containers':[{'name':'web'}]}}");
    assertNull(OneOfFields.refused(POD, pod(PROBED, "kubectl-edit", TIMEOUT, "ops", HANDLER_PORT), desired));
  }

  @Test
  void aProbeGitKeepsOrOnlyGitopsKeepsIsNoEmptiedGroup() throws Exception {
    JsonNode kept = json("{'spec':{'containers':[{'name':'web','readinessProbe':{'httpGet':{'port':8080}}}]}}");
    assertNull(OneOfFields.refused(POD, pod(PROBED, "kubectl-edit", TIMEOUT), kept));
    // gitops's own Update entry (JSON Patch) goes with the patch's removal
    assertNull(OneOfFields.refused(POD, pod(PROBED, "gitops", TIMEOUT),
        json("{'spec':{'containers':[{'name':'web'}]}}")));
  }

  @Test
  void volumeSourceAnotherManagerKeepsBesideGitsIsRefused() throws Exception {
    JsonNode live = pod("{'volumes':[{'name':'data','emptyDir':{}}]}",
        "kubectl-edit", "{'f:spec':{'f:volumes':{'k:{\\'name\\':\\'data\\'}':{'f:emptyDir':{}}}}}");
    JsonNode desired = json("{'spec':{'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'d'}}]}}");
    assertEquals(json("{'spec':{'volumes':[{'emptyDir':'kubectl-edit','name':'data'}]}}"),
        OneOfFields.refused(POD, live, desired));
  }

  @Test
  void envVarSourceRefSwitchedBesideAnotherManagersIsRefused() throws Exception {
    JsonNode live = pod("{'containers':[{'name':'web','env':[{'name':'A','valueFrom':{'fieldRef':{'fieldPath':'x'}}}]}]}",
        "ops", "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':{'f:env':{'k:{\\'name\\':\\'A\\'}':"
            + "{'f:valueFrom':{'f:fieldRef':{}}}}}}}}");
    JsonNode desired = json("{'spec':{'containers':[{'name':'web','env':[{'name':'A','valueFrom':"
        + "{'configMapKeyRef':{'name':'c','key':'k'}}}]}]}}");
    assertEquals(json("{'spec':{'containers':[{'env':[{'valueFrom':{'fieldRef':'ops'},'name':'A'}],'name':'web'}]}}"),
        OneOfFields.refused(POD, live, desired));
  }

  @Test
  void anEmptyValueIsNoAlternative() throws Exception {
    // validateEnvVarValueFrom refuses valueFrom only beside a value that is not empty
    JsonNode live = pod("{'containers':[{'name':'web','env':[{'name':'A','valueFrom':{'fieldRef':{'fieldPath':'x'}}}]}]}",
        "ops", "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':{'f:env':{'k:{\\'name\\':\\'A\\'}':"
            + "{'f:valueFrom':{'f:fieldRef':{}}}}}}}}");
    JsonNode desired = json("{'spec':{'containers':[{'name':'web','env':[{'name':'A','value':''}]}]}}");
    assertNull(OneOfFields.refused(POD, live, desired));
  }

  @Test
  void aVolumeSourceNoManagerOwnsIsRemovedWithoutAConflict() throws Exception {
    // the emptyDir SetDefaults_Volume gave: the apply would keep it beside Git's claim (validation: 2 volume types)
    JsonNode live = pod("{'volumes':[{'name':'data','emptyDir':{}}]}",
        "kubectl-edit", "{'f:spec':{'f:volumes':{'k:{\\'name\\':\\'logs\\'}':{'f:emptyDir':{}}}}}");
    JsonNode desired = json("{'spec':{'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'d'}}]}}");
    JsonNode refused = OneOfFields.refused(POD, live, desired);
    assertEquals("{\"spec\":{\"volumes\":[{\"emptyDir\":\"(no manager)\",\"name\":\"data\"}]}}", String.valueOf(refused));
    assertEquals(List.of(), OneOfFields.conflicts(refused, live));
    JsonNode applied = json("{'spec':{'volumes':[{'name':'data','emptyDir':{}}]}}"); // gitops's: the apply prunes it
    assertNull(OneOfFields.refused(POD, live, desired, applied, null));
  }

  @Test
  void aJsonPatchObservationFindsItToo() throws Exception {
    // a JSON patch leaves another manager's field as server-side apply keeps it: validated alike
    JsonNode live = pod("{'volumes':[{'name':'data','emptyDir':{}}]}",
        "kubectl-edit", "{'f:spec':{'f:volumes':{'k:{\\'name\\':\\'data\\'}':{'f:emptyDir':{}}}}}");
    ((com.fasterxml.jackson.databind.node.ObjectNode) live.path("metadata").path("managedFields").get(0))
        .put(OwnedNode.NO_CONFLICTS, true);
    JsonNode desired = json("{'spec':{'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'d'}}]}}");
    assertEquals(List.of("/spec/volumes/0/emptyDir (manager kubectl-edit)"),
        OneOfFields.conflicts(OneOfFields.refused(POD, live, desired), live));
  }

  @Test
  void aCronJobsLifecycleHookIsFoundInItsJobTemplate() throws Exception {
    ResourceId cron = new ResourceId("batch", "CronJob", "shop", "nightly");
    JsonNode live = json("{'metadata':{'managedFields':[{'manager':'hooks','operation':'Update','fieldsV1':"
        + "{'f:spec':{'f:jobTemplate':{'f:spec':{'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'job\\'}':"
        + "{'f:lifecycle':{'f:preStop':{'f:sleep':{'f:seconds':{}}}}}}}}}}}}}]},"
        + "'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'job','lifecycle':"
        + "{'preStop':{'sleep':{'seconds':5}}}}]}}}}}}");
    JsonNode desired = json("{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'job',"
        + "'lifecycle':{'preStop':{'exec':{'command':['stop']}}}}]}}}}}}");
    assertEquals("hooks", OneOfFields.refused(cron, live, desired).at(
        "/spec/jobTemplate/spec/template/spec/containers/0/lifecycle/preStop/sleep").asText());
  }

  @Test
  void theForcedPatchRemovesTheOtherAlternative() throws Exception {
    ObjectNode live = (ObjectNode) json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','namespace':'shop',"
        + "'managedFields':[{'manager':'kubectl-edit','operation':'Update','fieldsV1':"
        + "{'f:spec':{'f:volumes':{'k:{\\'name\\':\\'data\\'}':{'f:emptyDir':{}}}}}}]},"
        + "'spec':{'volumes':[{'name':'data','emptyDir':{}}]}}");
    JsonNode desired = json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','namespace':'shop'},"
        + "'spec':{'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'d'}}]}}");
    FieldSchema.Node root = ThreeWayPatch.root(new SchemaSources(), POD, live, desired);
    JsonNode ops = ThreeWayPatch.update(POD, desired, live, null, null, root);
    assertTrue(ops.toString().contains("{\"op\":\"remove\",\"path\":\"/spec/volumes/0/emptyDir\"}"), ops.toString());
    assertEquals(List.of(".spec.volumes[name=\"data\"].emptyDir (manager kubectl-edit)"),
        PatchConflicts.of(POD, desired, ops, live, null, root));
  }

  @Test
  void aCrdConversionWebhookServiceBesideAnotherManagersUrlIsRefused() throws Exception {
    // apiextensions validateCustomResourceConversion: exactly one of url or service is required
    ResourceId crd = new ResourceId("apiextensions.k8s.io", "CustomResourceDefinition", "", "orders.shop.example.com");
    JsonNode live = json("{'metadata':{'managedFields':[{'manager':'kubectl-edit','operation':'Update','fieldsV1':"
        + "{'f:spec':{'f:conversion':{'f:webhook':{'f:clientConfig':{'f:url':{}}}}}}}]},"
        + "'spec':{'conversion':{'strategy':'Webhook','webhook':{'clientConfig':{'url':'https://c.example.com'}}}}}");
    JsonNode desired = json("{'spec':{'conversion':{'strategy':'Webhook','webhook':{'clientConfig':"
        + "{'service':{'name':'conv','namespace':'shop'}}}}}}");
    assertEquals(json("{'spec':{'conversion':{'webhook':{'clientConfig':{'url':'kubectl-edit'}}}}}"),
        OneOfFields.refused(crd, live, desired));
    assertEquals(List.of("service"), OneOfPatches.chosen(List.of("url"), desired.at("/spec/conversion/webhook/clientConfig")));
  }

  @Test
  void aKindWithoutGroupsHasNoRefusals() throws Exception {
    ResourceId map = new ResourceId("", "ConfigMap", "shop", "web");
    JsonNode live = json("{'metadata':{'managedFields':[{'manager':'x','operation':'Update','fieldsV1':"
        + "{'f:data':{'f:url':{}}}}]},'data':{'url':'a','service':'b'}}");
    assertNull(OneOfFields.refused(map, live, json("{'data':{'service':'b'}}")));
  }
}

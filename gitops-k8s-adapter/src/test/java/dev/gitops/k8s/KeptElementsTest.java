package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.model.ResourceId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An element of a keyed list Git dropped is refused whole, with the managers that keep it, when the
 * prune (structured-merge-diff {@code merge/update.go}) keeps it for a manager that owns it itself and
 * what it keeps lacks a value validation requires; else it goes whole or stays valid, no conflict.
 */
class KeptElementsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceId POD = new ResourceId("", "Pod", "shop", "web");
  private static final ResourceId HOOKS =
      new ResourceId("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "", "hooks");
  private static final String SIDECAR_KEY = "'k:{\\'name\\':\\'sidecar\\'}'";
  /** The live pod: Git's two containers, the sidecar with an env var, and the server's defaults. */
  private static final String LIVE = "{'containers':[{'name':'web','image':'nginx:1.27'},"
      + "{'name':'sidecar','image':'busybox:1.36','command':['sleep'],'env':[{'name':'DEBUG','value':'1'}],"
      + "'imagePullPolicy':'IfNotPresent','terminationMessagePath':'/dev/termination-log'}]}";
  /** What gitops applied: both containers, the sidecar's image and command. */
  private static final String APPLIED = "{'spec':{'containers':[{'name':'web','image':'nginx:1.27'},"
      + "{'name':'sidecar','image':'busybox:1.36','command':['sleep']}]}}";
  private static final String DROPPED = "{'spec':{'containers':[{'name':'web','image':'nginx:1.27'}]}}";

  @Test
  void aContainerAnotherManagerKeepsByItsKeyAloneHasNoImageAndIsRefusedWhole() throws Exception {
    // the prune keeps {name: sidecar} with the unowned defaults: validateContainerCommon, image Required
    String keyOnly = "{'f:spec':{'f:containers':{" + SIDECAR_KEY + ":{'.':{},'f:name':{}}}}}";
    assertEquals(json("{'spec':{'containers':[{'.':'ops','name':'sidecar'}]}}"), refused(POD, LIVE, DROPPED,
        APPLIED, "ops", keyOnly));
  }

  @Test
  void aContainerAnotherApplierKeepsWithItsEnvVarIsRefusedAndNamedAsTheApiServerNamesIt() throws Exception {
    String env = "{'f:spec':{'f:containers':{" + SIDECAR_KEY + ":{'.':{},'f:name':{},"
        + "'f:env':{'k:{\\'name\\':\\'DEBUG\\'}':{'.':{},'f:name':{},'f:value':{}}}}}}}";
    JsonNode live = pod(LIVE, "hotfix", env);
    JsonNode marks = OneOfFields.refused(POD, live, json(DROPPED), json(APPLIED), schema(POD, live));
    assertEquals(List.of(".spec.containers[name=\"sidecar\"] (manager hotfix)"),
        OneOfFields.conflicts(marks, live, schema(POD, live)));
  }

  @Test
  void aContainerAnUpdateOnlyChangedAFieldInGoesWholeAndIsNoConflict() throws Exception {
    // kubectl set env: an Update owns the env var, not the container (no '.'): the prune removes it whole
    String setEnv = "{'f:spec':{'f:containers':{" + SIDECAR_KEY + ":{'f:env':{'.':{},"
        + "'k:{\\'name\\':\\'DEBUG\\'}':{'.':{},'f:name':{},'f:value':{}}}}}}}";
    assertNull(refused(POD, LIVE, DROPPED, APPLIED, "kubectl-set", setEnv));
  }

  @Test
  void aContainerACoOwnerAppliedWithTheSameImageStaysValidAndIsNoConflict() throws Exception {
    // the co-owned image stays with the element: a container the server takes
    String coOwned = "{'f:spec':{'f:containers':{" + SIDECAR_KEY + ":{'.':{},'f:name':{},'f:image':{}}}}}";
    assertNull(refused(POD, LIVE, DROPPED, APPLIED, "ops", coOwned));
  }

  @Test
  void aContainerGitStillAppliesIsNoSuchConflict() throws Exception {
    String keyOnly = "{'f:spec':{'f:containers':{" + SIDECAR_KEY + ":{'.':{},'f:name':{}}}}}";
    assertNull(refused(POD, LIVE, APPLIED, APPLIED, "ops", keyOnly));
  }

  @Test
  void aVolumeKeptWithItsItemsLacksTheConfigMapsName() throws Exception {
    String live = "{'containers':[{'name':'web','image':'nginx:1.27'}],'volumes':[{'name':'cfg',"
        + "'configMap':{'name':'web-config','items':[{'key':'a','path':'a'}],'defaultMode':420}}]}";
    String applied = "{'spec':{'containers':[{'name':'web','image':'nginx:1.27'}],'volumes':[{'name':'cfg',"
        + "'configMap':{'name':'web-config','items':[{'key':'a','path':'a'}]}}]}}";
    String items = "{'f:spec':{'f:volumes':{'k:{\\'name\\':\\'cfg\\'}':{'.':{},'f:name':{},"
        + "'f:configMap':{'f:items':{}}}}}}";
    JsonNode pod = pod(live, "ops", items);
    JsonNode kept = KeptElements.kept(pod.at("/spec/volumes/0"), json(applied).at("/spec/volumes/0"),
        List.of(json(items).at("/f:spec/f:volumes/k:{\"name\":\"cfg\"}")), null);
    // validateConfigMapVolumeSource: name Required; the unowned default stays
    assertEquals(json("{'name':'cfg','configMap':{'items':[{'key':'a','path':'a'}],'defaultMode':420}}"), kept);
    assertEquals("configMap.name", KeptElements.lacking("Volume", kept, null));
    assertEquals(json("{'spec':{'volumes':[{'.':'ops','name':'cfg'}]}}"),
        refused(POD, live, "{'spec':{'containers':[{'name':'web','image':'nginx:1.27'}]}}", applied, "ops", items));
  }

  @Test
  void aVolumeKeptByItsKeyAloneHasNoSource() throws Exception {
    JsonNode kept = json("{'name':'cfg'}");
    assertEquals("one of " + OneOfFields.GROUPS.get("Volume"), KeptElements.lacking("Volume", kept, null));
  }

  @Test
  void aWebhookKeptWithItsTimeoutLacksItsClientConfig() throws Exception {
    String live = "{'webhooks':[{'name':'a.example.com','clientConfig':{'url':'https://a.example.com'},"
        + "'sideEffects':'None','admissionReviewVersions':['v1'],'timeoutSeconds':5,'failurePolicy':'Fail'}]}";
    String applied = "{'webhooks':[{'name':'a.example.com','clientConfig':{'url':'https://a.example.com'},"
        + "'sideEffects':'None','admissionReviewVersions':['v1']}]}";
    String timeout = "{'f:webhooks':{'k:{\\'name\\':\\'a.example.com\\'}':{'.':{},'f:name':{},'f:timeoutSeconds':{}}}}";
    JsonNode object = json("{'metadata':{'managedFields':[{'manager':'ops','operation':'Apply','fieldsV1':"
        + timeout + "}]}," + live.substring(1));
    JsonNode marks = OneOfFields.refused(HOOKS, object, json("{'webhooks':[]}"), json(applied), schema(HOOKS, object));
    assertEquals(json("{'webhooks':[{'.':'ops','name':'a.example.com'}]}"), marks);
    JsonNode bare = json("{'name':'a','timeoutSeconds':5,'failurePolicy':'Fail'}");
    // the webhook's required fields come from its schema (OpenAPI required), not a table
    assertEquals("clientConfig", KeptElements.lacking("Webhook", bare, schema(HOOKS, object).field("webhooks").element(bare)));
    assertNull(KeptElements.lacking("Webhook", bare, null));
  }

  @Test
  void aMatchConditionKeptByItsNameWithoutItsExpressionIsRefusedBelowAWebhookGitKeeps() throws Exception {
    // MatchCondition requires expression (OpenAPI required), found from the schema, not the table
    String hook = "'name':'a.example.com','clientConfig':{'url':'https://a.example.com'},'sideEffects':'None',"
        + "'admissionReviewVersions':['v1']";
    String live = "{'webhooks':[{" + hook + ",'matchConditions':[{'name':'no-system','expression':'true'}]}]}";
    String applied = "{'webhooks':[{" + hook + ",'matchConditions':[{'name':'no-system','expression':'true'}]}]}";
    String kept = "{'f:webhooks':{'k:{\\'name\\':\\'a.example.com\\'}':{'.':{},'f:name':{},'f:matchConditions':"
        + "{'k:{\\'name\\':\\'no-system\\'}':{'.':{},'f:name':{}}}}}}";
    JsonNode object = json("{'metadata':{'managedFields':[{'manager':'ops','operation':'Apply','fieldsV1':"
        + kept + "}]}," + live.substring(1));
    JsonNode marks = OneOfFields.refused(HOOKS, object, json("{'webhooks':[{" + hook + "}]}"), json(applied),
        schema(HOOKS, object));
    assertEquals(json("{'webhooks':[{'name':'a.example.com','matchConditions':[{'.':'ops','name':'no-system'}]}]}"), marks);
  }

  @Test
  void aKeptContainersProbeWithoutItsHandlerIsFoundBelowIt() throws Exception {
    JsonNode pod = pod("{'containers':[{'name':'sidecar'}]}", "ops", "{}");
    dev.gitops.diff.FieldSchema.Node containers = schema(POD, pod).field("spec").field("containers");
    JsonNode probe = json("{'name':'sidecar','image':'busybox','readinessProbe':{'timeoutSeconds':5}}");
    assertEquals("readinessProbe: one of [exec, httpGet, tcpSocket, grpc]", KeptElements.lacking("Container", probe,
        containers.element(probe)));
    JsonNode keyed = json("{'name':'sidecar','image':'busybox',"
        + "'env':[{'name':'DEBUG','valueFrom':{'secretKeyRef':{'name':'s','key':'k'}}}]}");
    assertNull(KeptElements.lacking("Container", keyed, containers.element(keyed)));
    JsonNode keyless = json("{'name':'sidecar','image':'busybox','env':[{'name':'DEBUG','valueFrom':{'secretKeyRef':{'name':'s'}}}]}");
    // SecretKeySelector requires key (OpenAPI required): from the schema
    assertEquals("env[name=DEBUG].valueFrom.secretKeyRef.key", KeptElements.lacking("Container", keyless,
        containers.element(keyless)));
    // the image, which the OpenAPI leaves optional, from the table (validateContainerCommon)
    assertEquals("image", KeptElements.lacking("Container", json("{'name':'sidecar'}"), null));
  }

  @Test
  void aServicePortKeptWithoutItsNameBesideAnotherIsRefusedAndNotWhenTheNameIsCoOwned() throws Exception {
    ResourceId service = new ResourceId("", "Service", "shop", "web");
    String live = "{'ports':[{'name':'http','port':80,'protocol':'TCP','targetPort':8080},"
        + "{'name':'metrics','port':9090,'protocol':'TCP','targetPort':9090,'appProtocol':'http'}]}";
    String applied = "{'spec':{'ports':[{'name':'http','port':80,'targetPort':8080},{'name':'metrics','port':9090}]}}";
    String desired = "{'spec':{'ports':[{'name':'http','port':80,'targetPort':8080}]}}";
    String key = "'k:{\\'port\\':9090,\\'protocol\\':\\'TCP\\'}'";
    String appProtocol = "{'f:spec':{'f:ports':{" + key + ":{'.':{},'f:port':{},'f:protocol':{},'f:appProtocol':{}}}}}";
    // validateServicePort: with two ports each needs its name, gone with gitops's claim
    // marked by its key fields, which every port has (pair 508: one that never had a name)
    assertEquals(json("{'spec':{'ports':[{'.':'hotfix','=':{'port':9090,'protocol':'TCP'}}]}}"),
        refused(service, live, desired, applied, "hotfix", appProtocol));
    String named = appProtocol.replace("'f:appProtocol':{}", "'f:appProtocol':{},'f:name':{}");
    assertNull(refused(service, live, desired, applied, "hotfix", named));
  }

  @Test
  void aVolumeMountKeptByItsMountPathWithoutItsNameIsRefusedWholeAndNotWhenTheNameIsCoOwned() throws Exception {
    // volumeMounts are keyed by mountPath; VolumeMount requires name (OpenAPI required, ValidateVolumeMounts)
    String live = "{'containers':[{'name':'web','image':'nginx:1.27','volumeMounts':[{'name':'data','mountPath':'/data'},"
        + "{'name':'cache','mountPath':'/cache','readOnly':true}]}]}";
    String applied = "{'spec':{'containers':[{'name':'web','image':'nginx:1.27','volumeMounts':[{'name':'data',"
        + "'mountPath':'/data'},{'name':'cache','mountPath':'/cache'}]}]}}";
    String desired = "{'spec':{'containers':[{'name':'web','image':'nginx:1.27','volumeMounts':[{'name':'data',"
        + "'mountPath':'/data'}]}]}}";
    String readOnly = "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':{'.':{},'f:name':{},'f:volumeMounts':"
        + "{'k:{\\'mountPath\\':\\'/cache\\'}':{'.':{},'f:mountPath':{},'f:readOnly':{}}}}}}}";
    assertEquals(json("{'spec':{'containers':[{'name':'web','volumeMounts':[{'.':'hotfix','=':{'mountPath':'/cache'}}]}]}}"),
        refused(POD, live, desired, applied, "hotfix", readOnly));
    assertNull(refused(POD, live, desired, applied, "hotfix", readOnly.replace("'f:readOnly':{}", "'f:readOnly':{},'f:name':{}")));
    assertNull(refused(POD, live, desired, applied, "hotfix", readOnly.replace("'.':{},'f:mountPath'", "'f:mountPath'")),
        "owning a field of the mount but not the mount itself keeps nothing: it goes whole");
  }

  @Test
  void aServicePortThatNeverHadANameKeptBesideAPortGitAddsIsRefused() throws Exception {
    ResourceId service = new ResourceId("", "Service", "shop", "web");
    String live = "{'ports':[{'port':9090,'protocol':'TCP','targetPort':9090,'appProtocol':'http'}]}";
    String applied = "{'spec':{'ports':[{'port':9090}]}}";
    String desired = "{'spec':{'ports':[{'name':'http','port':80,'targetPort':8080}]}}";
    String key = "'k:{\\'port\\':9090,\\'protocol\\':\\'TCP\\'}'";
    String appProtocol = "{'f:spec':{'f:ports':{" + key + ":{'.':{},'f:port':{},'f:protocol':{},'f:appProtocol':{}}}}}";
    assertEquals(json("{'spec':{'ports':[{'.':'hotfix','=':{'port':9090,'protocol':'TCP'}}]}}"),
        refused(service, live, desired, applied, "hotfix", appProtocol));
    assertNull(refused(service, live, "{'spec':{'ports':[]}}", applied, "hotfix", appProtocol), "a lone port needs no name");
  }

  @Test
  void anEnvVarGitDropsFromAContainerItKeepsIsRefusedWhenItsSourceLosesItsKey() throws Exception {
    String live = "{'containers':[{'name':'web','image':'nginx:1.27','env':[{'name':'TOKEN','valueFrom':"
        + "{'secretKeyRef':{'name':'api','key':'token','optional':true}}}]}]}";
    String applied = "{'spec':{'containers':[{'name':'web','image':'nginx:1.27','env':[{'name':'TOKEN','valueFrom':"
        + "{'secretKeyRef':{'name':'api','key':'token'}}}]}]}}";
    String optional = "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':{'f:env':{'k:{\\'name\\':\\'TOKEN\\'}':"
        + "{'.':{},'f:name':{},'f:valueFrom':{'f:secretKeyRef':{'f:optional':{}}}}}}}}}";
    // validateSecretKeySelector: the key goes with gitops's claim, the optional flag stays for ops
    assertEquals(json("{'spec':{'containers':[{'env':[{'.':'ops','name':'TOKEN'}],'name':'web'}]}}"),
        refused(POD, live, DROPPED, applied, "ops", optional));
  }

  private static JsonNode refused(ResourceId id, String spec, String desired, String applied, String manager,
                                  String fields) throws Exception {
    JsonNode live = pod(spec, manager, fields);
    return OneOfFields.refused(id, live, json(desired), json(applied), schema(id, live));
  }

  private static dev.gitops.diff.FieldSchema.Node schema(ResourceId id, JsonNode live) {
    return KubernetesSchema.builtin().root(id, null, live, null);
  }

  /** A Pod with {@code spec} and one entry of {@code manager} (an Apply) owning {@code fields}. */
  private static JsonNode pod(String spec, String manager, String fields) throws Exception {
    return json("{'metadata':{'managedFields':[{'manager':'" + manager + "','operation':'Apply','fieldsV1':"
        + fields + "}]},'spec':" + spec + "}");
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }
}

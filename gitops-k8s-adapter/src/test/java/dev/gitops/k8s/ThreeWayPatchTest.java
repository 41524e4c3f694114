package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import dev.gitops.model.ResourceId;
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

  private static final ResourceId WEB = new ResourceId("apps", "Deployment", "shop", "web");

  /** The patch as the writer computes it: removals judged with the node the plan diffs {@code live} with. */
  private static ArrayNode patch(JsonNode desired, JsonNode live, JsonNode last) {
    return ThreeWayPatch.of(desired, live, last, null,
        ThreeWayPatch.root(new SchemaSources(), WEB, (ObjectNode) live, desired));
  }

  /** A {@code managedFields} entry of {@code manager} owning {@code fields} (a fieldsV1 set). */
  private static String entry(String manager, String operation, String fields) {
    return "{'apiVersion':'apps/v1','fieldsType':'FieldsV1','manager':'" + manager + "','operation':'"
        + operation + "','fieldsV1':" + fields + "}";
  }

  @Test
  void annotationsLeftOutLoseOnlyWhatWasAppliedBesideTheControllersAndAHumansKeys() throws Exception {
    JsonNode desired = json("{'metadata':{'name':'web','labels':{'app':'web'}},'spec':{'replicas':2}}");
    JsonNode last = json("{'metadata':{'name':'web','labels':{'app':'web'},"
        + "'annotations':{'track':'canary','team':'payments'}},'spec':{'replicas':2}}");
    JsonNode live = json("{'metadata':{'name':'web','labels':{'app':'web'},'annotations':{'track':'canary',"
        + "'team':'payments','deployment.kubernetes.io/revision':'4','note':'paged at 3am'},'managedFields':["
        + entry("gitops", "Update", "{'f:metadata':{'f:annotations':{'.':{},'f:track':{},'f:team':{}},"
            + "'f:labels':{'.':{},'f:app':{}}},'f:spec':{'f:replicas':{}}}") + ","
        + entry("kube-controller-manager", "Update",
            "{'f:metadata':{'f:annotations':{'f:deployment.kubernetes.io/revision':{}}}}") + ","
        + entry("kubectl-annotate", "Update", "{'f:metadata':{'f:annotations':{'f:note':{}}}}") + ","
        + entry("kubectl", "Apply", "{'f:metadata':{'f:annotations':{'f:team':{}}}}") + "]},"
        + "'spec':{'replicas':2}}");
    ArrayNode ops = patch(desired, live, last);
    // team is co-owned by a human's server-side apply: the plan hides its removal, the patch keeps it
    assertEquals(json("[{'op':'remove','path':'/metadata/annotations/track'}]"), ops);
    assertEquals(json("{'team':'payments','deployment.kubernetes.io/revision':'4','note':'paged at 3am'}"),
        JsonPatch.apply(ops, live).at("/metadata/annotations"));
    // knowing nothing of other writers, the object left out goes whole, as the plan shows it then
    assertEquals(json("[{'op':'remove','path':'/metadata/annotations'}]"), ThreeWayPatch.of(desired, live, last, null));
  }

  @Test
  void aPodTemplateAnnotationLeftOutGoesAndRestartedAtStays() throws Exception {
    String template = "'template':{'metadata':{'labels':{'app':'web'}%s},'spec':{'containers':[{'name':'web','image':'w:1'}]}}";
    JsonNode desired = json("{'metadata':{'name':'web'},'spec':{" + template.formatted("") + "}}");
    JsonNode last = json("{'metadata':{'name':'web'},'spec':{"
        + template.formatted(",'annotations':{'checksum/config':'5f1c'}") + "}}");
    JsonNode live = json("{'metadata':{'name':'web','managedFields':["
        + entry("kubectl-rollout", "Update", "{'f:spec':{'f:template':{'f:metadata':{'f:annotations':"
            + "{'.':{},'f:kubectl.kubernetes.io/restartedAt':{}}}}}}") + "]},'spec':{" + template.formatted(
            ",'annotations':{'checksum/config':'5f1c','kubectl.kubernetes.io/restartedAt':'2025-03-06T16:42:10Z'}")
        + "}}");
    ArrayNode ops = patch(desired, live, last);
    assertEquals(json("[{'op':'remove','path':'/spec/template/metadata/annotations/checksum~1config'}]"), ops);
    assertEquals(json("{'kubectl.kubernetes.io/restartedAt':'2025-03-06T16:42:10Z'}"),
        JsonPatch.apply(ops, live).at("/spec/template/metadata/annotations"));
  }

  @Test
  void aProbeOrAStructNobodyElseKeepsGoesWholeWithItsServerDefaults() throws Exception {
    String probe = "'livenessProbe':{'httpGet':{'path':'/healthz','port':8080%s}%s}";
    String spec = "'spec':{'strategy':{'type':'RollingUpdate'%s},'template':{'metadata':{%s},"
        + "'spec':{'containers':[{'name':'web','image':'w:1'%s}]}}}";
    JsonNode desired = json("{'metadata':{'name':'web'}," + spec.formatted("", "", "") + "}");
    JsonNode last = json("{'metadata':{'name':'web'}," + spec.formatted(",'rollingUpdate':{'maxSurge':1}", "",
        "," + probe.formatted("", "")) + "}");
    JsonNode live = json("{'metadata':{'name':'web','managedFields':["
        + entry("kubectl-rollout", "Update", "{'f:spec':{'f:template':{'f:metadata':{'f:annotations':"
            + "{'.':{},'f:kubectl.kubernetes.io/restartedAt':{}}}}}}") + "]},"
        + spec.formatted(",'rollingUpdate':{'maxSurge':1,'maxUnavailable':'25%'}",
            "'annotations':{'kubectl.kubernetes.io/restartedAt':'2025-03-06T16:42:10Z'}",
            ",'imagePullPolicy':'IfNotPresent'," + probe.formatted(",'scheme':'HTTP'",
                ",'periodSeconds':10,'timeoutSeconds':1,'successThreshold':1,'failureThreshold':3")) + "}");
    ArrayNode ops = patch(desired, live, last);
    // the container is written at its index, as the plan walks it: the probe goes, the element stays
    assertEquals(json("[{'op':'remove','path':'/spec/strategy/rollingUpdate'},"
        + "{'op':'test','path':'/spec/template/spec/containers/0/name','value':'web'},"
        + "{'op':'remove','path':'/spec/template/spec/containers/0/livenessProbe'}]"), ops);
    JsonNode result = JsonPatch.apply(ops, live);
    assertFalse(result.at("/spec/template/spec/containers/0").has("livenessProbe"));
    assertEquals(json("{'type':'RollingUpdate'}"), result.at("/spec/strategy"));
  }

  /**
   * An atomic map (a pod's {@code nodeSelector}, {@code x-kubernetes-map-type: atomic}) Git leaves out,
   * which another manager's apply co-owns whole: the plan hides its removal as theirs, and the patch
   * keeps it whole too, never some of its keys (server-side apply owns and replaces such a map as one
   * value), while the rest of the update is still written.
   */
  @Test
  void anAtomicMapAnotherManagerCoOwnsStaysWholeWhenLeftOut() throws Exception {
    String spec = "'spec':{'replicas':%d,'template':{'spec':{%s'containers':[{'name':'web','image':'w:1'}]}}}";
    String selector = "'nodeSelector':{'disktype':'ssd','zone':'eu-a'},";
    JsonNode desired = json("{'metadata':{'name':'web'}," + spec.formatted(3, "") + "}");
    JsonNode last = json("{'metadata':{'name':'web'}," + spec.formatted(2, selector) + "}");
    JsonNode live = json("{'metadata':{'name':'web','managedFields':["
        + entry("kubectl", "Apply", "{'f:spec':{'f:template':{'f:spec':{'f:nodeSelector':{}}}}}") + "]},"
        + spec.formatted(2, selector) + "}");
    ArrayNode ops = patch(desired, live, last);
    assertEquals(json("[{'op':'replace','path':'/spec/replicas','value':3}]"), ops);
    assertEquals(json("{'disktype':'ssd','zone':'eu-a'}"),
        JsonPatch.apply(ops, live).at("/spec/template/spec/nodeSelector"));
  }

  /**
   * A set and a keyed list Git leaves out whole, where another manager owns some elements
   * ({@code metadata.finalizers}, a controller's finalizer; {@code ownerReferences}, another owner):
   * the plan removes the elements gitops applied, each whole, and keeps the others'; the patch
   * writes each list without gitops' elements. It once removed nothing (another manager owns
   * something in the list), so the plan's removals were planned again on every run.
   */
  @Test
  void aSetOrKeyedListLeftOutLosesTheElementsGitopsAppliedAndKeepsTheOthers() throws Exception {
    String ref = "{'apiVersion':'v1','kind':'ConfigMap','name':'%s','uid':'%s'}";
    JsonNode desired = json("{'metadata':{'name':'web'},'spec':{'replicas':3}}");
    JsonNode last = json("{'metadata':{'name':'web','finalizers':['example.com/cleanup'],'ownerReferences':["
        + ref.formatted("a", "u1") + "]},'spec':{'replicas':2}}");
    JsonNode live = json("{'metadata':{'name':'web','finalizers':['example.com/cleanup','other.io/protect'],"
        + "'ownerReferences':[" + ref.formatted("a", "u1") + "," + ref.formatted("b", "u2") + "],'managedFields':["
        + entry("gitops", "Apply", "{'f:metadata':{'f:finalizers':{'v:\\\"example.com/cleanup\\\"':{}},"
            + "'f:ownerReferences':{'k:{\\\"uid\\\":\\\"u1\\\"}':{}}},'f:spec':{'f:replicas':{}}}") + ","
        + entry("protector", "Update", "{'f:metadata':{'f:finalizers':{'.':{},'v:\\\"other.io/protect\\\"':{}},"
            + "'f:ownerReferences':{'.':{},'k:{\\\"uid\\\":\\\"u2\\\"}':{}}}}") + "]},'spec':{'replicas':2}}");
    ArrayNode ops = patch(desired, live, last);
    JsonNode result = JsonPatch.apply(ops, live);
    assertEquals(json("['other.io/protect']"), result.at("/metadata/finalizers"), ops::toString);
    assertEquals(json("[" + ref.formatted("b", "u2") + "]"), result.at("/metadata/ownerReferences"), ops::toString);
    assertEquals(3, result.at("/spec/replicas").asInt());
  }

  /**
   * A keyed list inside a keyed list (a container's {@code ports}) is written element by element at
   * the live indices, each after a {@code test} of its key fields: the port a human added stays, and
   * a live object whose containers or ports someone reordered since the read refuses the patch (the
   * API server answers 422 for a failed {@code test}) instead of renaming their port.
   */
  @Test
  void aListReorderedSinceTheReadFailsTheTestInsteadOfWritingAnotherElement() throws Exception {
    String spec = "{'metadata':{'name':'web'%s},'spec':{'template':{'spec':{'containers':[%s]}}}}";
    String web = "{'name':'web','image':'w:1'}";
    String proxy = "{'name':'proxy','image':'envoy:1','ports':[%s]}";
    String https = "{'containerPort':8443,'name':'%s','protocol':'TCP'}";
    String admin = "{'containerPort':9901,'name':'admin','protocol':'TCP'}";
    JsonNode desired = json(spec.formatted("", web + "," + proxy.formatted("{'containerPort':8443,'name':'tls'}")));
    JsonNode last = json(spec.formatted("", web + "," + proxy.formatted("{'containerPort':8443,'name':'https'}")));
    String edited = ",'managedFields':[" + entry("kubectl-edit", "Update", "{'f:spec':{'f:template':{'f:spec':"
        + "{'f:containers':{'k:{\\\"name\\\":\\\"proxy\\\"}':{'f:ports':{'k:{\\\"containerPort\\\":9901,"
        + "\\\"protocol\\\":\\\"TCP\\\"}':{'.':{},'f:containerPort':{},'f:name':{},'f:protocol':{}}}}}}}}}") + "]";
    JsonNode live = json(spec.formatted(edited, web + "," + proxy.formatted(https.formatted("https") + "," + admin)));
    ArrayNode ops = patch(desired, live, last);
    String port = "/spec/template/spec/containers/1/ports/0";
    assertEquals(json("[{'op':'test','path':'/spec/template/spec/containers/1/name','value':'proxy'},"
        + "{'op':'test','path':'" + port + "/containerPort','value':8443},{'op':'test','path':'" + port
        + "/protocol','value':'TCP'},{'op':'replace','path':'" + port + "/name','value':'tls'}]"), ops);
    assertEquals(json("[" + https.formatted("tls") + "," + admin + "]"),
        JsonPatch.apply(ops, live).at("/spec/template/spec/containers/1/ports"));
    JsonNode portsReordered = json(spec.formatted(edited, web + "," + proxy.formatted(admin + "," + https.formatted("https"))));
    JsonNode containersReordered = json(spec.formatted(edited, proxy.formatted(https.formatted("https") + "," + admin) + "," + web));
    assertThrows(JsonPatchApplicationException.class, () -> JsonPatch.apply(ops, portsReordered));
    assertThrows(JsonPatchApplicationException.class, () -> JsonPatch.apply(ops, containersReordered));
  }

  /**
   * An adoption (no record on the object, {@code last} null): the container {@code kubectl create}
   * made, beside a sidecar, with an env var and a port Git lacks, is written element by element at
   * its live index, those elements kept, the new port added at {@code -}; an env list or a
   * containers list reordered since the read fails the patch's {@code test} instead of writing
   * another element (the API server answers 422 for a failed test).
   */
  @Test
  void anAdoptionKeepsElementsGitLacksAndFailsItsTestOnAListReorderedSinceTheRead() throws Exception {
    String spec = "{'metadata':{'name':'web'%s},'spec':{'template':{'spec':{'containers':[%s]}}}}";
    JsonNode desired = json(spec.formatted("", "{'name':'web','image':'w:2','env':[{'name':'LOG_LEVEL','value':'debug'}],"
        + "'ports':[{'containerPort':8080,'name':'http'},{'containerPort':8443,'name':'https'}]}"));
    String created = ",'managedFields':[" + entry("kubectl-create", "Update", "{'f:spec':{'f:template':{'f:spec':"
        + "{'f:containers':{'k:{\\\"name\\\":\\\"web\\\"}':{'.':{},'f:image':{},'f:name':{},'f:env':{'.':{},"
        + "'k:{\\\"name\\\":\\\"FEATURE_X\\\"}':{'.':{},'f:name':{},'f:value':{}},"
        + "'k:{\\\"name\\\":\\\"LOG_LEVEL\\\"}':{'.':{},'f:name':{},'f:value':{}}}}}}}}}") + "]";
    String sidecar = "{'name':'sidecar','image':'s:1'}";
    String web = "{'name':'web','image':'w:1','env':[%s],'ports':[%s]}";
    String env = "{'name':'FEATURE_X','value':'on'},{'name':'LOG_LEVEL','value':'info'}";
    String ports = "{'containerPort':9090,'name':'metrics','protocol':'TCP'},{'containerPort':8080,'name':'http','protocol':'TCP'}";
    JsonNode live = json(spec.formatted(created, sidecar + "," + web.formatted(env, ports)));
    ArrayNode ops = patch(desired, live, null);
    String c = "/spec/template/spec/containers/1";
    assertEquals(json("[{'op':'test','path':'" + c + "/name','value':'web'},{'op':'replace','path':'" + c
        + "/image','value':'w:2'},{'op':'test','path':'" + c + "/env/1/name','value':'LOG_LEVEL'},{'op':'replace',"
        + "'path':'" + c + "/env/1/value','value':'debug'},{'op':'add','path':'" + c + "/ports/-',"
        + "'value':{'containerPort':8443,'name':'https'}}]"), ops);
    JsonNode adopted = JsonPatch.apply(ops, live);
    assertEquals(json("[" + sidecar + "," + web.replace("w:1", "w:2").formatted(env.replace("info", "debug"),
        ports + ",{'containerPort':8443,'name':'https'}") + "]"), adopted.at("/spec/template/spec/containers"));
    JsonNode envReordered = json(spec.formatted(created, sidecar + "," + web.formatted(
        "{'name':'LOG_LEVEL','value':'info'},{'name':'FEATURE_X','value':'on'}", ports)));
    JsonNode containersReordered = json(spec.formatted(created, web.formatted(env, ports) + "," + sidecar));
    assertThrows(JsonPatchApplicationException.class, () -> JsonPatch.apply(ops, envReordered));
    assertThrows(JsonPatchApplicationException.class, () -> JsonPatch.apply(ops, containersReordered));
  }
}

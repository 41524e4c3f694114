package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.Differ;
import dev.gitops.diff.Normalizer;
import dev.gitops.model.Content;
import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FieldRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceId WEB = new ResourceId("apps", "Deployment", "shop", "web");
  private static final ResourceId SECRET = ResourceId.of("Secret", "shop", "db");

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final KubernetesNormalizer NORMALIZER = new KubernetesNormalizer();

  /** The field rules applied top-down to the whole tree ({@code KubernetesNormalizer.normalize}). */
  private static ObjectNode normalized(ResourceId id, ObjectNode tree) {
    return (ObjectNode) NORMALIZER.normalize(id, tree);
  }

  /** The in-place reference: a deep copy normalised by {@link InPlaceNormalize#object}. */
  private static ObjectNode reference(ResourceId id, ObjectNode tree) {
    ObjectNode copy = tree.deepCopy();
    InPlaceNormalize.object(id, copy);
    return copy;
  }

  private static void assertSameAsInPlace(ResourceId id, ObjectNode tree) {
    ObjectNode before = tree.deepCopy();
    ObjectNode walked = normalized(id, tree);
    assertEquals(reference(id, tree), walked, tree.toString());
    assertEquals(before, tree, "the input was mutated");
    if (walked.equals(tree)) {
      assertSame(tree, walked, "an unchanged tree is returned itself");
    }
    assertSame(walked, normalized(id, walked), "normalising twice changes nothing");
  }

  @Test
  void serverObjectLosesStatusAndServerMetadataButSharesItsUnchangedSpec() {
    ObjectNode actual = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
        + "'uid':'u','resourceVersion':'7','managedFields':[{'manager':'m'}],'labels':{'a':'b'},"
        + "'annotations':{'deployment.kubernetes.io/revision':'3'}},"
        + "'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'app'}]}}},"
        + "'status':{'replicas':2}}");
    ObjectNode walked = normalized(WEB, actual);
    assertEquals(json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
        + "'labels':{'a':'b'}},'spec':{'replicas':2,'template':{'spec':{'containers':"
        + "[{'name':'app'}]}}}}"), walked);
    assertSame(actual.get("spec"), walked.get("spec"));
    assertSame(actual.get("metadata").get("labels"), walked.get("metadata").get("labels"));
    assertTrue(actual.has("status") && actual.get("metadata").has("managedFields"));
  }

  @Test
  void onlyTheChangedPathIsCopied() {
    ObjectNode desired = json("{'metadata':{'name':'web'},'spec':{'selector':{'app':'web'},"
        + "'template':{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'hostIP':null}]},"
        + "{'name':'b'}]}}}}");
    ObjectNode walked = normalized(WEB, desired);
    assertSame(desired.get("metadata"), walked.get("metadata"));
    assertSame(desired.get("spec").get("selector"), walked.get("spec").get("selector"));
    JsonNode containers = walked.at("/spec/template/spec/containers");
    assertSame(desired.at("/spec/template/spec/containers/1"), containers.get(1));
    assertEquals(json("{'containerPort':80}"), containers.get(0).get("ports").get(0));
    assertTrue(desired.at("/spec/template/spec/containers/0/ports/0/hostIP").isNull(),
        "the input keeps its null");
  }

  @Test
  void everyStepGivesTheInPlaceResult() {
    List<String> cases = List.of(
        "{'metadata':{'name':'x','labels':{},'annotations':{'gitops.dev/applied':'{}'}}}",
        "{'metadata':{'name':'x','labels':null,'annotations':null,'generation':2},'status':null}",
        "{'metadata':{'labels':{'a':null,'b':'c'},'annotations':{'k':'v','gitops.dev/applied':'x'}}}",
        "{'metadata':null,'spec':{'replicas':'3','x':null,'y':[null,{'z':null}]}}",
        "{'spec':{'progressDeadlineSeconds':'600','port':'http','weight':'-5','mode':'0644x',"
            + "'replicas':'1234567890','hostPort':'-'}}",
        "{'spec':{'resources':{'limits':{'cpu':1,'memory':'1Gi','x':'lots','n':null},"
            + "'requests':{'cpu':'500m','memory':'1073741824'}},'hard':'10'}}",
        "{'spec':{'ports':[{'port':80},{'name':'p','protocol':'UDP','port':'81'},{'containerPort':null},"
            + "{'name':'no-port'},'text'],'limits':[1,2]}}",
        "{'spec':{'ports':{'port':'80'}}}",
        "{'apiVersion':'v1','kind':'ConfigMap','data':{'port':'80','a':'b'}}");
    for (String c : cases) {
      assertSameAsInPlace(WEB, json(c));
    }
    ObjectNode secret = json("{'metadata':{'name':'db'},'data':{'a':'eA=='},"
        + "'stringData':{'b':'y','c':null}}");
    assertSameAsInPlace(SECRET, secret);
    assertEquals(json("{'metadata':{'name':'db'},'data':{'a':'eA==','b':'eQ==','c':''}}"),
        normalized(SECRET, secret));
  }

  @Test
  void everyFixtureGivesTheInPlaceResult() throws IOException {
    Path fixtures = Fixtures.shared("fixtures/k8s");
    YAMLMapper yaml = new YAMLMapper();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(fixtures)) {
      s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted().limit(60).forEach(files::add);
    }
    int checked = 0;
    for (Path f : files) {
      List<JsonNode> docs;
      try {
        docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(Files.readAllBytes(f)).readAll();
      } catch (IOException e) {
        continue;
      }
      for (JsonNode d : docs) {
        if (d instanceof ObjectNode o && o.hasNonNull("kind")) {
          ResourceId id = ResourceId.of(o.get("kind").asText(), "ns", "n");
          assertSameAsInPlace(id, o);
          assertLazyDiffIsTheWholeTreeDiff(id, o);
          checked++;
        }
      }
    }
    assertTrue(checked > 0, "no object in " + fixtures);
  }

  /**
   * The differ normalises a real object field by field, inside its walk; the same normaliser as a
   * plain {@link Normalizer} normalises both trees whole first. Both must find the same changes
   * between the object as served (status, managed fields, version) and as desired (as is, and
   * with a label added), with and without a last-applied record.
   */
  private static void assertLazyDiffIsTheWholeTreeDiff(ResourceId id, ObjectNode desired) {
    DiffOptions lazy = KubernetesDiff.options();
    Normalizer whole = NORMALIZER::normalize;
    DiffOptions eager = new DiffOptions(lazy.mode(), lazy.ignore(), lazy.sensitive(),
        lazy.mergeKeys(), List.of(whole), lazy.schema());
    ObjectNode served = desired.deepCopy();
    served.putObject("status").put("phase", "Ready");
    ObjectNode meta = served.withObjectProperty("metadata");
    meta.put("resourceVersion", "42").putArray("managedFields").addObject().put("manager", "m");
    ObjectNode changed = desired.deepCopy();
    changed.withObjectProperty("metadata").withObjectProperty("labels").put("added", "yes");
    Content actual = Content.tree(served);
    for (Content want : List.of(Content.tree(desired), Content.tree(changed))) {
      for (Content lastApplied : Arrays.asList(null, Content.tree(changed), Content.tree(desired))) {
        assertEquals(new Differ(eager).diff(id, actual, want, lastApplied),
            new Differ(lazy).diff(id, actual, want, lastApplied), id + " in " + desired);
      }
    }
  }

}

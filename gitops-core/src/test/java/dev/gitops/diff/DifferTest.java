package dev.gitops.diff;

import static dev.gitops.diff.Trees.json;
import static dev.gitops.diff.Trees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.Change.Op;
import dev.gitops.diff.DiffOptions.Mode;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DifferTest {
  private static final ResourceId WEB = new ResourceId("apps", "Deployment", "default", "web");
  private static final ResourceId CM = ResourceId.of("ConfigMap", "default", "cm");
  private static final DiffOptions CONTAINERS = DiffOptions.defaults()
      .withMergeKey("/spec/template/spec/containers", "name");

  private static ResourceDiff diff(DiffOptions o, String actual, String desired) {
    return new Differ(o).diff(CM, actual == null ? null : tree(actual), tree(desired), null);
  }

  private static List<String> lines(ResourceDiff d) {
    return d.changes().stream().map(Change::toString).toList();
  }

  @Test
  void equalTreesHaveNoChanges() {
    Differ differ = new Differ(CONTAINERS);
    assertTrue(differ.diff(WEB, Trees.deployment(3, "nginx"), Trees.deployment(3, "nginx"), null).isEmpty());
    assertTrue(differ.equivalent(WEB, Trees.deployment(3, "nginx"), Trees.deployment(3, "nginx")));
    assertFalse(differ.equivalent(WEB, Trees.deployment(3, "nginx"), Trees.deployment(2, "nginx")));
  }

  @Test
  void changedScalarsAreReplacesWithBeforeAndAfter() {
    ResourceDiff d = new Differ(CONTAINERS).diff(WEB, Trees.deployment(2, "nginx:1"), Trees.deployment(3, "nginx:2"), null);
    assertEquals(List.of(
        "~ /spec/replicas: 2 -> 3",
        "~ /spec/template/spec/containers/0/image: \"nginx:1\" -> \"nginx:2\""), lines(d));
    assertEquals(json("2"), d.changes().get(0).before());
    assertEquals(json("3"), d.changes().get(0).after());
  }

  @Test
  void exactModeReportsAddedAndRemovedFields() {
    ResourceDiff d = diff(DiffOptions.defaults(), "{'a':1,'gone':true}", "{'a':1,'new':'x'}");
    assertEquals(List.of("- /gone: true", "+ /new: \"x\""), lines(d));
  }

  @Test
  void pathsEscapeTildeAndSlash() {
    ResourceDiff d = diff(DiffOptions.defaults(), "{'a/b':{'c~d':1}}", "{'a/b':{'c~d':2}}");
    assertEquals("/a~1b/c~0d", d.changes().get(0).path());
  }

  @Test
  void numbersCompareByValueAcrossNodeTypes() {
    ObjectNode actual = json("{'n':1,'m':2.0}").deepCopy();
    actual.put("n", 1L);
    assertTrue(new Differ(DiffOptions.defaults()).diff(CM, Content.tree(actual), tree("{'n':1,'m':2}"), null).isEmpty());
    assertEquals(List.of("~ /n: 1 -> \"1\""), lines(diff(DiffOptions.defaults(), "{'n':1}", "{'n':'1'}")));
    ObjectNode decimals = json("{}").deepCopy();
    decimals.put("d", new java.math.BigDecimal("1.50"));
    ObjectNode other = json("{}").deepCopy();
    other.put("d", new java.math.BigDecimal("1.5"));
    assertTrue(new Differ(DiffOptions.defaults()).equivalent(CM, Content.tree(decimals), Content.tree(other)));
  }

  @Test
  void desiredSubsetIgnoresFieldsOnlyTheActualSideHas() {
    DiffOptions subset = DiffOptions.defaults().withMode(Mode.DESIRED_SUBSET);
    assertTrue(diff(subset, "{'a':1,'status':{'ready':true},'spec':{'x':1,'defaulted':0}}",
        "{'a':1,'spec':{'x':1}}").isEmpty());
    assertEquals(List.of("~ /spec/x: 1 -> 2"), lines(diff(subset, "{'spec':{'x':1,'y':0}}", "{'spec':{'x':2}}")));
  }

  @Test
  void desiredSubsetRemovesFieldsThatLeftGitSinceLastApplied() {
    DiffOptions subset = DiffOptions.defaults().withMode(Mode.DESIRED_SUBSET);
    ResourceDiff d = new Differ(subset).diff(CM, tree("{'data':{'keep':1,'old':2,'server':3}}"),
        tree("{'data':{'keep':1}}"), tree("{'data':{'keep':1,'old':2}}"));
    assertEquals(List.of("- /data/old: 2"), lines(d));
  }

  @Test
  void desiredSubsetComparesPositionalListLengths() {
    DiffOptions subset = DiffOptions.defaults().withMode(Mode.DESIRED_SUBSET);
    assertEquals(List.of("- /args/1: \"b\""), lines(diff(subset, "{'args':['a','b']}", "{'args':['a']}")));
    assertTrue(diff(subset, "{'l':[{'a':1,'b':2}]}", "{'l':[{'a':1}]}").isEmpty());
  }

  @Test
  void mergeKeyedListsMatchElementsByKeyNotPosition() {
    DiffOptions o = DiffOptions.defaults().withMergeKey("/l", "name");
    assertTrue(diff(o, "{'l':[{'name':'a','v':1},{'name':'b','v':2}]}",
        "{'l':[{'name':'b','v':2},{'name':'a','v':1}]}").isEmpty());
    ResourceDiff d = diff(o, "{'l':[{'name':'a','v':1},{'name':'b','v':2}]}",
        "{'l':[{'name':'b','v':3},{'name':'c'}]}");
    assertEquals(List.of("- /l/0: {\"name\":\"a\",\"v\":1}", "~ /l/1/v: 2 -> 3", "+ /l/-: {\"name\":\"c\"}"), lines(d));
  }

  @Test
  void mergeKeyPatternsMatchWildcardSegmentsAndCompositeKeys() {
    DiffOptions o = DiffOptions.defaults().withMergeKey("/c/*/ports", "port", "protocol");
    ResourceDiff d = diff(o, "{'c':[{'ports':[{'port':80,'protocol':'TCP'},{'port':80,'protocol':'UDP','x':1}]}]}",
        "{'c':[{'ports':[{'port':80,'protocol':'UDP','x':2},{'port':80,'protocol':'TCP'}]}]}");
    assertEquals(List.of("~ /c/0/ports/1/x: 1 -> 2"), lines(d));
  }

  @Test
  void desiredSubsetKeepsExtraKeyedElementsUnlessLastAppliedHadThem() {
    DiffOptions o = DiffOptions.defaults().withMode(Mode.DESIRED_SUBSET).withMergeKey("/l", "name");
    Differ differ = new Differ(o);
    Content actual = tree("{'l':[{'name':'mine'},{'name':'injected'},{'name':'dropped'}]}");
    Content desired = tree("{'l':[{'name':'mine'}]}");
    assertTrue(differ.diff(CM, actual, desired, null).isEmpty());
    ResourceDiff d = differ.diff(CM, actual, desired, tree("{'l':[{'name':'mine'},{'name':'dropped'}]}"));
    assertEquals(List.of("- /l/2: {\"name\":\"dropped\"}"), lines(d));
  }

  @Test
  void ignoredDifferencesAreCountedPerRuleAndExplained() {
    DiffOptions o = DiffOptions.defaults()
        .ignoring(PathRule.forKind("Deployment", "/status"), PathRule.forAll("/metadata/annotations/*"));
    Content actual = tree("{'spec':{'replicas':1},'status':{'a':1,'b':2},'metadata':{'annotations':{'x':'1'}}}");
    Content desired = tree("{'spec':{'replicas':1},'metadata':{'annotations':{'x':'2','y':'3'}}}");
    ResourceDiff d = new Differ(o).diff(WEB, actual, desired, null);
    assertTrue(d.isEmpty());
    assertEquals(List.of(new Suppressed("ignore */Deployment/*: /status", 1),
        new Suppressed("ignore */*/*: /metadata/annotations/*", 2)), d.suppressed());
    assertEquals("apps/Deployment/default/web: 1 hidden by ignore */Deployment/*: /status\n"
        + "apps/Deployment/default/web: 2 hidden by ignore */*/*: /metadata/annotations/*", d.explain());
    ResourceDiff other = new Differ(o).diff(CM, actual, desired, null);
    assertEquals(List.of("- /status: {\"a\":1,\"b\":2}"), lines(other));
    assertEquals(List.of(new Suppressed("ignore */*/*: /metadata/annotations/*", 2)), other.suppressed());
  }

  @Test
  void ignoreRulesApplyOnlyToTheirResources() {
    DiffOptions o = DiffOptions.defaults().ignoring(new PathRule("apps", "Deployment", "other", "/spec"));
    ResourceDiff d = new Differ(o).diff(WEB, Trees.deployment(1, "a"), Trees.deployment(2, "a"), null);
    assertEquals(1, d.changes().size());
    assertTrue(d.suppressed().isEmpty());
  }

  @Test
  void sensitiveChangesAreMarkedAndMaskedInToString() {
    DiffOptions o = DiffOptions.defaults().masking(PathRule.forKind("ConfigMap", "/data/*"));
    ResourceDiff d = diff(o, "{'data':{'pw':'hunter2'},'x':1}", "{'data':{'pw':'swordfish'},'x':2}");
    assertTrue(d.changes().get(0).sensitive());
    assertFalse(d.changes().get(1).sensitive());
    assertEquals("ConfigMap/default/cm\n  ~ /data/pw: *** (changed)\n  ~ /x: 1 -> 2", d.toString());
    ResourceDiff added = diff(o, "{}", "{'data':{'pw':'hunter2'}}");
    assertEquals("+ /data: *** (changed)", added.changes().get(0).toString());
  }

  @Test
  void normalizersApplyToBothSidesBeforeComparing() {
    Normalizer dropStatus = (id, t) -> t.has("status") ? ((ObjectNode) t.deepCopy()).without("status") : t;
    DiffOptions o = DiffOptions.defaults().normalizing(dropStatus);
    assertTrue(diff(o, "{'a':1,'status':{'x':1}}", "{'a':1}").isEmpty());
  }

  @Test
  void anAbsentActualMakesEveryTopLevelFieldAnAdd() {
    ResourceDiff d = diff(DiffOptions.defaults(), null, "{'b':{'c':1},'a':2}");
    assertEquals(List.of("+ /a: 2", "+ /b: {\"c\":1}"), lines(d));
  }

  @Test
  void changesAreSortedWithNumericIndexes() {
    ResourceDiff d = diff(DiffOptions.defaults(), "{'l':[0]}", "{'l':[0,1,2,3,4,5,6,7,8,9,10,11]}");
    assertEquals("/l/1", d.changes().get(0).path());
    assertEquals("/l/11", d.changes().get(10).path());
  }

  @Test
  void textFilesDifferAtContentAndModeAsText() {
    Content a = Content.bytes("a\nb\n".getBytes(StandardCharsets.UTF_8), FileMode.of(0644));
    Content d = Content.bytes("a\nc\n".getBytes(StandardCharsets.UTF_8), FileMode.of(0600));
    ResourceDiff diff = new Differ(DiffOptions.defaults()).diff(ResourceId.file("etc/x"), a, d, null);
    assertEquals("a\nb\n", diff.changes().get(0).before().textValue());
    assertEquals("a\nc\n", diff.changes().get(0).after().textValue());
    assertEquals("\"0600\"", diff.changes().get(1).after().toString());
    assertTrue(new Differ(DiffOptions.defaults()).equivalent(ResourceId.file("etc/x"), a, a));
  }

  @Test
  void toStringShowsAFilesTextOnlyByItsLength() {
    Content a = Content.bytes("password=hunter2\n".getBytes(StandardCharsets.UTF_8), FileMode.of(0644));
    Content d = Content.bytes("password=swordfish\n".getBytes(StandardCharsets.UTF_8), FileMode.of(0600));
    ResourceDiff diff = new Differ(DiffOptions.defaults()).diff(ResourceId.file("etc/x"), a, d, null);
    assertEquals(List.of("~ /content: (17 chars) -> (19 chars)", "~ /mode: \"0644\" -> \"0600\""), lines(diff));
    assertEquals("File//etc/x\n  ~ /content: (17 chars) -> (19 chars)\n  ~ /mode: \"0644\" -> \"0600\"",
        diff.toString());
    ResourceDiff created = new Differ(DiffOptions.defaults()).diff(ResourceId.file("etc/x"), null, d, null);
    assertEquals("+ /content: (19 chars)", created.changes().get(0).toString());
  }

  @Test
  void aSecretsValuesAreSensitiveAndMaskedEvenWithoutASensitiveRule() {
    ResourceId db = ResourceId.of("Secret", "default", "db");
    ResourceDiff d = new Differ(DiffOptions.defaults()).diff(db,
        tree("{'kind':'Secret','data':{'pw':'aHVudGVyMg=='},'x':1}"),
        tree("{'kind':'Secret','data':{'pw':'c3dvcmRmaXNo'},'stringData':{'k':'v'},'x':2}"), null);
    assertTrue(d.hasSensitive(), "one source of truth: every differ knows a Secret's values");
    assertTrue(d.changes().get(0).sensitive());
    assertEquals("Secret/default/db\n  ~ /data/pw: *** (changed)\n  + /stringData: *** (changed)\n  ~ /x: 1 -> 2",
        d.toString());
    assertFalse(d.toString().contains("c3dvcmRmaXNo"));
  }

  @Test
  void binaryFilesDifferByDigestAndSensitiveFilesAreMasked() {
    Content a = Content.bytes(new byte[] {0, 1, 2}, FileMode.REGULAR);
    Content d = Content.bytes(new byte[] {0, 1, 3}, FileMode.REGULAR);
    ResourceId key = ResourceId.file("etc/key.bin");
    Change c = new Differ(DiffOptions.defaults()).diff(key, a, d, null).changes().get(0);
    assertTrue(c.before().textValue().startsWith("sha256:"));
    assertEquals("~ /content: " + c.before() + " -> " + c.after(), c.toString());
    assertFalse(c.sensitive());
    DiffOptions masked = DiffOptions.defaults().masking(PathRule.forKind("File", ""));
    assertTrue(new Differ(masked).diff(key, a, d, null).changes().get(0).sensitive());
    ResourceDiff created = new Differ(DiffOptions.defaults()).diff(key, null, d, null);
    assertEquals(List.of(Op.ADD, Op.ADD), created.changes().stream().map(Change::op).toList());
    assertNull(created.changes().get(0).before());
  }

  @Test
  void comparingATreeWithAFileIsMisuse() {
    Content file = Content.bytes(new byte[0], FileMode.REGULAR);
    assertThrows(IllegalArgumentException.class,
        () -> new Differ(DiffOptions.defaults()).diff(CM, tree("{}"), file, null));
  }

  @Test
  void aDifferReusesItsWalkWithoutCarryingAnythingFromOneDiffToTheNext() {
    AtomicReference<Differ> self = new AtomicReference<>();
    ResourceId boom = ResourceId.of("ConfigMap", "default", "boom");
    ResourceId nested = ResourceId.of("ConfigMap", "default", "nested");
    FieldNormalizer rule = (id, path, v) -> {
      if (id.equals(boom)) {
        throw new IllegalStateException("rule failed");
      }
      if (id.equals(nested) && path.depth() == 1) {
        // A diff inside a diff, on the same differ and thread.
        assertEquals(List.of("~ /data/a: \"1\" -> \"2\""), lines(self.get().diff(CM, tree("{\"data\":{\"a\":\"1\"}}"),
            tree("{\"data\":{\"a\":\"2\"}}"), null)));
      }
      return v;
    };
    Differ differ = new Differ(DiffOptions.defaults().normalizing(rule));
    self.set(differ);
    Content before = tree("{\"data\":{\"a\":\"1\",\"b\":\"x\"}}");
    Content after = tree("{\"data\":{\"a\":\"2\"}}");
    ResourceDiff first = differ.diff(CM, before, after, null);
    assertEquals(List.of("~ /data/a: \"1\" -> \"2\"", "- /data/b: \"x\""), lines(first));
    assertTrue(differ.diff(CM, after, after, null).isEmpty(), "nothing left from the last diff");
    assertThrows(IllegalStateException.class, () -> differ.diff(boom, before, after, null));
    assertEquals(first, differ.diff(CM, before, after, null), "after a diff that threw");
    assertEquals(first.changes(), differ.diff(nested, before, after, null).changes(),
        "around a nested diff");
    assertFalse(differ.equivalent(CM, before, after));
    assertTrue(differ.equivalent(CM, after, after));
  }
}

package dev.gitops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class ResourceIdTest {

  @Test
  void printsOneFormWithTheGroupInFront() {
    assertEquals("apps/Deployment/default/web", new ResourceId("apps", "Deployment", "default", "web").toString());
    assertEquals("Service/default/web", ResourceId.of("Service", "default", "web").toString());
    assertEquals("Namespace//monitoring", ResourceId.of("Namespace", "", "monitoring").toString());
    assertEquals("File//etc/app.conf", ResourceId.file("etc/app.conf").toString());
    assertEquals("cert-manager.io/Certificate/web/tls",
        new ResourceId("cert-manager.io", "Certificate", "web", "tls").toString());
  }

  @Test
  void parseReadsThePrintedFormBack() {
    assertEquals(new ResourceId("apps", "Deployment", "default", "web"),
        ResourceId.parse("apps/Deployment/default/web"));
    assertEquals(ResourceId.file("etc/nginx/conf.d/site.conf"),
        ResourceId.parse("File//etc/nginx/conf.d/site.conf"));
    assertEquals(ResourceId.of("Namespace", "", "monitoring"), ResourceId.parse("Namespace//monitoring"));
    assertTrue(ResourceId.parse("File//a/b").isFile());
  }

  @Test
  void parseRejectsWhatIsNotAnId() {
    for (String bad : List.of("", "web", "Deployment/web", "apps/Deployment/web", "Kind//")) {
      assertThrows(IllegalArgumentException.class, () -> ResourceId.parse(bad), bad);
    }
  }

  @Test
  void constructorRejectsAmbiguousParts() {
    assertThrows(IllegalArgumentException.class, () -> new ResourceId("", " ", "ns", "n"));
    assertThrows(IllegalArgumentException.class, () -> new ResourceId("mygroup", "Kind", "ns", "n"));
    assertThrows(IllegalArgumentException.class, () -> new ResourceId("", "Kind", "a/b", "n"));
    assertThrows(IllegalArgumentException.class, () -> new ResourceId("", "apps", "ns", "n"));
  }

  @Test
  void idsSortByKindNamespaceNameThenGroup() {
    List<ResourceId> ids = new ArrayList<>(List.of(
        new ResourceId("x.io", "Deployment", "a", "web"), ResourceId.of("ConfigMap", "b", "a"),
        new ResourceId("apps", "Deployment", "a", "web"), ResourceId.of("ConfigMap", "a", "z")));
    ids.sort(null);
    assertEquals(List.of("ConfigMap/a/z", "ConfigMap/b/a", "apps/Deployment/a/web",
        "x.io/Deployment/a/web"), ids.stream().map(ResourceId::toString).toList());
  }

  @Test
  void orderIsKindNamespaceNameThenGroupForAnyIds() {
    Comparator<ResourceId> definition = Comparator.comparing(ResourceId::kind)
        .thenComparing(ResourceId::namespace).thenComparing(ResourceId::name)
        .thenComparing(ResourceId::group);
    Gen<String> group = Generate.pick(List.of("", "apps", "example.com"));
    Gen<String> kind = Generate.pick(List.of("Deployment", "ConfigMap", "Widget"));
    Gen<String> namespace = Generate.pick(List.of("", "default", "kube-system"));
    Gen<String> name = strings().betweenCodePoints('a', 'c').ofLengthBetween(1, 3);
    Gen<ResourceId> ids = group.zip(kind, namespace, name, ResourceId::new);
    qt().withExamples(2000).forAll(ids, ids).checkAssert((a, b) -> {
      assertEquals(Integer.signum(definition.compare(a, b)), Integer.signum(a.compareTo(b)));
      // Equal text in distinct String objects compares as equal too.
      ResourceId copy = new ResourceId(new String(a.group()), new String(a.kind()),
          new String(a.namespace()), new String(a.name()));
      assertEquals(0, a.compareTo(copy));
    });
  }

  @Test
  void printThenParseIsIdentity() {
    Gen<String> segment = strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 6);
    Gen<String> group = Generate.pick(List.of("", "apps", "batch", "example.com", "cert-manager.io"));
    Gen<String> kind = Generate.pick(List.of("Deployment", "ConfigMap", "File", "Namespace", "Widget"));
    Gen<String> namespace = Generate.pick(List.of("", "default", "kube-system"));
    Gen<String> name = lists(segment).map(parts -> String.join("/", parts)).assuming(n -> !n.isBlank());
    qt().withExamples(1000).forAll(group, kind, namespace, name).checkAssert((g, k, ns, n) -> {
      ResourceId id = new ResourceId(g, k, ns, n);
      assertEquals(id, ResourceId.parse(id.toString()));
      assertEquals(id.toString(), ResourceId.parse(id.toString()).toString());
    });
  }

  @Test
  void namesWithControlCharactersPrintEscapedAndParseBack() {
    ResourceId evil = ResourceId.file("a\nb\u001b[31mred\\x\u202egnp.exe\tz\u0085");
    assertEquals("File//a\\nb\\x1b[31mred\\\\x\\u202egnp.exe\\tz\\x85", evil.toString());
    assertEquals(evil, ResourceId.parse(evil.toString()));
    assertEquals("File//caf\u00e9/\u65e5\u672c.conf", ResourceId.file("caf\u00e9/\u65e5\u672c.conf").toString(),
        "printable text stays as it is");
    assertEquals(ResourceId.file("back\\slash"), ResourceId.parse("File//back\\slash"),
        "a backslash that starts no escape is kept");
  }

  @Test
  void anyNamePrintsWithoutControlCharactersAndParsesBack() {
    Gen<String> segment = strings().betweenCodePoints(1, 0x2100).ofLengthBetween(1, 6)
        .assuming(t -> !t.contains("/"));
    Gen<String> name = lists(segment).map(parts -> String.join("/", parts)).assuming(n -> !n.isBlank());
    qt().withExamples(3000).forAll(name).checkAssert(n -> {
      ResourceId id = ResourceId.file(n);
      String printed = id.toString();
      assertEquals(id, ResourceId.parse(printed));
      assertTrue(printed.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x2028 && c <= 0x202e)),
          printed);
    });
  }

  private static Gen<List<String>> lists(Gen<String> segment) {
    return org.quicktheories.generators.SourceDSL.lists().of(segment)
        .ofSizes(integers().between(1, 4));
  }

  /** A refused id's message names its parts escaped: they come from a repository or a saved plan's JSON. */
  @Test
  void aRefusedIdNamesItsPartsEscaped() {
    String forged = "\n[WARN] forged\u001b[2J";
    for (java.util.function.Supplier<ResourceId> bad : List.<java.util.function.Supplier<ResourceId>>of(
        () -> new ResourceId("a/b" + forged, "Kind", "", "n"),
        () -> new ResourceId("", "Ki.nd" + forged, "", "n"),
        () -> new ResourceId("nodot" + forged, "Kind", "", "n"))) {
      String message = assertThrows(IllegalArgumentException.class, bad::get).getMessage();
      assertTrue(message.contains("\\n[WARN] forged\\x1b[2J"), message);
      assertTrue(!message.contains("\n") && !message.contains("\u001b"), ResourceId.escape(message));
    }
  }
}

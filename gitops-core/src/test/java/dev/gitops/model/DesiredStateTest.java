package dev.gitops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DesiredStateTest {

  @Test
  void wavesAndDependenciesAreReadFromAnnotations() {
    Resource db = Fixtures.configMap("db", Map.of("k", "v"), Map.of(Resource.WAVE, " -1 "));
    Resource web = Fixtures.configMap("web", Map.of("k", "v"),
        Map.of(Resource.DEPENDS_ON, "ConfigMap/default/db, "));
    DesiredState d = DesiredState.of(List.of(web, db));
    assertEquals(-1, d.wave(db.id()));
    assertEquals(0, d.wave(web.id()));
    assertEquals(Set.of(db.id()), d.dependsOn(web.id()));
    assertEquals(List.of(db.id(), web.id()), List.copyOf(d.byId().keySet()), "sorted by id");
    assertEquals(Map.of(web.id(), Set.of(db.id())), d.dependencies());
    assertThrows(UnsupportedOperationException.class, () -> d.dependsOn(web.id()).clear());
    assertEquals(List.of(db, web), List.copyOf(d.resources()), "resources in id order");
  }

  @Test
  void aDuplicateNamesBothOrigins() {
    Resource first = Fixtures.configMap("web", "1").withOrigin(new Origin("a.yaml", 3));
    Resource second = Fixtures.configMap("web", "2").withOrigin(new Origin("b.yaml", 8));
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> DesiredState.of(List.of(first, second)));
    assertEquals("b.yaml:8: ConfigMap/default/web: duplicate resource, also declared at a.yaml:3",
        e.getMessage());
  }

  @Test
  void aCycleNamesItsMembers() {
    Resource x = Fixtures.configMap("x", Map.of(), Map.of(Resource.DEPENDS_ON, "ConfigMap/default/y"));
    Resource y = Fixtures.configMap("y", Map.of(), Map.of(Resource.DEPENDS_ON, "ConfigMap/default/z"));
    Resource z = Fixtures.configMap("z", Map.of(), Map.of(Resource.DEPENDS_ON, "ConfigMap/default/x"));
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> DesiredState.of(List.of(x, y, z)));
    assertEquals(1, e.problems().size(), e::getMessage);
    String m = e.getMessage();
    assertTrue(m.contains("depends-on cycle") && m.contains("ConfigMap/default/x")
        && m.contains("ConfigMap/default/y") && m.contains("ConfigMap/default/z"), m);
  }

  @Test
  void aMalformedDependencyIsAProblemNotACrash() {
    Resource r = Fixtures.configMap("x", Map.of(), Map.of(Resource.DEPENDS_ON, "not-an-id"));
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> DesiredState.of(List.of(r)));
    assertTrue(e.getMessage().startsWith("deploy/x.yaml:1: ConfigMap/default/x: gitops.dev/depends-on"),
        e.getMessage());
  }

  @Test
  void handlerNamesMustBeUnique() {
    Handler h1 = new Handler("reload", "true", List.of("**"), new Origin("h.yaml", 1));
    Handler h2 = new Handler("reload", "true", List.of("**"), new Origin("h.yaml", 5));
    assertThrows(InvalidDesiredStateException.class,
        () -> DesiredState.of(List.of(), List.of(h1, h2), List.of()));
  }
}

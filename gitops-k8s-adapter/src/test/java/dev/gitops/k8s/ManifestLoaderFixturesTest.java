package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Walks {@code shared/fixtures/k8s/INDEX.tsv} and loads every document of every set. */
class ManifestLoaderFixturesTest {
  private static final String DEFAULT_NS = "fixture-default";
  private static final Pattern LIST = Pattern.compile("List with (\\d+) items: (\\S+)/(\\w+) x\\d+");
  /** Files with duplicate mapping keys (see the fixtures' README): file to "line key". */
  private static final Map<String, String> DUPLICATE_KEYS = Map.of(
      "kubernetes-examples/_archived/openshift-origin/etcd-controller.yaml", "6 selector",
      "kubernetes-examples/_archived/openshift-origin/etcd-discovery-controller.yaml", "6 selector",
      "kubernetes-examples/_archived/openshift-origin/openshift-controller.yaml", "8 selector",
      "kubernetes-examples/_archived/persistent-volume-provisioning/quobyte/quobyte-admin-secret.yaml",
      "5 type"); // README says line 1, the document; the first "type:" is on line 5
  /**
   * Archived examples with fields their volume source never had (StorageClass parameters written
   * into a Pod's rbd volume; a StorageOS pool and secret name): kubectl refuses each under strict
   * field validation, the API server drops them. File to the fields' lines and dotted paths.
   */
  private static final Map<String, List<String>> UNKNOWN_FIELDS = Map.of(
      "kubernetes-examples/_archived/volumes/rbd/rbd.yaml",
      List.of("25 spec.volumes[0].rbd.imageformat", "26 spec.volumes[0].rbd.imagefeatures"),
      "kubernetes-examples/_archived/volumes/storageos/storageos-pod.yaml",
      List.of("35 spec.volumes[0].storageos.pool"),
      "kubernetes-examples/_archived/volumes/storageos/storageos-pv.yaml",
      List.of("22 spec.storageos.secretName"));

  private final ManifestLoader loader = ManifestLoader.withDefaultNamespace(DEFAULT_NS);

  record Row(String set, String path, String apiVersion, String kind, String namespace, String name,
             String note) {}

  @Test
  void loadsEveryDocumentOfEverySetAsTheIndexListsIt() throws IOException {
    Path root = Fixtures.k8s();
    Map<String, List<Row>> byFile = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(root.resolve("INDEX.tsv"), StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", -1);
      byFile.computeIfAbsent(f[0] + "/" + f[1], k -> new ArrayList<>())
          .add(new Row(f[0], f[1], f[3], f[4], f[5], f[6], f[7]));
    }
    int checked = 0;
    for (Map.Entry<String, List<Row>> file : byFile.entrySet()) {
      Row first = file.getValue().get(0);
      Path setDir = root.resolve(first.set());
      if (DUPLICATE_KEYS.containsKey(file.getKey())) {
        assertDuplicateKeyReported(setDir, first, DUPLICATE_KEYS.get(file.getKey()));
        continue;
      }
      if (UNKNOWN_FIELDS.containsKey(file.getKey())) {
        InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
            () -> loader.load(Fixtures.snapshot(setDir, first.path())));
        assertEquals(UNKNOWN_FIELDS.get(file.getKey()), e.problems().stream()
            .map(p -> p.line() + " " + p.message().substring(0, p.message().indexOf(':'))).toList(), e.getMessage());
        e.problems().forEach(p -> assertTrue(p.message().endsWith(DecodedValues.UNKNOWN), p.message()));
        continue;
      }
      DesiredState desired;
      try {
        desired = loader.load(Fixtures.snapshot(setDir, first.path()));
      } catch (InvalidDesiredStateException e) {
        throw new AssertionError(file.getKey() + " did not load: " + e.getMessage(), e);
      }
      checked += compare(file.getKey(), expected(file.getValue()), new ArrayList<>(desired.resources()));
    }
    assertTrue(checked > 1000, "checked " + checked + " resources");
  }

  private static List<Row> expected(List<Row> rows) {
    List<Row> out = new ArrayList<>();
    for (Row r : rows) {
      if (r.note().contains("null-document") || r.note().contains("kustomize input")
          || r.note().contains("kapp Config")) {
        continue;
      }
      Matcher list = LIST.matcher(r.note());
      if (list.find()) {
        for (int i = 0; i < Integer.parseInt(list.group(1)); i++) {
          out.add(new Row(r.set(), r.path(), list.group(2), list.group(3), "?", "?", "item"));
        }
      } else {
        out.add(r);
      }
    }
    return out;
  }

  private static int compare(String file, List<Row> expected, List<Resource> loaded) {
    assertEquals(expected.size(), loaded.size(), file + ": resources loaded");
    for (Row row : expected) {
      Resource match = loaded.stream().filter(r -> matches(row, r)).findFirst().orElse(null);
      if (match == null) {
        fail(file + ": no resource for " + row + " among " + loaded);
      }
      loaded.remove(match);
      assertTrue(match.origin().line() > 0 && match.origin().file().equals(row.path()),
          file + ": origin " + match.origin());
    }
    return expected.size();
  }

  private static boolean matches(Row row, Resource r) {
    ResourceId id = r.id();
    String group = KindInfo.groupOf(row.apiVersion());
    if (!id.group().equals(group) || !id.kind().equals(row.kind())) {
      return false;
    }
    if ("item".equals(row.note())) {
      return true;
    }
    if (!id.name().equals(row.name())) {
      return false;
    }
    var builtin = BuiltinKinds.find(group, row.kind());
    if (builtin.isPresent() && !builtin.get().namespaced()) {
      return id.namespace().isEmpty();
    }
    String want = row.namespace().isEmpty() ? DEFAULT_NS : row.namespace();
    return id.namespace().equals(want) || builtin.isEmpty() && id.namespace().isEmpty();
  }

  private void assertDuplicateKeyReported(Path setDir, Row row, String lineAndKey) {
    String[] parts = lineAndKey.split(" ");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> loader.load(Fixtures.snapshot(setDir, row.path())));
    Problem p = e.problems().stream().filter(x -> x.message().contains("duplicate mapping key"))
        .findFirst().orElseThrow(() -> new AssertionError(row.path() + ": " + e.getMessage()));
    assertEquals(row.path(), p.file());
    assertTrue(p.line() >= Integer.parseInt(parts[0]), e.getMessage());
    assertTrue(p.message().contains("'" + parts[1] + "'"), p.message());
    if (p.line() > Integer.parseInt(parts[0])) {
      assertTrue(p.message().contains("first at line " + parts[0]), p.message());
    }
  }
}

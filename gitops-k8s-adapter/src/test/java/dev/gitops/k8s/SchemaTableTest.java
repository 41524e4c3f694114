package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.diff.FieldSchema.ListMatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped table of built-in schemas is what {@link SchemaTableGenerator} makes of the
 * Kubernetes OpenAPI v3 documents in {@code ../shared/k8s-openapi} (skipped when they are not
 * there), and compiling the table answers as compiling the whole documents does.
 * {@code -Dgitops.schema.write=true} writes the table instead of comparing.
 */
class SchemaTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TABLE = Path.of("src/main/resources/dev/gitops/k8s",
      BuiltinSchemas.RESOURCE);

  private static Path documents() {
    return Fixtures.shared("k8s-openapi/v3").getParent();
  }

  @Test
  void theShippedTableIsWhatTheDocumentsGive() throws IOException {
    String generated = SchemaTableGenerator.generate(documents());
    if (Boolean.getBoolean("gitops.schema.write")) {
      Files.writeString(TABLE, generated, StandardCharsets.UTF_8);
    }
    String shipped;
    try (InputStream in = BuiltinSchemas.class.getResourceAsStream(BuiltinSchemas.RESOURCE)) {
      assertNotNull(in, "the table is on the class path");
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(generated, shipped, "regenerate the table: see gitops-k8s-adapter/README.md");
    assertEquals(BuiltinSchemas.kubernetesVersion(), "1.35");
  }

  @Test
  void theTableAnswersAsTheWholeDocumentsDo() throws IOException {
    Map<String, JsonNode> all = new HashMap<>();
    try (Stream<Path> files = Files.list(documents().resolve("v3"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JSON.readTree(f.toFile()).path("components").path("schemas").properties()
            .forEach(e -> all.putIfAbsent(e.getKey(), e.getValue()));
      }
    }
    KindSchemas whole = KindSchemas.EMPTY.plus(KindSchemas.ofDocument(all, true));
    KindSchemas table = BuiltinSchemas.kinds();
    assertEquals(whole.size(), table.size());
    int keyed = 0;
    for (String kind : List.of("Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob",
        "Service", "ConfigMap", "Secret", "ClusterRole", "HorizontalPodAutoscaler", "Ingress",
        "NetworkPolicy", "CustomResourceDefinition", "MutatingWebhookConfiguration", "Namespace")) {
      for (String group : List.of("", "apps", "batch", "rbac.authorization.k8s.io", "autoscaling",
          "networking.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io")) {
        SchemaField a = whole.find(group, kind, null, true);
        SchemaField b = table.find(group, kind, null, true);
        assertEquals(a == null, b == null, group + "/" + kind);
        if (a != null) {
          keyed += same(a, b, group + "/" + kind, new IdentityHashMap<>());
        }
      }
    }
    assertTrue(keyed > 20, keyed + " keyed lists");
  }

  /** Compares two compiled fields, kinds' status left out; returns how many keyed lists. */
  private static int same(SchemaField a, SchemaField b, String path, Map<SchemaType, Boolean> seen) {
    assertEquals(a.role, b.role, path);
    assertEquals(a.kept, b.kept, path);
    assertEquals(a.present, b.present, path);
    assertEquals(a.list, b.list, path);
    assertEquals(a.atomic(), b.atomic(), path);
    SchemaType x = a.type();
    SchemaType y = b.type();
    assertEquals(x.shape, y.shape, path);
    assertEquals(x.scalar, y.scalar, path);
    assertEquals(x.match, y.match, path);
    if (seen.put(x, true) != null) {
      return 0;
    }
    int keyed = x.match != null && x.match.kind() == ListMatch.Kind.KEYED ? 1 : 0;
    // The table leaves out the status of every kind's type, also where the type is embedded (a
    // StatefulSet's volumeClaimTemplates): nobody writes a status into a manifest.
    TreeSet<String> names = without(x.fields.keySet(), "status");
    assertEquals(names, without(y.fields.keySet(), "status"), path);
    assertTrue(!y.fields.containsKey("status") || x.fields.containsKey("status"), path);
    for (String n : names) {
      keyed += same(x.fields.get(n), y.fields.get(n), path + "/" + n, seen);
    }
    if (x.element != null) {
      keyed += same(x.element, y.element, path + "/*", seen);
    }
    return keyed;
  }

  private static TreeSet<String> without(java.util.Set<String> names, String name) {
    TreeSet<String> out = new TreeSet<>(names);
    out.remove(name);
    return out;
  }
}

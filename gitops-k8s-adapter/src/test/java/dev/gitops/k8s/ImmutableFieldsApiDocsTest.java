package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The table of fields the API server keeps as created ({@link ImmutableFields}) against the
 * Kubernetes API reference itself: every field of a built-in kind whose description in the
 * OpenAPI v3 documents of {@code ../shared/k8s-openapi} (skipped when they are not there) says it
 * is immutable or cannot be updated is in the table — the field, a part of it or a whole that
 * holds it — or named below with the reason it is left to the server. Object metadata, status and
 * the templates of workloads (mutable: they only shape what is made next) are not walked.
 */
class ImmutableFieldsApiDocsTest {
  private static final Pattern KEPT = Pattern.compile(
      "\\bimmutable\\b|cannot be updated|cannot be changed|may not be changed", Pattern.CASE_INSENSITIVE);
  private static final Pattern NO_LONGER = Pattern.compile("now is mutable|was immutable", Pattern.CASE_INSENSITIVE);
  /** Types not walked: metadata, and templates of what a workload makes. */
  private static final Set<String> NOT_WALKED = Set.of("ObjectMeta", "PodTemplateSpec", "JobTemplateSpec",
      "JSONSchemaProps");
  /** Fields the reference calls immutable that the table leaves to the server, and why. */
  private static final Map<String, String> LEFT_TO_THE_SERVER = Map.of(
      "/Service /spec/healthCheckNodePort", "allocated by the server when not given, kept while the Service"
          + " needs it and wiped when it stops needing it: whether a change is taken depends on the type");

  @Test
  void everyFieldTheReferenceCallsImmutableIsInTheTable() {
    List<String> found = documented();
    assertTrue(found.size() > 20, "the documents were walked: " + found);
    List<String> missing = new ArrayList<>();
    for (String field : found) {
      String kind = field.substring(0, field.indexOf(' '));
      String pointer = field.substring(field.indexOf(' ') + 1);
      boolean judged = ImmutableFields.fields(kind).stream().anyMatch(rule -> overlaps(rule, pointer));
      if (!judged && !LEFT_TO_THE_SERVER.containsKey(field)) {
        missing.add(field);
      }
    }
    assertEquals(List.of(), missing, "fields the API reference calls immutable, not in ImmutableFields");
    assertTrue(found.containsAll(LEFT_TO_THE_SERVER.keySet()), "every field left to the server is still documented");
  }

  @Test
  void theWalkFindsWhatTheTableHolds() {
    List<String> found = documented();
    for (String field : List.of("rbac.authorization.k8s.io/RoleBinding /roleRef",
        "certificates.k8s.io/CertificateSigningRequest /spec", "storage.k8s.io/CSIDriver /spec/volumeLifecycleModes",
        "/Pod /spec/containers", "/ConfigMap /immutable")) {
      assertTrue(found.contains(field), field + " in " + found);
    }
    assertTrue(found.stream().noneMatch(f -> f.startsWith("batch/CronJob ") || f.startsWith("apps/Deployment ")),
        "templates are not walked: " + found);
    assertTrue(found.stream().noneMatch(f -> f.startsWith("storage.k8s.io/CSIDriver /spec/fsGroupPolicy")),
        "a field the reference says is mutable now is not taken: " + found);
  }

  /** True when rule pointer {@code rule} and field pointer {@code field} lie on one path ({@code *}: any segment). */
  private static boolean overlaps(String rule, String field) {
    String[] a = rule.substring(1).split("/");
    String[] b = field.substring(1).split("/");
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (!a[i].equals(b[i]) && !a[i].equals("*") && !b[i].equals("*")) {
        return false;
      }
    }
    return true;
  }

  /** {@code group/Kind /pointer} of every field a description calls immutable, sorted. */
  private static List<String> documented() {
    Set<String> out = new TreeSet<>();
    for (JsonNode document : OpenApiDocuments.all()) {
      JsonNode schemas = document.path("components").path("schemas");
      schemas.properties().forEach(e -> {
        for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
          String kind = gvk.path("kind").asText();
          if (!kind.endsWith("List") && e.getValue().path("properties").has("metadata")) {
            Set<String> seen = new HashSet<>(Set.of(e.getKey()));
            walk(schemas, e.getValue(), "", seen, gvk.path("group").asText() + "/" + kind, out);
          }
        }
      });
    }
    return List.copyOf(out);
  }

  private static void walk(JsonNode schemas, JsonNode schema, String at, Set<String> seen, String kind,
                           Set<String> out) {
    schema.path("properties").fields().forEachRemaining(p -> {
      String name = p.getKey();
      if (List.of("kind", "apiVersion", "metadata", "status").contains(name)) {
        return;
      }
      String description = p.getValue().path("description").asText();
      if (KEPT.matcher(description).find() && !NO_LONGER.matcher(description).find()) {
        out.add(kind + " " + at + "/" + name);
        return;
      }
      String ref = ref(p.getValue());
      String type = ref == null ? null : ref.substring(ref.lastIndexOf('.') + 1);
      if (ref != null && !NOT_WALKED.contains(type) && seen.add(ref)) {
        boolean list = p.getValue().has("items");
        walk(schemas, schemas.path(ref), at + "/" + name + (list ? "/*" : ""), seen, kind, out);
        seen.remove(ref);
      }
    });
  }

  /** The schema a property refers to (itself, through {@code allOf}, as its items or map values), or null. */
  private static String ref(JsonNode property) {
    String ref = OpenApiDocuments.ref(property);
    if (ref != null || property.has("items")) {
      return ref != null ? ref : ref(property.path("items"));
    }
    JsonNode values = property.path("additionalProperties");
    return values.isObject() ? ref(values) : null;
  }
}

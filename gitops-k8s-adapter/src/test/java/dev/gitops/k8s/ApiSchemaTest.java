package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-written {@link ApiSchema} (the stand-in's and the field-set oracle's schema) agrees
 * with the Kubernetes 1.35 OpenAPI documents in {@code shared/k8s-openapi/v3} at every list and
 * object the corpus manifests and the stand-in tests' manifests use: the same list type and keys
 * (and key defaults), the same atomic maps. Skipped when the documents are absent.
 */
class ApiSchemaTest {
  private static final ObjectMapper YAML = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

  @Test
  void handWrittenSchemaAgreesWithTheOpenApiAtEveryListAndObjectTheTestsUse() throws IOException {
    Map<String, JsonNode> schemas = OpenApiDocuments.schemas();
    List<JsonNode> manifests = new ArrayList<>();
    ServerObjects.all().stream().filter(p -> p.crd() == null).forEach(p -> manifests.add(p.manifest()));
    for (String text : List.of(ServerSideApplyFixtures.TEKTON_STYLE, ServerSideApplyFixtures.REMOVALS_BEFORE,
        ServerSideApplyFixtures.POD_AND_SERVICE)) {
      for (String doc : text.split("(?m)^---$")) {
        manifests.add(YAML.readTree(doc));
      }
    }
    int checked = 0;
    for (JsonNode m : manifests) {
      JsonNode type = typeOf(schemas, m.path("apiVersion").asText(), m.path("kind").asText());
      assertTrue(type != null, "no OpenAPI schema for " + m.path("kind").asText());
      checked += walk(schemas, ApiSchema.builtin(m.path("apiVersion").asText(), m.path("kind").asText()), m, type, new ArrayList<>(),
          m.path("kind").asText());
    }
    assertTrue(checked > 500, checked + " nodes checked");
  }

  private static int walk(Map<String, JsonNode> schemas, ApiSchema mine, JsonNode value, JsonNode type,
                          List<String> at, String kind) {
    type = resolve(schemas, type);
    String where = kind + " " + String.join(".", at);
    int checked = 1;
    if (value.isObject()) {
      boolean atomic = "atomic".equals(type.path("x-kubernetes-map-type").asText());
      assertEquals(atomic, mine.atomicMap(at), "atomic map at " + where);
      if (atomic) {
        return checked;
      }
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        if (at.isEmpty() && e.getKey().equals("status")) {
          continue; // never applied (the strategy resets it, FieldSets leaves it out): a CRD's controller-gen stub, pair 225
        }
        JsonNode child = type.path("properties").get(e.getKey());
        if (child == null) {
          child = type.path("additionalProperties");
        }
        if (child.isMissingNode()) {
          continue;
        }
        at.add(e.getKey());
        checked += walk(schemas, mine, e.getValue(), child, at, kind);
        at.remove(at.size() - 1);
      }
    } else if (value.isArray()) {
      ApiSchema.ListInfo info = mine.list(at);
      String listType = type.path("x-kubernetes-list-type").asText("atomic");
      assertEquals(listType, info.type().name().toLowerCase(), "list type at " + where);
      if (listType.equals("map")) {
        List<String> keys = new ArrayList<>();
        type.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
        assertEquals(keys, info.keys(), "list keys at " + where);
        JsonNode item = resolve(schemas, type.path("items"));
        List<String> required = new ArrayList<>();
        item.path("required").forEach(r -> required.add(r.asText()));
        for (String k : keys) {
          if (required.contains(k)) {
            continue; // always given: its default ("" for a name) never fills a key
          }
          JsonNode d = resolve(schemas, item.path("properties").path(k)).get("default");
          assertEquals(d, info.defaults().get(k), "default of key " + k + " at " + where);
        }
      }
      if (!listType.equals("atomic")) {
        at.add("[]");
        for (JsonNode element : value) {
          checked += walk(schemas, mine, element, type.path("items"), at, kind);
        }
        at.remove(at.size() - 1);
      }
    }
    return checked;
  }

  /** A property's own schema merged with the type it refers to (its extensions win). */
  private static JsonNode resolve(Map<String, JsonNode> schemas, JsonNode node) {
    String ref = OpenApiDocuments.ref(node);
    if (ref == null) {
      return node;
    }
    com.fasterxml.jackson.databind.node.ObjectNode merged = schemas.get(ref).deepCopy();
    node.properties().forEach(e -> {
      if (e.getKey().startsWith("x-kubernetes-")) {
        merged.set(e.getKey(), e.getValue());
      }
    });
    return merged;
  }

  /**
   * The kind's schema at the manifest's version; for a prerelease version the 1.35 documents no
   * longer hold (flowcontrol v1beta3, pairs 406 and 407), at v1, as the diff reads it.
   */
  private static JsonNode typeOf(Map<String, JsonNode> schemas, String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    JsonNode type = OpenApiDocuments.kind(schemas, group, kind, version);
    return type != null || !version.matches("v\\d+(alpha|beta)\\d+") ? type : OpenApiDocuments.kind(schemas, group, kind, "v1");
  }
}

package dev.gitops.k8s;

import static dev.gitops.k8s.SchemaDiffs.changes;
import static dev.gitops.k8s.SchemaDiffs.diff;
import static dev.gitops.k8s.SchemaDiffs.hidden;
import static dev.gitops.k8s.SchemaDiffs.show;
import static dev.gitops.k8s.SchemaDiffs.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.ResourceDiff;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nulls and defaults of a custom resource as the API server stores them (apiextensions'
 * {@code PruneNonNullableNullsWithoutDefaults} and {@code Default}), in the places the corpus
 * pairs 190 to 199 do not reach: a map value and a list element, an object default with defaults
 * below it, and a custom resource whose CRD is not known.
 */
class CustomStorageTest {
  /** The properties of the CRD's root (example.dev/v1 Pool). */
  private static final String PROPERTIES = """
                  spec:
                    type: object
                    properties:
                      weights: {type: object, additionalProperties: {type: integer, default: 10}}
                      slots: {type: array, items: {type: integer, default: 1}}
                      gaps: {type: array, items: {type: integer, nullable: true}}
                      rollout:
                        type: object
                        default: {}
                        properties:
                          type: {type: string, default: Rolling}
                          surge: {type: integer, default: 1}
                      values: {x-kubernetes-preserve-unknown-fields: true}
      """;
  private static final String LIVE = """
      apiVersion: example.dev/v1
      kind: Pool
      metadata:
        name: web
        namespace: shop
        managedFields:
        - {manager: gitops, operation: Apply, fieldsV1: {f:spec: {%s}}}
      spec: %s
      """;

  private static ResourceDiff withCrd(String spec, String owned, String liveSpec) {
    DiffOptions options = KubernetesDiff.options(KubernetesSchemaTest.crd("Pool", "pools", PROPERTIES));
    return diff(options, yaml(manifest(spec)), yaml(LIVE.formatted(owned, liveSpec)));
  }

  private static String manifest(String spec) {
    return "{apiVersion: example.dev/v1, kind: Pool, metadata: {name: web, namespace: shop}, spec: " + spec + "}";
  }

  /** Asserts the changes of diffing {@code spec} against {@code liveSpec}, whose owned fields are {@code owned}. */
  private static ResourceDiff assertChanges(List<String> expected, String spec, String owned, String liveSpec) {
    ResourceDiff d = withCrd(spec, owned, liveSpec);
    assertEquals(expected, changes(d), show(d));
    return d;
  }

  @Test
  void aNullMapValueIsItsDefaultWhileAKeyLeftOutGoes() {
    assertChanges(List.of(), "{weights: {a: null}}", "f:weights: {f:a: {}}", "{weights: {a: 10}}");
    assertChanges(List.of("replace /spec/weights/a"), "{weights: {a: null}}", "f:weights: {f:a: {}}", "{weights: {a: 5}}");
    assertChanges(List.of("remove /spec/weights/a"), "{weights: {b: 2}}", "f:weights: {f:a: {}, f:b: {}}",
        "{weights: {a: 10, b: 2}}");
  }

  @Test
  void aNullListElementIsItsDefaultOrKeptWhereNullable() {
    assertChanges(List.of(), "{slots: [4, null]}", "f:slots: {}", "{slots: [4, 1]}");
    assertChanges(List.of(), "{gaps: [null, 2]}", "f:gaps: {}", "{gaps: [null, 2]}");
    assertChanges(List.of("replace /spec/gaps/0"), "{gaps: [null, 2]}", "f:gaps: {}", "{gaps: [3, 2]}");
  }

  @Test
  void anObjectDefaultIsStoredWithTheDefaultsBelowIt() {
    ResourceDiff stored = assertChanges(List.of(), "{}", "f:rollout: {}", "{rollout: {type: Rolling, surge: 1}}");
    assertEquals(Map.of("default value", 1), hidden(stored), show(stored));
    // removed, then stored again as its default: the type goes back to it (pair 481), no removal
    assertChanges(List.of("replace /spec/rollout/type"), "{}", "f:rollout: {}", "{rollout: {type: Recreate, surge: 1}}");
  }

  @Test
  void withoutItsCrdACustomResourcesNullsAreDropped() {
    String live = LIVE.formatted("f:values: {f:replicas: {}}", "{values: {replicas: 2}}");
    ResourceDiff unknown = diff(KubernetesDiff.options(), yaml(manifest("{values: {replicas: 2, resources: null}}")),
        yaml(live));
    assertTrue(unknown.isEmpty(), show(unknown));
    assertChanges(List.of("add /spec/values/resources"), "{values: {replicas: 2, resources: null}}",
        "f:values: {f:replicas: {}}", "{values: {replicas: 2}}");
  }
}

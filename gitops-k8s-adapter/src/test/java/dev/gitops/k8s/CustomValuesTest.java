package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A custom resource judged by its CRD's schema as apiextensions-apiserver judges it
 * ({@link CustomValues}): each rule refuses what the server refuses, and each has a negative control
 * the server takes. Findings print {@code field: R} for a refusal, {@code field: P} for a prune.
 */
class CustomValuesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String SCHEMA = """
      type: object
      properties:
        apiVersion: {type: string}
        kind: {type: string}
        metadata: {type: object}
        spec:
          type: object
          required: [name]
          properties:
            name: {type: string, minLength: 1, maxLength: 3, pattern: '^[a-z0-9-]+$'}
            label: {type: string, maxLength: 3}
            port: {type: integer, minimum: 1, maximum: 65535}
            weight: {type: number, minimum: 0, exclusiveMinimum: true}
            enabled: {type: boolean}
            mode: {type: string, enum: [Always, Never], default: Always}
            level: {type: integer, enum: [1, 2]}
            count: {type: integer, format: int32}
            target: {x-kubernetes-int-or-string: true}
            tags: {type: array, maxItems: 2, items: {type: string}}
            hosts: {type: array, minItems: 1, x-kubernetes-list-type: set, items: {type: string}}
            rules: {type: array, minItems: 1, items: {type: object, properties: {port: {type: integer}}}}
            limits: {type: object, additionalProperties: {type: integer, maximum: 10}}
            timeout: {type: integer, nullable: true}
            template: {type: object, properties: {metadata: {type: object}}}
            values: {type: object, x-kubernetes-preserve-unknown-fields: true,
                     properties: {nested: {type: object, properties: {known: {type: string}}}}}
            raw: {x-kubernetes-preserve-unknown-fields: true}
            base: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}
        status: {type: object, properties: {ready: {type: boolean}}}
      """;

  private static List<String> check(String spec, String liveSpec, boolean serverSide) {
    try {
      JsonNode schema = YAML.readTree(SCHEMA);
      JsonNode object = YAML.readTree("{apiVersion: example.dev/v1, kind: Pool, metadata: {name: p}, spec: " + spec + "}");
      JsonNode live = liveSpec == null ? null : YAML.readTree("{apiVersion: example.dev/v1, kind: Pool, spec: " + liveSpec + "}");
      return CustomValues.check(schema, object, live, serverSide).stream()
          .map(f -> f.field() + ": " + (f.refused() ? "R" : "P")).toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> check(String spec) {
    return check(spec, null, true);
  }

  @Test
  void integerTextInAnIntegerFieldIsRefusedAWholeNumberIsNot() {
    assertEquals(List.of("spec.port: R"), check("{name: a, port: '8080'}"));
    assertEquals(List.of("spec.port: R"), check("{name: a, port: 80.5}"));
    assertEquals(List.of(), check("{name: a, port: 8080}"));
    assertEquals(List.of(), check("{name: a, port: 8080.0}"), "decoded as the integer 8080 by the server");
  }

  @Test
  void textInABooleanANumberInTextAMappingWhereAListGoesAreRefused() {
    assertEquals(List.of("spec.enabled: R"), check("{name: a, enabled: 'true'}"));
    assertEquals(List.of("spec.name: R"), check("{name: 7}"));
    assertEquals(List.of("spec.tags: R"), check("{name: a, tags: {a: b}}"));
    assertEquals(List.of("spec.rules[0]: R"), check("{name: a, rules: [web]}"));
    assertEquals(List.of(), check("{name: a, enabled: true, tags: [a], rules: [{port: 1}]}"));
  }

  @Test
  void intOrStringTakesAnIntegerOrTextNothingElse() {
    assertEquals(List.of(), check("{name: a, target: 8080}"));
    assertEquals(List.of(), check("{name: a, target: http}"));
    assertEquals(List.of("spec.target: R"), check("{name: a, target: true}"));
    assertEquals(List.of("spec.target: R"), check("{name: a, target: 1.5}"));
  }

  @Test
  void nullsAreTheServersToPruneDefaultOrKeep() {
    assertEquals(List.of(), check("{name: a, port: null, timeout: null, mode: null}"));
  }

  @Test
  void belowPreserveUnknownFieldsAnythingGoesButDeclaredFieldsAreJudged() {
    assertEquals(List.of(), check("{name: a, raw: {any: [1, {x: y}]}, values: {free: 1, nested: {known: k}}}"));
    assertEquals(List.of("spec.values.nested.known: R"), check("{name: a, values: {nested: {known: 1}}}"));
  }

  @Test
  void enumTakesOnlyItsValuesComparedAsTheServerCompares() {
    assertEquals(List.of("spec.mode: R"), check("{name: a, mode: Sometimes}"));
    assertEquals(List.of("spec.level: R"), check("{name: a, level: 3}"));
    assertEquals(List.of(), check("{name: a, mode: Never, level: 2}"));
    assertEquals(List.of(), check("{name: a, level: 2.0}"));
  }

  @Test
  void aRequiredFieldLeftOutOrPrunedAsNullIsRefusedUnlessTheLiveObjectHasIt() {
    assertEquals(List.of("spec.name: R"), check("{port: 1}"));
    assertEquals(List.of("spec.name: R"), check("{name: null}"));
    assertEquals(List.of(), check("{port: 1}", "{name: kept, port: 1}", true), "the merge may keep it");
  }

  @Test
  void boundsAreInclusiveUnlessExclusive() {
    assertEquals(List.of("spec.port: R"), check("{name: a, port: 0}"));
    assertEquals(List.of("spec.port: R"), check("{name: a, port: 65536}"));
    assertEquals(List.of("spec.weight: R"), check("{name: a, weight: 0}"));
    assertEquals(List.of(), check("{name: a, port: 1, weight: 0.001}"));
    assertEquals(List.of("spec.limits.cpu: R"), check("{name: a, limits: {cpu: 11, mem: 10}}"));
  }

  @Test
  void lengthsCountCharactersAsGoCountsRunes() {
    String emoji = "\\U0001F600";
    assertEquals(List.of(), check("{name: a, label: \"" + emoji.repeat(3) + "\"}"), "3 characters, 6 UTF-16 units");
    assertEquals(List.of("spec.label: R"), check("{name: a, label: \"" + emoji.repeat(4) + "\"}"));
    assertEquals(List.of("spec.name: R"), check("{name: abcd}"));
    assertEquals(List.of("spec.name: R", "spec.name: R"), check("{name: ''}"), "minLength, and the pattern");
  }

  @Test
  void itemCountsAreJudgedWhereTheWriteAloneMakesTheList() {
    assertEquals(List.of("spec.tags: R"), check("{name: a, tags: [a, b, c]}"));
    assertEquals(List.of("spec.hosts: R"), check("{name: a, hosts: []}"));
    assertEquals(List.of("spec.rules: R"), check("{name: a, rules: []}", "{name: a, rules: [{port: 1}]}", true));
    assertEquals(List.of(), check("{name: a, hosts: []}", "{name: a, hosts: [a.example]}", true),
        "a set is merged with what the live object holds");
  }

  @Test
  void aPatternIsFoundAsGoFindsItAndLeftToTheServerWhereJavaMightReadItOtherwise() {
    assertEquals(List.of("spec.name: R"), check("{name: Ab}"));
    assertEquals(List.of(), check("{name: ab-}"));
    assertEquals(Boolean.TRUE, GoPatterns.finds("b", "abc"), "found anywhere, as Go's MatchString");
    assertEquals(null, GoPatterns.finds("^[[:alpha:]]+$", "abc"), "a POSIX class: a union to Java");
    assertEquals(null, GoPatterns.finds("^[a&&b]$", "&"), "an intersection to Java, text to Go");
    assertEquals(null, GoPatterns.finds("\\bweb\\b", "web"), "word boundaries differ");
    assertEquals(null, GoPatterns.finds("(?U)a+", "aa"), "ungreedy to Go, Unicode classes to Java");
    assertEquals(null, GoPatterns.finds("^(a|b)\\1$", "aa"), "a backreference to Java, an octal escape to Go");
    assertEquals(Boolean.FALSE, GoPatterns.finds("^a.b$", "a\nb"), "a dot takes no line feed");
    assertEquals(Boolean.TRUE, GoPatterns.finds("^a.b$", "a\rb"), "but a carriage return, as Go's");
    assertEquals(Boolean.TRUE, GoPatterns.finds("^\\p{Lu}\\pL+$", "\u00C9t\u00E9"));
    assertEquals(null, GoPatterns.finds("(x+x+)+y", "x".repeat(1000)), "backtracking (7 s unbounded) stops, unjudged");
  }

  @Test
  void formatsAreLeftToTheServerAnInt32ItDoesNotCheckIsTaken() {
    assertEquals(List.of(), check("{name: a, count: 3000000000}"));
  }

  @Test
  void aValueTheLiveObjectHoldsAlikeIsRatchetedAChangedOneIsNot() {
    assertEquals(List.of(), check("{name: a, port: '8080'}", "{name: a, port: '8080'}", true));
    assertEquals(List.of("spec.port: R"), check("{name: a, port: '8080'}", "{name: a, port: '9090'}", true));
    assertEquals(List.of(), check("{name: a, rules: [{port: x}]}", "{name: a, rules: [{port: x}]}", false));
  }

  @Test
  void anUndeclaredFieldIsRefusedByServerSideApplyAndPrunedOtherwise() {
    assertEquals(List.of("spec.keySize: R"), check("{name: a, keySize: 2048}", null, true));
    assertEquals(List.of("spec.keySize: P"), check("{name: a, keySize: 2048}", null, false));
    assertEquals(List.of("spec.values.nested.extra: P"), check("{name: a, values: {nested: {extra: 1}}}", null, true),
        "below preserve-unknown-fields server-side apply types anything, and the server prunes it");
    assertEquals(List.of("spec.template.metadata.labels: P"),
        check("{name: a, template: {metadata: {labels: {app: web}}}}", null, true),
        "an object without properties: typed as anything, then pruned whole");
    assertEquals(List.of(), check("{name: a, keySize: 2048}", "{name: a, keySize: 2048}", true));
  }

  @Test
  void anEmbeddedResourceKeepsItsTypeAndObjectMetaItsOwnFieldsOnly() {
    String base = "{name: a, base: {apiVersion: v1, kind: ConfigMap, metadata: {name: c, labelz: {a: b}}, data: {k: v}}}";
    assertEquals(List.of("spec.base.metadata.labelz: R"), check(base, null, true));
    assertEquals(List.of("spec.base.metadata.labelz: P"), check(base, null, false));
    assertEquals(List.of(), check("{name: a, base: {apiVersion: v1, kind: ConfigMap, metadata: {name: c, labels: {a: b}}}}"));
  }

  @Test
  void theRootsTypeMetadataAndStatusAreNotJudgedAnUndeclaredRootFieldIs() throws Exception {
    JsonNode schema = YAML.readTree(SCHEMA);
    JsonNode object = YAML.readTree("{apiVersion: example.dev/v1, kind: Pool, metadata: {name: p, lables: {}},"
        + " spec: {name: a}, status: {ready: maybe}, data: {k: v}}");
    assertEquals(List.of("data"), CustomValues.check(schema, object, null, true).stream().map(CustomValues.Finding::field).toList());
  }

  @Test
  void noFindingNamesTheValue() throws Exception {
    JsonNode schema = YAML.readTree(SCHEMA);
    JsonNode object = YAML.readTree("{apiVersion: example.dev/v1, kind: Pool, metadata: {name: p},"
        + " spec: {name: hunter2-secret, port: 'hunter2', mode: hunter2, keySize: hunter2}}");
    List<CustomValues.Finding> found = CustomValues.check(schema, object, null, true);
    assertEquals(4, found.size(), found.toString());
    found.forEach(f -> assertFalse(f.message().contains("hunter2"), f.message()));
    assertTrue(found.get(0).message().endsWith("the API server refuses the object"), found.get(0).message());
  }
}

package dev.gitops.k8s.render;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads Kustomize's {@code config.kubernetes.io/origin} annotation, a small YAML mapping
 * ({@code path}, {@code repo}, {@code ref}, {@code configuredIn}, {@code configuredBy.kind}), into
 * flat fields.
 */
final class OriginAnnotation {
  private OriginAnnotation() {}

  static Map<String, String> parse(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String line : text.split("\n")) {
      String t = line.strip();
      int colon = t.indexOf(": ");
      if (colon <= 0) {
        continue;
      }
      String value = t.substring(colon + 2).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
          || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      fields.putIfAbsent(t.substring(0, colon), value);
    }
    return fields;
  }
}

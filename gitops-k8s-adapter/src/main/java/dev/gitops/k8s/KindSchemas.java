package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiled schemas by kind: the root {@link SchemaField} of each group, version and kind. Lookups
 * allocate nothing (kind, then a short scan of its groups and versions). Immutable; {@link #plus}
 * gives a new index. Not public API.
 */
final class KindSchemas {
  /**
   * One kind at one version; {@code schema} is a CRD version's {@code openAPIV3Schema} as written
   * (what the server validates by), null for a kind of an OpenAPI document.
   */
  record Entry(String group, String version, String kind, SchemaField root, JsonNode schema) {}

  /** No kinds. */
  public static final KindSchemas EMPTY = new KindSchemas(Map.of());

  private final Map<String, Entry[]> byKind;

  private KindSchemas(Map<String, Entry[]> byKind) {
    this.byKind = byKind;
  }

  /** This index and {@code more}; an entry of {@code more} replaces one of the same group, version, kind. */
  KindSchemas plus(List<Entry> more) {
    Map<String, Entry[]> out = new HashMap<>(byKind);
    for (Entry e : more) {
      List<Entry> list = new ArrayList<>();
      for (Entry old : out.getOrDefault(e.kind(), new Entry[0])) {
        if (!(old.group().equals(e.group()) && old.version().equals(e.version()))) {
          list.add(old);
        }
      }
      list.add(e);
      out.put(e.kind(), list.toArray(new Entry[0]));
    }
    return new KindSchemas(out);
  }

  /**
   * The root of {@code kind} in {@code group} at the version of {@code apiVersion} (as a manifest
   * writes it), or at {@code anyVersion} the first known version; null when unknown.
   */
  SchemaField find(String group, String kind, String apiVersion, boolean anyVersion) {
    Entry e = entry(group, kind, apiVersion, anyVersion);
    return e == null ? null : e.root();
  }

  /** The entry {@link #find} reads the root of, or null. */
  Entry entry(String group, String kind, String apiVersion, boolean anyVersion) {
    Entry[] entries = byKind.get(kind);
    if (entries == null) {
      return null;
    }
    for (Entry e : entries) {
      if (e.group().equals(group) && (anyVersion || versionOf(apiVersion, e))) {
        return e;
      }
    }
    return null;
  }

  /** True when {@code apiVersion} is {@code group/version} (or {@code version} for core) of {@code e}. */
  private static boolean versionOf(String apiVersion, Entry e) {
    if (apiVersion == null) {
      return false;
    }
    int g = e.group().length();
    if (g == 0) {
      return apiVersion.equals(e.version());
    }
    return apiVersion.length() == g + 1 + e.version().length() && apiVersion.startsWith(e.group())
        && apiVersion.charAt(g) == '/' && apiVersion.endsWith(e.version());
  }

  /** True when no kind is known. */
  boolean isEmpty() {
    return byKind.isEmpty();
  }

  /** Every kind version known, in no particular order. */
  List<Entry> entries() {
    return byKind.values().stream().flatMap(java.util.Arrays::stream).toList();
  }

  /** How many kind versions are known. */
  int size() {
    return byKind.values().stream().mapToInt(a -> a.length).sum();
  }

  /**
   * The kinds of an OpenAPI v3 document's {@code components.schemas} (every schema with an
   * {@code x-kubernetes-group-version-kind} and an {@code ObjectMeta} as its {@code metadata}),
   * compiled with one compiler.
   */
  static List<Entry> ofDocument(Map<String, JsonNode> schemas, boolean builtin) {
    SchemaCompiler compiler = new SchemaCompiler(schemas::get, builtin);
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> s : schemas.entrySet()) {
      if (!isObjectKind(s.getValue())) {
        continue;
      }
      for (JsonNode gvk : s.getValue().path("x-kubernetes-group-version-kind")) {
        out.add(new Entry(gvk.path("group").asText(""), gvk.path("version").asText(),
            gvk.path("kind").asText(), compiler.root(s.getKey()), null));
      }
    }
    return out;
  }

  /** A kind's schema: it has group-version-kinds and an {@code ObjectMeta} metadata. */
  static boolean isObjectKind(JsonNode schema) {
    String meta = SchemaCompiler.ref(schema.path("properties").path("metadata"));
    return schema.has("x-kubernetes-group-version-kind") && meta != null
        && meta.endsWith(".ObjectMeta");
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schemas one {@code KubernetesSchema} knows, in the order it asks them: documents of the live
 * server's OpenAPI, CustomResourceDefinitions learnt, the built-in table ({@link BuiltinSchemas});
 * each first at the version the manifest names, then at any version. Learning builds a new
 * immutable index (under a lock); lookups read the current ones without locking. Not public API.
 */
final class SchemaSources {
  private volatile KindSchemas live = KindSchemas.EMPTY;
  private volatile KindSchemas custom = KindSchemas.EMPTY;
  /** How many times these sources learnt a kind: a root remembered under a lower count may be stale. */
  private volatile int learnt;

  /** Sources that know the built-in table only. */
  public SchemaSources() {
  }

  /** A copy that learns apart from this one. */
  public synchronized SchemaSources copy() {
    SchemaSources copy = new SchemaSources();
    copy.live = live;
    copy.custom = custom;
    return copy;
  }

  /** The Kubernetes version of the built-in table. */
  public static String tableVersion() {
    return BuiltinSchemas.kubernetesVersion();
  }

  /**
   * The schema of one diff of {@code id}: its kind's root (at the desired {@code apiVersion}),
   * with what admission adds to a Pod and the allocator to a Service's families
   * ({@link ServiceFamilies}), projected sources a disabled gate emptied ({@link DisabledProjections}),
   * and with the fields other managers own according to the
   * {@code metadata.managedFields} the reader kept on {@code actual}; null when nothing is known.
   */
  public FieldSchema.Node root(ResourceId id, JsonNode actual, JsonNode desired) {
    JsonNode apiVersion = desired == null ? null : desired.get("apiVersion");
    if ((apiVersion == null || !apiVersion.isTextual()) && actual != null) {
      apiVersion = actual.get("apiVersion");
    }
    FieldSchema.Node node = find(id.group(), id.kind(),
        apiVersion != null && apiVersion.isTextual() ? apiVersion.textValue() : null);
    if (id.group().isEmpty() && "Pod".equals(id.kind())) {
      node = PodAdmission.pod(node, actual);
    } else if (id.group().isEmpty() && "Service".equals(id.kind())) {
      node = ServiceFamilies.of(node, actual, desired);
    }
    if (PodRules.podSpec(id.group(), id.kind()) != null) { // the server's own kinds with a pod spec: no other drops these
      node = DisabledProjections.of(node, actual);
    }
    JsonNode others = actual == null ? null : actual.path("metadata").get("managedFields");
    if (others instanceof ArrayNode entries && !entries.isEmpty()) {
      node = OwnedNode.of(node, entries);
    }
    return node;
  }

  /** The last kind found: a plan diffs objects in id order, so most lookups repeat the last one. */
  private volatile Found last;

  /** A kind found, with what it was asked by. */
  private record Found(String group, String kind, String apiVersion, SchemaField root) {}

  /** The root of a kind: live, custom, built-in at the version; then at any version; or null. */
  SchemaField find(String group, String kind, String apiVersion) {
    Found f = last;
    if (f != null && f.kind().equals(kind) && f.group().equals(group)
        && java.util.Objects.equals(f.apiVersion(), apiVersion)) {
      return f.root();
    }
    SchemaField root = lookup(group, kind, apiVersion);
    last = new Found(group, kind, apiVersion, root);
    return root;
  }

  private SchemaField lookup(String group, String kind, String apiVersion) {
    KindSchemas builtin = BuiltinSchemas.kinds();
    SchemaField f = live.find(group, kind, apiVersion, false);
    f = f != null ? f : custom.find(group, kind, apiVersion, false);
    f = f != null ? f : builtin.find(group, kind, apiVersion, false);
    f = f != null ? f : live.find(group, kind, apiVersion, true);
    f = f != null ? f : custom.find(group, kind, apiVersion, true);
    return f != null ? f : builtin.find(group, kind, apiVersion, true);
  }

  /**
   * The root of a custom kind learnt from a CRD ({@link #learnCrd}), at the version of
   * {@code apiVersion}, else at any (a null {@code apiVersion}: any); null when no CRD of the kind
   * was learnt. Lookups allocate nothing.
   */
  SchemaField custom(String group, String kind, String apiVersion) {
    KindSchemas c = custom;
    SchemaField f = apiVersion == null ? null : c.find(group, kind, apiVersion, false);
    return f != null ? f : c.find(group, kind, apiVersion, true);
  }

  /**
   * The CRD version that serves {@code apiVersion} of a custom kind learnt ({@link #learnCrd}), or
   * null: what the server validates and prunes such an object by. Exact: no other version stands in.
   */
  KindSchemas.Entry customEntry(String group, String kind, String apiVersion) {
    return custom.entry(group, kind, apiVersion, false);
  }

  /**
   * Learns a CustomResourceDefinition's schemas: one per version with an {@code openAPIV3Schema}.
   * Its objects are stored as JSON (zero values kept), except {@code metadata}, which the server
   * handles as the built-in {@code ObjectMeta}.
   */
  public synchronized void learnCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    String kind = spec.path("names").path("kind").asText("");
    if (group.isEmpty() || kind.isEmpty()) {
      return;
    }
    List<KindSchemas.Entry> entries = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      JsonNode schema = v.path("schema").get("openAPIV3Schema");
      String version = v.path("name").asText("");
      if (schema != null && schema.isObject() && !version.isEmpty()) {
        SchemaField root = new SchemaCompiler(name -> null, false).inlineRoot(schema);
        entries.add(new KindSchemas.Entry(group, version, kind, withObjectMeta(root), schema));
      }
    }
    if (!entries.isEmpty()) {
      custom = custom.plus(entries);
      last = null;
      learnt++;
    }
  }

  /** {@code root} with the built-in {@code ObjectMeta} as its {@code metadata}. */
  private static SchemaField withObjectMeta(SchemaField root) {
    SchemaField meta = BuiltinSchemas.objectMeta();
    if (meta == null) {
      return root;
    }
    SchemaType type = root.type();
    if (type.shape != SchemaType.Shape.STRUCT) {
      type = new SchemaType(SchemaType.Shape.STRUCT, SchemaType.Scalar.NONE);
      root = new SchemaField(type, SchemaField.Role.ROOT, false, false, false, null, null);
    }
    type.fields.put("metadata", meta);
    return root;
  }

  /**
   * Learns the kinds of one OpenAPI v3 document ({@code /openapi/v3/<group-version>}).
   *
   * @param builtin true for a built-in API group (Go types stored as protobuf)
   */
  public synchronized void learnDocument(JsonNode document, boolean builtin) {
    Map<String, JsonNode> schemas = new HashMap<>();
    document.path("components").path("schemas").properties()
        .forEach(e -> schemas.put(e.getKey(), e.getValue()));
    List<KindSchemas.Entry> entries = KindSchemas.ofDocument(schemas, builtin);
    if (!entries.isEmpty()) {
      live = live.plus(entries);
      last = null;
      learnt++;
    }
  }

  /** {@return how many times these sources learnt kinds (a CRD, a live document): a root found before may be stale} */
  int learnt() {
    return learnt;
  }

  /** True when a live document was learnt. */
  public boolean hasLive() {
    return !live.isEmpty();
  }

  @Override
  public String toString() {
    return "built-in table " + tableVersion() + ", " + live.size() + " live kind versions, "
        + custom.size() + " custom";
  }
}

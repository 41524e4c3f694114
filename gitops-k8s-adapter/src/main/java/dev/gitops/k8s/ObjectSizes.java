package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Whether each desired object, as a whole, fits what the cluster takes in one write, judged before
 * the first write: without this, an object too large is planned and fails at its wave's write,
 * after the earlier waves were written. The limits, from their sources:
 *
 * <ul>
 *   <li>The API server reads at most 3 MiB of a write's body ({@code MaxRequestBodyBytes} of
 *       k8s.io/apiserver's {@code server.NewConfig}; kube-apiserver has no flag for it) and answers
 *       413 beyond. Every server-side apply sends the object, a create under JSON Patch the object and
 *       its last-applied record: a refusal, measured as the body is written.
 *   <li>etcd refuses a request over its {@code --max-request-bytes} (1.5 MiB by default) with
 *       "etcdserver: request is too large", which the API server answers with a 500. The limit is
 *       the cluster's ({@link KubernetesTarget.Options#etcdMaxRequestBytes()}, 0 for no check), and
 *       what etcd gets is the stored object, in protobuf for a built-in kind and in JSON for a custom
 *       resource; so the check counts only what is certainly stored: a custom resource's JSON, a
 *       built-in object's text (bytes decoded), and what the write adds (the fields server-side apply
 *       records under {@code metadata.managedFields}, counted as their keys only; the last-applied
 *       record of JSON Patch). Anything over the limit is refused for certain.
 *   <li>Under JSON Patch the last-applied record is one annotation: with the others it must fit in
 *       256 KiB ({@link MetadataRules}), and alone in {@link AppliedRecord#MAX_BYTES}.
 * </ul>
 *
 * One walk of each object measures it, without writing it; the record is compressed only for an
 * object whose record could come near a limit. Messages give sizes, never values. Not public API.
 */
final class ObjectSizes {
  /** The API server's {@code MaxRequestBodyBytes}. */
  static final long REQUEST_BODY = 3L << 20;
  /** etcd's default {@code --max-request-bytes}. */
  static final long ETCD_DEFAULT = 3L << 19;
  private static final long ANNOTATIONS = 256L << 10;
  /** Levels walked; past them nothing more is counted (the loader refuses such an object before). */
  private static final int DEPTH = 1_000;

  private ObjectSizes() {}

  /**
   * The sizes of one object.
   *
   * @param json its bytes as compact JSON, as the client writes it
   * @param stored the bytes etcd certainly gets of it: its JSON for a custom resource, its text for a built-in kind
   * @param fields the bytes, at least, of the field set server-side apply records for it
   */
  record Size(long json, long stored, long fields) {}

  /** What the server or etcd would refuse of each object of {@code desired}, one problem each at most. */
  static List<Problem> problems(DesiredState desired, ActualState actual, FieldSchema schema, boolean serverSide,
                                long etcdLimit, Function<Resource, String> record) {
    List<Problem> problems = new ArrayList<>();
    for (Resource r : desired.resources()) {
      if (r.content() instanceof Content.Tree tree) {
        Size size = of(r.id(), tree.node(), schema == null ? null : schema.root(r.id(), null, tree.node(), null));
        String problem = problem(r, tree.node(), size, actual.get(r.id()) == null, serverSide, etcdLimit, record);
        if (problem != null) {
          problems.add(Problem.at(r.origin(), r.id(), problem));
        }
      }
    }
    return problems;
  }

  private static String problem(Resource r, JsonNode tree, Size size, boolean create, boolean serverSide,
                                long etcdLimit, Function<Resource, String> recorder) {
    long added = serverSide ? size.fields() : 0;
    if (!serverSide) {
      long annotations = annotations(tree);
      long bound = recordBound(size.json());
      if (annotations + bound > ANNOTATIONS || bound > AppliedRecord.MAX_BYTES || size.json() + bound > REQUEST_BODY
          || size.stored() + bound > etcdLimit && etcdLimit > 0) {
        String record = recorder.apply(r); // near a limit: the record itself
        long entry = record.length() + Labels.APPLIED.length();
        if (record.length() > AppliedRecord.MAX_BYTES) {
          return "its last-applied record takes " + record.length() + " bytes (compressed), more than the "
              + AppliedRecord.MAX_BYTES + " that JSON_PATCH records; use ApplyStrategy.SERVER_SIDE";
        }
        if (annotations + entry > ANNOTATIONS) {
          return "metadata.annotations: " + annotations + " bytes, and " + entry + " more with the last-applied"
              + " record of JSON_PATCH: the API server takes at most " + ANNOTATIONS + " (256 KiB) in all and refuses"
              + " the object; use ApplyStrategy.SERVER_SIDE, or keep large values out of annotations";
        }
        added = entry;
      }
    }
    long body = serverSide ? size.json() : size.json() + added;
    if ((serverSide || create) && body > REQUEST_BODY) {
      return body + " bytes of JSON" + (serverSide ? "" : " with its last-applied record") + " in a write's body:"
          + " the API server reads at most " + REQUEST_BODY + " (3 MiB) of one and answers 413; split the object,"
          + " or keep large data out of it";
    }
    long stored = size.stored() + added;
    if (etcdLimit > 0 && stored > etcdLimit) {
      return "at least " + stored + " bytes as the API server stores it (" + what(r.id(), serverSide) + "): more than"
          + " the " + etcdLimit + " etcd takes in one request" + (etcdLimit == ETCD_DEFAULT ? " by default" : "")
          + " (--max-request-bytes), so the write would fail with \"etcdserver: request is too large\"; split the"
          + " object, or raise KubernetesTarget.Options.withEtcdMaxRequestBytes when this cluster's etcd takes more";
    }
    return null;
  }

  private static String what(ResourceId id, boolean serverSide) {
    return (builtin(id) ? "its text, in protobuf" : "its JSON") + (serverSide
        ? ", and the fields server-side apply records" : ", and its last-applied record");
  }

  /** The largest {@code json} bytes gzipped and base64 can take: deflate's stored blocks at worst, a Secret's digests. */
  private static long recordBound(long json) {
    return (json + json / 1024 + 128) * 4 / 3 + 4;
  }

  /** The bytes of {@code tree}'s annotations, keys and values, as the server counts them. */
  private static long annotations(JsonNode tree) {
    long size = 0;
    for (Map.Entry<String, JsonNode> e : tree.path("metadata").path("annotations").properties()) {
      size += utf8(e.getKey()) + (e.getValue().isTextual() ? utf8(e.getValue().textValue()) : 0);
    }
    return size;
  }

  /**
   * The sizes of {@code tree}, the object {@code id}, in one walk; {@code root} (or null: unknown)
   * its schema, which says where server-side apply owns a value whole (a label selector) and
   * records no field inside.
   */
  static Size of(ResourceId id, JsonNode tree, FieldSchema.Node root) {
    Walk walk = new Walk();
    walk.node(tree, root, 0, true);
    long body = walk.json;
    if (tree.isObject()) { // server-side apply records neither apiVersion, kind, nor metadata's name and namespace
      walk.fields -= entries(tree, "apiVersion", "kind") + entries(tree.path("metadata"), "name", "namespace");
      if (tree.has("status")) { // sent, but the server keeps the status it has: not stored by this write
        Walk status = new Walk();
        status.node(tree.get("status"), null, 1, true);
        walk.json -= status.json + escaped("status") + 2;
        walk.text -= status.text;
        walk.fields -= status.fields + field("status");
      }
      for (String field : base64(id)) {
        for (Map.Entry<String, JsonNode> e : tree.path(field).properties()) {
          walk.text -= e.getValue().isTextual() ? utf8(e.getValue().textValue()) / 4 : 0; // stored decoded
        }
      }
    }
    return new Size(body, Math.max(0, builtin(id) ? walk.text : walk.json), Math.max(0, walk.fields));
  }

  private static long entries(JsonNode object, String... keys) {
    long n = 0;
    for (String key : keys) {
      n += object.has(key) ? field(key) : 0;
    }
    return n;
  }

  /** The fields of {@code id} whose text is base64 of bytes, stored decoded. */
  private static List<String> base64(ResourceId id) {
    if (!id.group().isEmpty()) {
      return List.of();
    }
    return id.kind().equals("Secret") ? List.of("data") : id.kind().equals("ConfigMap") ? List.of("binaryData") : List.of();
  }

  private static boolean builtin(ResourceId id) {
    return BuiltinKinds.find(id.group(), id.kind()).isPresent();
  }

  /** {@code "f:key":{}} of a field set. */
  private static long field(String key) {
    return escaped(key) + 5;
  }

  /** The running counts of one walk. */
  private static final class Walk {
    long json;
    long text;
    long fields;

    /** Counts {@code node}, of {@code schema} (or null); with {@code owned}, its fields are recorded one by one. */
    void node(JsonNode node, FieldSchema.Node schema, int depth, boolean owned) {
      if (depth > DEPTH) {
        return;
      }
      if (node.isObject()) {
        json += 1 + Math.max(1, node.size());
        boolean inside = owned && (schema == null || !schema.atomic());
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          json += escaped(e.getKey()) + 1;
          fields += inside ? field(e.getKey()) : 0;
          node(e.getValue(), schema == null ? null : schema.field(e.getKey()), depth + 1, inside);
        }
      } else if (node.isArray()) {
        json += 1 + Math.max(1, node.size());
        for (JsonNode item : node) {
          node(item, null, depth + 1, false); // an element's fields: under its key, if any (not counted)
        }
      } else if (node.isTextual()) {
        String s = node.textValue();
        json += escaped(s);
        text += utf8(s);
      } else {
        json += node.isNull() ? 4 : node.asText().length();
      }
    }
  }

  /**
   * {@code s} as a JSON string as Jackson writes it: quoted, UTF-8, control characters, quotes and
   * backslashes escaped, characters outside the BMP as two escapes.
   */
  static long escaped(String s) {
    long n = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
        n += 2;
      } else if (c < 0x20) {
        n += 6;
      } else if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isSurrogate(c)) {
        n += 6; // Jackson 2 escapes each half of a pair outside the BMP (an emoji: 12 bytes)
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static long utf8(String s) {
    boolean ascii = true;
    for (int i = 0; i < s.length() && ascii; i++) {
      ascii = s.charAt(i) < 0x80;
    }
    return ascii ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
  }
}

package dev.gitops.k8s;

import static dev.gitops.k8s.StandInAnswers.query;
import static dev.gitops.k8s.StandInAnswers.stale;
import static dev.gitops.k8s.StandInAnswers.status;
import static dev.gitops.k8s.StandInAnswers.userAgentManager;
import static dev.gitops.k8s.StandInRules.clusterScoped;
import static dev.gitops.k8s.StandInRules.forbiddenMember;
import static dev.gitops.k8s.StandInRules.podUpdate;
import static dev.gitops.k8s.StandInRules.unchanged;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The fabric8 CRUD mock made to answer writes as a real API server (1.30+) does, for the kinds the
 * tests use: server-side apply ({@code PATCH} with {@code application/apply-patch+yaml}, field
 * manager, {@code force}, {@code dryRun}, resourceVersion precondition, per-field conflicts, an
 * applied keyed list with two elements of one key refused as kubernetes/kubernetes#113482 shows), and
 * for every write defaults filled in ({@link ServerDefaults}), zero values dropped as the Go encoder
 * drops them ({@link GoEncoding}) and {@code managedFields} written ({@link ServerSideApply}, with
 * the tests' own {@link FieldSets} encoder). Creates and updates through POST, PUT and JSON Patch
 * record an Update by the request's field manager; a JSON Patch that sets {@code managedFields}
 * replaces them and records nothing, as a real server does. Storage, reads, lists, watches and deletes stay
 * the CRUD mock's. What it leaves out: validation, strategic merge patch, status subresource
 * ownership, admission beyond the Pod additions, a claim's default class and a test's own webhook ({@link #admitting}),
 * except a Pod update's tolerations, nodeSelector and affinity ({@link StandInRules#podUpdate}: 422),
 * a union's type that forbids a member (a Deployment's {@code Recreate} strategy with a {@code rollingUpdate}: 422, as a server answers),
 * a one-of group of a pod spec holding two alternatives ({@link UnionValidation}: 422),
 * and, for a Service's update through POST, PUT or JSON Patch, the strategy's wiping of what its new
 * type does not take and the validation of what remains ({@link ServiceStrategy}). The schemas it
 * merges with are {@link StandInSchemas}', the fields it drops {@link StandInDrops}', the checks
 * beside the fields {@link StandInRules}' and its failures' {@code Status} {@link StandInAnswers}'.
 */
final class ApiServerStandIn extends KubernetesCrudDispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final ServerDefaults defaults = new ServerDefaults(this::stored);
  private final StandInSchemas schemas = new StandInSchemas(super::handleGet);
  private final StandInDrops drops = new StandInDrops();
  private int clock;
  /** A mutating webhook: changes every object written, dry runs too; null for none. */
  private java.util.function.Consumer<ObjectNode> webhook;
  /** An admission plugin whose handler is for Create only: changes every object created, dry runs too; null for none. */
  private java.util.function.Consumer<ObjectNode> onCreate;
  /** The message every {@code dryRun=All} write is refused with (400); null when dry runs are answered. */
  private String dryRunRefusal;
  /** The {@code Content-Type} of each {@code dryRun=All} PATCH, in order. */
  private final List<String> dryRunPatchTypes = new java.util.ArrayList<>();

  /**
   * With a mutating admission webhook: {@code mutation} changes each object a create, update, JSON
   * Patch or apply (a dry run too) is about to store, after the defaults and before the no-op check,
   * as the API server calls webhooks; what it adds inside a value the request's manager owns whole
   * (an atomic list or map) stays that manager's in {@code managedFields}, as on a real server.
   */
  ApiServerStandIn admitting(java.util.function.Consumer<ObjectNode> mutation) {
    this.webhook = mutation;
    return this;
  }

  /**
   * With a mutating admission plugin whose handler is for Create only ({@code admission.NewHandler(admission.Create)},
   * as RuntimeClass's; or a strategy's {@code PrepareForCreate}): {@code mutation} changes each object a create (a dry
   * run too) is about to store, after the defaults, as {@link #admitting}'s webhook does on every write.
   */
  ApiServerStandIn admittingCreates(java.util.function.Consumer<ObjectNode> mutation) {
    this.onCreate = mutation;
    return this;
  }

  /**
   * Refusing every {@code dryRun=All} write (400), as the API server does when a webhook whose
   * {@code sideEffects} are {@code Unknown} or {@code Some} matches the request.
   */
  ApiServerStandIn refusingDryRuns() {
    return refusingDryRuns("admission webhook \"inject.example.com\" does not support dry run");
  }

  /**
   * Refusing every {@code dryRun=All} write (400) with {@code message}, as a validating webhook's
   * denial words it ({@code admission webhook "NAME" denied the request: REASON}); the reason is the
   * webhook's own text and may quote the object's values (a Secret's too).
   */
  ApiServerStandIn refusingDryRuns(String message) {
    this.dryRunRefusal = message;
    return this;
  }

  /**
   * Dropping {@code pointer} ({@code *} for every element of a list) from every {@code kind} written,
   * as a strategy's {@code PrepareForCreate}/{@code PrepareForUpdate} drops a field behind a feature
   * gate the cluster has off ({@code pkg/api/pod/util.go} {@code dropDisabledFields}): after the
   * field manager recorded it, so the writer's {@code managedFields} entry still owns it
   * ({@code generic/registry/store.go} {@code Update}: {@code objInfo.UpdatedObject}, then
   * {@code rest.BeforeUpdate}; {@code handlers/create.go}: the field manager, then {@code r.Create}).
   * The stand-in cannot prove which gates a cluster has; it plays one that has this one off.
   */
  ApiServerStandIn dropping(String kind, String pointer) {
    drops.add(kind, pointer);
    return this;
  }

  /** No longer dropping what {@link #dropping} named for {@code kind}: the feature gate turned on. */
  void storing(String kind) {
    drops.remove(kind);
  }

  /**
   * Decoding {@code pointer} away from every {@code kind} written by POST, PUT or JSON Patch, as a
   * server older than the field drops an unknown field of a built-in type under {@code fieldValidation=Warn}
   * (the default): before the field manager runs, so no entry owns it.
   */
  ApiServerStandIn decoderDropping(String kind, String pointer) {
    return dropping("decoded " + kind, pointer);
  }

  /** The {@code Content-Type} of each {@code dryRun=All} PATCH answered so far, in order. */
  synchronized List<String> dryRunPatchTypes() {
    return List.copyOf(dryRunPatchTypes);
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest request) {
    String full = request.getPath();
    int q = full.indexOf('?');
    String path = q < 0 ? full : full.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : full.substring(q + 1));
    String method = request.getMethod();
    if (dryRunRefusal != null && "All".equals(query.get("dryRun"))) {
      return status(400, "BadRequest", dryRunRefusal, null);
    }
    String type = String.valueOf(request.getHeader("Content-Type"));
    if (method.equals("PATCH") && "All".equals(query.get("dryRun"))) {
      dryRunPatchTypes.add(type.split(";")[0]);
    }
    if (!method.equals("GET") && path.startsWith("/apis/apiextensions.k8s.io/")) {
      schemas.clear();
    }
    boolean subresource = path.endsWith("/status") || path.endsWith("/scale");
    try {
      if (method.equals("PATCH") && type.startsWith("application/apply-patch")) {
        byte[] body = request.getBody().getBytes();
        boolean json = body.length > 0 && body[0] == '{'; // JSON is YAML, but a YAML parser is slow on big flow documents
        return apply(path, query, json ? JSON.readTree(body) : YAML.readTree(body));
      }
      String manager = query.getOrDefault("fieldManager", userAgentManager(request));
      if (!subresource && (method.equals("POST") || method.equals("PUT"))) {
        return write(path, query, (ObjectNode) JSON.readTree(request.getBody().getBytes()), manager,
            method.equals("POST"));
      }
      if (!subresource && method.equals("PATCH") && type.startsWith("application/json-patch")) {
        ObjectNode live = stored(path);
        if (live == null) {
          return status(404, "NotFound", "not found", null);
        }
        JsonNode patched = com.flipkart.zjsonpatch.JsonPatch.apply(JSON.readTree(request.getBody().getBytes()), live);
        String expected = patched.path("metadata").path("resourceVersion").asText();
        if (!expected.equals(live.path("metadata").path("resourceVersion").asText())) {
          return status(409, "Conflict", "the object has been modified", null);
        }
        if (!patched.path("metadata").path("managedFields").equals(live.path("metadata").path("managedFields"))) {
          return store(path, query, live, (ObjectNode) patched); // managedFields set by the request replace them
        }
        return write(path, query, (ObjectNode) patched, manager, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return super.dispatch(request);
  }

  private MockResponse apply(String path, Map<String, String> query, JsonNode body) throws IOException {
    String manager = query.get("fieldManager");
    if (manager == null || !(body instanceof ObjectNode applied)) {
      return status(400, "BadRequest", "PATCH with apply-patch needs a fieldManager and an object", null);
    }
    ObjectNode live = stored(path);
    String precondition = applied.path("metadata").path("resourceVersion").asText("");
    if (!precondition.isEmpty() && live == null) {
      return stale();
    }
    String kind = applied.path("kind").asText();
    String apiVersion = applied.path("apiVersion").asText();
    clusterScoped(path, applied);
    ApiSchema schema = schemas.schema(apiVersion, kind);
    String duplicate = FieldSets.duplicateKey(applied, schema);
    if (duplicate != null) { // kubernetes/kubernetes#113482: a create or an update takes it, an apply does not
      return status(500, "InternalError", "failed to create typed patch object (" + apiVersion + ", Kind=" + kind
          + "): " + duplicate, null);
    }
    ServerSideApply.Result r = ServerSideApply.apply(live, applied, manager,
        "true".equals(query.get("force")), schema);
    if (!r.conflicts().isEmpty()) {
      ArrayNode causes = JSON.createArrayNode();
      StringBuilder message = new StringBuilder("Apply failed with " + r.conflicts().size() + " conflict"
          + (r.conflicts().size() == 1 ? "" : "s") + ":");
      for (ServerSideApply.Conflict c : r.conflicts()) {
        String text = "conflict with " + c.printed(apiVersion);
        causes.addObject().put("reason", "FieldManagerConflict").put("message", text).put("field", c.field());
        message.append(' ').append(text).append(": ").append(c.field());
      }
      return status(409, "Conflict", message.toString(), causes);
    }
    // after the field manager, as a real server: store.go Update calls objInfo.UpdatedObject (the
    // patch and its conflicts) before it compares the object's resourceVersion with the stored one
    if (!precondition.isEmpty() && !precondition.equals(live.path("metadata").path("resourceVersion").asText())) {
      return stale();
    }
    ObjectNode object = admitted(server(kind, apiVersion, r.object(), live == null), live == null);
    object.with("metadata").set("managedFields", ServerSideApply.write(r.entries(), apiVersion, now()));
    return store(path, query, live, drops.apply(object));
  }

  /** A POST, PUT or JSON Patch: defaults, zero values dropped, an Update by {@code manager}. */
  private MockResponse write(String path, Map<String, String> query, ObjectNode body, String manager,
                             boolean create) {
    String kind = body.path("kind").asText();
    String apiVersion = body.path("apiVersion").asText();
    String name = body.path("metadata").path("name").asText();
    String objectPath = create ? path + "/" + name : path;
    ObjectNode live = create ? null : stored(path);
    clusterScoped(objectPath, body);
    ObjectNode object = drops.apply(ServerSideApply.stripped(body), "decoded ");
    if (body.has("status")) { // the CRUD mock has no status subresource for cluster-scoped kinds
      object.set("status", body.get("status"));
    }
    object = admitted(server(kind, apiVersion, object, create), create);
    if (live != null && kind.equals("Service") && apiVersion.equals("v1")) {
      ServiceStrategy.dropTypeDependentFields(live, object);
      String invalid = ServiceStrategy.invalid(object);
      if (invalid != null) {
        return status(422, "Invalid", "Service \"" + name + "\" is invalid: " + invalid, null);
      }
    }
    ApiSchema schema = schemas.schema(apiVersion, kind);
    List<ServerSideApply.Entry> entries = live == null // a create: everything is the creator's
        ? List.of(new ServerSideApply.Entry(manager, "Update", "", FieldSets.of(ServerSideApply.stripped(object), schema)))
        : ServerSideApply.update(live, object, manager, "", schema);
    object.with("metadata").set("managedFields", ServerSideApply.write(entries, apiVersion, now()));
    return store(objectPath, query, live, drops.apply(object));
  }

  /** {@code object} after the server's round trip: Go encoding and defaults for built-in kinds. */
  private ObjectNode server(String kind, String apiVersion, ObjectNode object, boolean create) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    if (StandInSchemas.builtin(group) && !group.equals("apiextensions.k8s.io")) {
      GoEncoding.encode(kind, object);
      defaults.apply(kind, object, create);
    } else if (group.equals("apiextensions.k8s.io") || group.equals("apiregistration.k8s.io")) {
      defaults.apply(kind, object, create); // CRDs: schemas kept as written, no Go encoding
    }
    return object;
  }

  /** {@code object} after the plugin on creates ({@code create}) and the mutating webhook, if any. */
  private ObjectNode admitted(ObjectNode object, boolean create) {
    if (create && onCreate != null) {
      onCreate.accept(object);
    }
    if (webhook != null) {
      webhook.accept(object);
    }
    return object;
  }

  private MockResponse store(String path, Map<String, String> query, ObjectNode live, ObjectNode object) {
    ObjectNode metadata = object.with("metadata");
    if (live != null) {
      metadata.set("resourceVersion", live.path("metadata").path("resourceVersion"));
      for (String f : List.of("uid", "creationTimestamp", "generation")) {
        if (live.path("metadata").has(f)) {
          metadata.set(f, live.path("metadata").get(f));
        }
      }
      if (live.has("status") && !object.has("status")) {
        object.set("status", live.get("status"));
      }
      if (unchanged(live, object)) {
        return new MockResponse().setResponseCode(200).setBody(FieldSets.write(live));
      }
    }
    String invalid = forbiddenMember(object);
    invalid = invalid != null ? invalid : UnionValidation.invalid(object);
    invalid = invalid != null || live == null ? invalid : podUpdate(live, object);
    if (invalid != null) {
      return status(422, "Invalid", object.path("kind").asText() + " \"" + metadata.path("name").asText()
          + "\" is invalid: " + invalid, null);
    }
    if ("All".equals(query.get("dryRun"))) {
      return new MockResponse().setResponseCode(live == null ? 201 : 200).setBody(FieldSets.write(object));
    }
    byte[] body = FieldSets.write(object).getBytes(StandardCharsets.UTF_8);
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    if (live == null) {
      String collection = path.substring(0, path.lastIndexOf('/'));
      return super.handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, collection, headers, new Buffer(body)));
    }
    return super.handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, path, headers, new Buffer(body)));
  }

  private String now() {
    int s = clock++;
    return String.format("2025-03-04T10:%02d:%02dZ", (s / 60) % 60, s % 60);
  }

  /** The stored object at {@code path}, or null. */
  ObjectNode stored(String path) {
    MockResponse r = super.handleGet(path);
    if (r.code() != 200 || r.getBody() == null) {
      return null;
    }
    try {
      return (ObjectNode) JSON.readTree(r.getBody().getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.StaleResourceException;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Performs create, update, adopt and delete steps against the cluster. */
final class ClusterWriter {
  /** How long a recreated object may take to go before it is created again. */
  static final Duration RECREATE_WAIT = Duration.ofMinutes(2);
  private final KubernetesClient client;
  private final KindResolver kinds;
  private final LiveCache cache;
  private final boolean jsonPatch;
  private final boolean force;
  private final boolean dryRun;
  private final DeletionPropagation propagation;
  private final java.util.Set<String> applied;
  private final KindInventory inventory;
  private final SchemaSources schemas;
  private final WatchCache watch;
  private final String base;
  private final ReadBack readBack;
  private final LeaseHolds holds;
  private final ObjectRequests requests;
  private final WriteBodies bodies;
  private final OwnershipPatches patches;
  private final JsonPatchUpdate patchUpdate;
  private final OneOfPatches oneOfs;
  private final ServerSideWrites applies;

  /**
   * A writer with the target's options; it teaches {@code schemas} the CRDs it applies, and tells
   * {@code watch} (or null) what it wrote (reads wait for it) and which kinds a 409 found stale
   * (their next read comes from the server). It finds out with {@code readBack} what a write whose
   * answer was lost did, and writes nothing for an owner whose lock it lost ({@code holds}).
   */
  public ClusterWriter(KubernetesClient client, KindResolver kinds, LiveCache cache, KubernetesTarget.Options options,
                       java.util.Set<String> appliedKinds, KindInventory inventory, SchemaSources schemas,
                       WatchCache watch, ReadBack readBack, LeaseHolds holds) {
    this.client = client;
    this.base = Urls.base(client);
    this.watch = watch;
    this.schemas = schemas;
    this.inventory = inventory;
    this.applied = appliedKinds;
    this.kinds = kinds;
    this.cache = cache;
    this.jsonPatch = options.strategy() == ApplyStrategy.JSON_PATCH;
    this.force = options.force();
    this.dryRun = options.dryRun();
    this.propagation = options.propagation();
    this.readBack = readBack;
    this.holds = holds;
    this.requests = new ObjectRequests(client);
    this.bodies = new WriteBodies(options.ignore(), schemas, cache, options.dryRun());
    this.patches = new OwnershipPatches(requests, cache, schemas, options.dryRun());
    this.patchUpdate = new JsonPatchUpdate(options.ignore(), bodies, schemas, options.force());
    this.oneOfs = new OneOfPatches(requests, cache, schemas, options.force(), options.dryRun());
    this.applies = new ServerSideWrites(requests, cache, bodies, patches, schemas, options.force(),
        options.dryRun());
  }

  /** The last-applied record a write of {@code desired} carries under JSON Patch. */
  String record(Resource desired) {
    return AppliedRecord.encode(bodies.stripped(desired), WriteBodies.secret(desired.id()), null);
  }

  /**
   * Performs one step; what there is to say about it, {@code ""} for nothing (a step whose answer
   * was lost says so, and what the object read back holds).
   */
  public String apply(Action action, String owner) {
    Labels.checkOwner(owner);
    String reserved = Bookkeeping.problem(action.id(), inventory.namespace());
    if (reserved != null) {
      throw new TargetException(action.id(), "refused to " + action.kind().word() + " it: it " + reserved
          + " (a plan edited by hand?)");
    }
    String lost = holds.lost(owner);
    if (lost != null) {
      throw new TargetException(action.id(), "not written: " + lost);
    }
    try {
      if (!dryRun && (action.kind() == Action.Kind.CREATE || action.kind() == Action.Kind.ADOPT)) {
        inventory.record(owner, KindInfo.key(action.id().group(), action.id().kind()));
      }
      if (action.kind() == Action.Kind.DELETE) {
        return delete(action.id(), action.expected(), owner);
      }
      switch (action.kind()) {
        case CREATE -> create(((Action.Create) action).desired(), owner);
        case UPDATE -> {
          Action.Update u = (Action.Update) action;
          if (!recreated(u, owner)) {
            update(u.desired(), owner, action.expected(), false);
          }
        }
        case ADOPT -> update(((Action.Adopt) action).desired(), owner, action.expected(), true);
        case DELETE, NOOP -> { }
        case RUN -> throw new TargetException(action.id(), "a Kubernetes target runs no handlers");
      }
      return "";
    } catch (KubernetesClientException e) {
      TargetException failure = Errors.ofWrite(String.valueOf(client.getMasterUrl()), action.id(), action.expected(),
          e, !jsonPatch);
      if (!dryRun && (ReadBack.unknown(e) || failure instanceof StaleResourceException)) {
        String settled = settle(action, owner, e);
        if (settled != null) {
          return settled;
        }
      }
      if (watch != null && (e.getCode() == 409 || e.getCode() == 404 || failure instanceof StaleResourceException)) {
        // never trust the cache now
        kinds.known(action.id().group(), action.id().kind())
            .ifPresent(info -> watch.suspect(info, null, Labels.OWNER));
      }
      throw failure;
    }
  }

  /**
   * After a write whose outcome is unknown, or a 409 or 404 that an earlier attempt's lost answer
   * may explain: what to report when the object read back holds what the step sent ({@link
   * ReadBack#settle}), with the cache and the watch told; null when a 409 or 404 stands.
   */
  private String settle(Action action, String owner, KubernetesClientException e) {
    ResourceId id = action.id();
    boolean delete = action.kind() == Action.Kind.DELETE;
    KindInfo info = delete ? kinds.resolve(id.group(), id.kind()).orElse(null) : info(ReadBack.desired(action));
    if (info == null) {
      return null;
    }
    ReadBack.Verdict verdict = readBack.settle(action, owner, info, !jsonPatch || delete ? null
        : AppliedRecord.encode(bodies.stripped(ReadBack.desired(action)), WriteBodies.secret(id), null), e);
    if (verdict == null) {
      return null;
    }
    if (delete) {
      gone(id, info, owner);
    } else {
      written(id, info, verdict.live(), action.kind() == Action.Kind.ADOPT ? null : owner);
    }
    return verdict.found();
  }

  private void create(Resource desired, String owner) {
    ResourceId id = desired.id();
    KindInfo info = info(desired);
    if (!jsonPatch) {
      written(id, info, applies.apply(id, info, desired, owner, "", dryRun, force), owner);
      return;
    }
    // One POST of our own JSON, the answer parsed straight into a tree: no fabric8 model between
    // (the typed create converted each object four times, which a fleet's cold start pays per object).
    // Named as the patches are: without it the server records the creator under the client's user
    // agent (handlers/create.go managerOrUserAgent), another manager owning every field created.
    String url = base + info.path(id.namespace()) + "?fieldManager=" + Labels.FIELD_MANAGER
        + (dryRun ? "&dryRun=All" : "");
    String created = client.raw(url, "POST", Json.write(bodies.writable(desired, owner)));
    written(id, info, created == null ? null : (ObjectNode) Json.parse(created), owner);
  }

  private void update(Resource desired, String owner, String expected, boolean adopt) {
    ResourceId id = desired.id();
    KindInfo info = info(desired);
    String waiters = adopt ? null : owner; // an adopted object leaves another owner's reads too
    if (!jsonPatch) {
      OwnershipPatches.Patched handed = adopt ? patches.handedOver(id, info, expected, readLive(id, info, expected))
          : patches.current(id, info, expected);
      String expect = handed.expected();
      ObjectNode cleared = clearForbiddenMember(id, info, desired, expect);
      if (cleared != null && dryRun) { // the server checked the switch; the apply would meet what it left
        written(id, info, cleared, waiters);
        return;
      }
      String at = cleared == null ? expect : "version:" + cleared.path("metadata").path("resourceVersion").asText();
      OneOfPatches.Resolved oneOf = oneOfs.before(id, info, bodies.stripped(desired), at, cleared);
      if (oneOf.dryRunAnswer() != null) { // as a cleared member's: the patch's answer stands for the write
        written(id, info, oneOf.dryRunAnswer(), waiters);
        return;
      }
      at = oneOf.expected();
      written(id, info, oneOfs.after(id, info, applies.update(id, info, desired, owner, at, handed, adopt),
          oneOf), waiters);
      return;
    }
    String version = expected.startsWith("version:") ? expected.substring("version:".length()) : null;
    ObjectNode live = version == null ? null : cache.at(id, version);
    if (live == null) {
      live = readLive(id, info, expected);
      if (version == null) {
        version = live.path("metadata").path("resourceVersion").asText();
      }
    }
    ArrayNode ops = patchUpdate.ops(desired, owner, live, version, adopt);
    written(id, info, requests.patch(id, info, JsonPatchUpdate.context(dryRun), Json.write(ops)), waiters);
  }

  /**
   * After a JSON Patch write whose {@code answer} keeps other than what it found the decoder dropped
   * ({@link DesiredChecks#written}): one JSON Patch of the {@link DecodedDrops#ANNOTATION} on the
   * version just written, so that a restarted target reads it there. When the object moved since, or
   * the patch fails, nothing is kept and the step stands as written (the next write tells again; a
   * restarted target writes the field once more meanwhile).
   */
  void keepDecoded(Resource desired, ObjectNode answer, DecodedDrops.Marker kept, String owner) {
    ResourceId id = desired.id();
    KindInfo info = info(desired);
    String pointer = "/metadata/annotations/" + Pointers.escape(DecodedDrops.ANNOTATION);
    ArrayNode ops = Json.MAPPER.createArrayNode();
    ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion")
        .put("value", answer.path("metadata").path("resourceVersion").asText());
    if (kept.value() == null) {
      ops.addObject().put("op", "remove").put("path", pointer);
    } else if (answer.path("metadata").get("annotations") instanceof ObjectNode) {
      ops.addObject().put("op", "add").put("path", pointer).put("value", kept.value());
    } else {
      ops.addObject().put("op", "add").put("path", "/metadata/annotations").putObject("value")
          .put(DecodedDrops.ANNOTATION, kept.value());
    }
    try {
      written(id, info, requests.patch(id, info, JsonPatchUpdate.context(false), Json.write(ops)), owner);
    } catch (KubernetesClientException e) {
      org.slf4j.LoggerFactory.getLogger(ClusterWriter.class).warn("{}: not kept in {}: {}", id,
          DecodedDrops.ANNOTATION, Errors.answer(e)); // fabric8's message repeats the server's words raw
    }
  }

  /**
   * Before a server-side apply: clears a member the desired strategy type forbids
   * ({@link StrategySwitch}) with one JSON Patch on the planned version. The object as written, or
   * null when there is nothing to clear (the common case: no request is sent).
   */
  private ObjectNode clearForbiddenMember(ResourceId id, KindInfo info, Resource desired, String expected) {
    if (!StrategySwitch.mayClear(id, desired)) {
      return null;
    }
    String version = expected.startsWith("version:") ? expected.substring("version:".length()) : null;
    ObjectNode live = version == null ? null : cache.at(id, version);
    live = live != null ? live : readLive(id, info, expected);
    String member = StrategySwitch.member(id, desired, live);
    if (member == null) {
      return null;
    }
    ArrayNode ops = StrategySwitch.clearing(id, desired, member,
        version != null ? version : live.path("metadata").path("resourceVersion").asText());
    return requests.patch(id, info, JsonPatchUpdate.context(dryRun), Json.write(ops));
  }

  /**
   * Deletes and creates again an object annotated {@value Labels#RECREATE}{@code : "true"} whose
   * update changes a field the server keeps as created; false, doing nothing, for any other update.
   * The delete carries the planned version; the create waits until the object is gone, at most
   * {@link #RECREATE_WAIT} (finalizers may hold it). A dry run only deletes, as a dry run.
   */
  private boolean recreated(Action.Update u, String owner) {
    ResourceId id = u.id();
    String kindKey = KindInfo.key(id.group(), id.kind());
    if (!ImmutableFields.recreates(u.desired()) || !ImmutableFields.touches(kindKey, u.diff())) {
      return false;
    }
    KindInfo info = info(u.desired());
    if (ImmutableFields.refused(kindKey, readLive(id, info, u.expected()), u.diff()).isEmpty()) {
      return false;
    }
    delete(id, u.expected(), owner);
    if (dryRun) {
      return true;
    }
    var op = client.genericKubernetesResources(KindResolver.context(info));
    try {
      (info.namespaced() ? op.inNamespace(id.namespace()) : op).withName(id.name())
          .waitUntilCondition(Objects::isNull, RECREATE_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new TargetException(id, "deleted to be created anew (" + Labels.RECREATE + "), but still there"
          + " after " + RECREATE_WAIT.toSeconds() + " s (finalizers?); the next run creates it once it is gone");
    }
    create(u.desired(), owner);
    return true;
  }

  private ObjectNode readLive(ResourceId id, KindInfo info, String expected) {
    ObjectNode live = requests.get(id, info);
    if (live == null) {
      throw new StaleResourceException(id, expected, "absent");
    }
    return live;
  }

  /**
   * What an update of {@code desired} at {@code version} would store, as the server answers the
   * request this writer sends, sent as a dry run (admission runs, nothing is persisted): under
   * server-side apply the apply (body, field manager, force); under JSON Patch the patch's ops
   * ({@link JsonPatchUpdate}), computed against the object at {@code version} (cached, else read).
   *
   * @throws KubernetesClientException when the server refuses it (a 403 for dry runs, a 409, a timeout)
   * @throws TargetException when the kind is not served, the object is gone, or the patch would take
   *     other managers' fields ({@link FieldConflictException})
   */
  ObjectNode dryRunUpdate(Resource desired, String owner, String version) {
    ResourceId id = desired.id();
    KindInfo info = info(desired);
    if (!jsonPatch) {
      return applies.apply(id, info, desired, owner, "version:" + version, true, force);
    }
    ObjectNode live = cache.at(id, version);
    live = live != null ? live : readLive(id, info, "version:" + version);
    ArrayNode ops = patchUpdate.ops(desired, owner, live, version, false);
    return requests.patch(id, info, JsonPatchUpdate.context(true), Json.write(ops));
  }

  /**
   * Deletes; what there is to say: {@code ""}, or that the object stays, terminating, held by
   * finalizers ({@link Terminating}). An object the plan saw terminating already is not sent
   * another DELETE; one whose planned copy has finalizers is read once after its delete, so that
   * reads wait for its terminating version, not for its absence.
   */
  private String delete(ResourceId id, String expected, String owner) {
    KindInfo info = kinds.resolve(id.group(), id.kind()).orElseThrow(
        () -> new TargetException(id, "kind " + id.kind() + " is not served by the cluster"));
    String version = expected.startsWith("version:") ? expected.substring("version:".length()) : null;
    ObjectNode planned = version == null ? null : cache.at(id, version);
    String terminating = Terminating.since(planned);
    if (terminating != null) {
      return "not deleted again: " + terminating;
    }
    if (id.group().isEmpty() && "Namespace".equals(id.kind())) {
      new NamespaceContents(client).guard(id);
    }
    var resource = requests.resource(id, info);
    if (dryRun) {
      resource.dryRun().withPropagationPolicy(propagation).delete();
    } else if (version != null && propagation == DeletionPropagation.BACKGROUND) {
      resource.lockResourceVersion(version).delete(); // preconditions.resourceVersion, background
    } else {
      resource.withPropagationPolicy(propagation).delete();
    }
    ObjectNode left = dryRun || !Terminating.lingers(planned) ? null : requests.get(id, info);
    if (left == null) {
      gone(id, info, owner);
      return "";
    }
    written(id, info, left, owner);
    return "deleted; " + java.util.Objects.requireNonNullElse(Terminating.since(left), "it is still there"
        + Terminating.held(left));
  }

  /** After a delete: the object is gone for the cache and the watch (its waiters read it gone). */
  private void gone(ResourceId id, KindInfo info, String owner) {
    cache.forget(id);
    if (watch != null && !dryRun) {
      watch.written(info, null, Labels.OWNER, owner, id.namespace(), id.name(), "");
    }
  }

  private KindInfo info(Resource desired) {
    ResourceId id = desired.id();
    String apiVersion = ((Content.Tree) desired.content()).node().path("apiVersion").asText();
    return kinds.resolve(apiVersion, id.group(), id.kind()).orElseThrow(
        () -> new TargetException(id, "kind " + apiVersion + "/" + id.kind()
            + " is not served by the cluster (is its CustomResourceDefinition installed?)", true, null));
  }

  /** After a write: {@code waiters} (an owner, or null for every owner) read it only once the watch has it. */
  private void written(ResourceId id, KindInfo info, ObjectNode result, String waiters) {
    if (result != null && !dryRun && watch != null) {
      watch.written(info, null, Labels.OWNER, waiters, id.namespace(), id.name(),
          result.path("metadata").path("resourceVersion").asText(), result);
    }
    applied.add(KindInfo.key(id.group(), id.kind()));
    if (result != null && !dryRun && "CustomResourceDefinition".equals(id.kind())
        && "apiextensions.k8s.io".equals(id.group())) {
      schemas.learnCrd(result.deepCopy());
    }
    if (result != null && !dryRun) {
      cache.written(id, result);
    }
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ActualState;
import dev.gitops.model.Observed;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a scope with one LIST per kind (or, with a {@link WatchCache}, from the cache) plus
 * adoption checks ({@link AdoptionCheck}); forgets a kind no owned object of which remains and that no desired id needs.
 */
final class ClusterReader {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterReader.class);
  /** Above this many unowned desired ids of one kind, one unfiltered LIST replaces their GETs. */
  static final int MAX_GETS_PER_KIND = 8;
  /** What an owned read of a kind the server does not serve (404) gives: no item, and no "none left". */
  private static final List<ObjectNode> NOT_SERVED = java.util.Collections.unmodifiableList(new ArrayList<>());

  private final KubernetesClient client;
  private final KindResolver kinds;
  private final LiveCache cache;
  private final Set<String> listed;
  private final KindInventory inventory;
  private final boolean serverSide;
  private final LiveOpenApi openApi;
  private final WatchCache watch;
  private final AdoptionCheck adoption;
  private final Set<String> extra = new TreeSet<>();
  /** What the previous read observed, by id: reused while the cache hands out the same tree. */
  private volatile Map<ResourceId, Seen> seen = new HashMap<>();
  private Map<ResourceId, Seen> nextSeen = new HashMap<>();
  /** Decoded last-applied records of the previous read, by their annotation text. */
  private volatile Map<String, JsonNode> records = new HashMap<>();
  private Map<String, JsonNode> nextRecords = new HashMap<>();
  /** The field sets {@code gitops} applied, of the previous read, by object and resource version. */
  private volatile Map<ResourceId, Owned> owned = new HashMap<>();
  private Map<ResourceId, Owned> nextOwned = new HashMap<>();

  /** The fields the server dropped that this reader found, for the target to warn of. */
  private final DropWarnings drops = new DropWarnings();

  /** A field set decoded from an object at one resource version. */
  private record Owned(String version, JsonNode fields) {}

  /** An observation and the tree it was made of. */
  private record Seen(ObjectNode live, Observed observed) {}

  /**
   * A reader; {@code extraKinds} ({@code group/Kind} or {@code Kind}) are listed on every read, and
   * so are the kinds in {@code seenKinds} (shared with the writer, which adds what it applies) and
   * the owner's kinds in {@code inventory}. With {@code serverSide} the record of what was applied
   * last is the field set the manager {@code gitops} owns by server-side apply
   * ({@code managedFields}), else the annotation {@value KubernetesTarget#APPLIED_ANNOTATION};
   * {@code openApi} (or null) learns the schemas of the built-in kinds a read meets; {@code watch}
   * (or null) serves owned objects from a watch-fed cache.
   */
  public ClusterReader(KubernetesClient client, KindResolver kinds, LiveCache cache,
                       List<String> extraKinds, Set<String> seenKinds, KindInventory inventory,
                       boolean serverSide, LiveOpenApi openApi, WatchCache watch) {
    this.client = client;
    this.watch = watch;
    this.adoption = new AdoptionCheck(watch, info -> java.util.Objects.requireNonNullElse(list(info, null),
        List.of()), this::get);
    this.serverSide = serverSide;
    this.openApi = openApi;
    this.inventory = inventory;
    this.listed = seenKinds;
    this.kinds = kinds;
    this.cache = cache;
    for (String k : extraKinds) {
      extra.add(k.contains("/") ? k : "/" + k);
    }
    listed.addAll(extra);
  }

  /** Everything {@code scope.owner()} owns plus {@code scope.ids()}. */
  public synchronized ActualState read(Scope scope) {
    try {
      return readAll(scope);
    } catch (KubernetesClientException e) {
      throw Errors.of(String.valueOf(client.getMasterUrl()), null, "cannot read the cluster", e);
    }
  }

  private ActualState readAll(Scope scope) {
    Set<String> keys = new TreeSet<>(listed);
    Set<String> needed = new TreeSet<>(extra);
    Set<String> desired = new TreeSet<>();
    scope.ids().forEach(id -> desired.add(KindInfo.key(id.group(), id.kind())));
    needed.addAll(desired);
    keys.addAll(needed);
    if (watch != null) { // their feeds sync together, the inventory's too, not one after another's
      watch.prepare(kinds.known(keys), Labels.OWNER, false, scope.owner());
    }
    Set<String> inventoried = inventory.read(scope.owner());
    keys.addAll(inventoried);
    inventory.wanted(scope.owner(), desired); // a first write records them all at once
    Map<ResourceId, Observed> found = new TreeMap<>();
    Map<String, KindInfo> infos = new LinkedHashMap<>();
    Set<String> unrecorded = new TreeSet<>();
    for (String key : keys) {
      int slash = key.indexOf('/');
      Optional<KindInfo> info;
      List<ObjectNode> items;
      try {
        info = kinds.resolve(key.substring(0, slash), key.substring(slash + 1));
        items = info.isEmpty() ? List.of() : owned(info.get(), scope.owner());
      } catch (KubernetesClientException e) {
        unavailable(key, needed.contains(key), e);
        continue; // listed and inventoried still: nothing of it is taken for gone
      }
      info.ifPresent(i -> infos.put(key, i));
      items.forEach(item -> add(found, item));
      if (items == NOT_SERVED) { // the server has no such resource now: never taken for "none left"
        kinds.forget(key.substring(0, slash), key.substring(slash + 1)); // its version may have changed
      } else if (!items.isEmpty()) {
        listed.add(key);
        if (!inventoried.contains(key)) {
          unrecorded.add(key);
        }
      } else if (!needed.contains(key)) { // no owned object of it remains, and none is wanted
        listed.remove(key);
        if (inventoried.contains(key)) {
          inventory.forget(scope.owner(), key, () -> info.isPresent() && noneOwned(info.get()));
        }
        if (watch != null && info.isPresent()) { // and its presence feed
          watch.release(info.get(), null, Labels.OWNER, scope.owner());
        }
      }
    }
    inventory.heal(scope.owner(), unrecorded);
    adoptionChecks(scope, found, infos);
    if (openApi != null) {
      openApi.load(infos.values());
    }
    records = nextRecords;
    nextRecords = new HashMap<>();
    owned = nextOwned;
    nextOwned = new HashMap<>();
    seen = nextSeen;
    nextSeen = new HashMap<>();
    return ActualState.of(found.values());
  }

  /**
   * A kind ({@code key}) whose discovery or LIST failed with a server error (an aggregated API
   * whose service is down answers 503: client-go's partial {@code ErrGroupDiscoveryFailed}): an
   * error naming its API group when the desired state or the options need the kind; else a
   * warning, and the read goes on without its objects, so none of them is pruned now, and the kind
   * stays listed and in the inventory until its group answers again. Other failures stand.
   */
  private void unavailable(String key, boolean needed, KubernetesClientException e) {
    if (e.getCode() < 500) {
      throw e;
    }
    String group = key.substring(0, key.indexOf('/'));
    String what = "kind " + key.substring(key.indexOf('/') + 1) + " of API group " + (group.isEmpty() ? "core" : group);
    if (needed) {
      throw Errors.of(String.valueOf(client.getMasterUrl()), null, "cannot read the cluster: " + what, e);
    }
    LOG.warn("cannot read {}, so its objects are neither read nor pruned until it answers: {}", what, Errors.answer(e));
  }

  /**
   * A token of what {@link #read} would report for {@code scope} now, without a request: the
   * owner's kind inventory (with the cache's stamp of it), the kinds read and, per kind, the watch
   * cache's stamp of the owner's objects. Empty without a watch cache, before the first read, when
   * a kind is not resolved yet, or when the cache would not serve one of them now (see
   * {@link WatchCache#stamp}). Equal tokens mean a read finds the same owned objects; a read that
   * finds every id of the scope among them sends no other request.
   */
  public synchronized Optional<String> token(Scope scope) {
    String inventoried = watch == null ? null : inventory.token(scope.owner());
    if (inventoried == null) {
      return Optional.empty();
    }
    Set<String> keys = new TreeSet<>(listed);
    keys.addAll(extra);
    keys.addAll(inventory.kinds(scope.owner()));
    scope.ids().forEach(id -> keys.add(KindInfo.key(id.group(), id.kind())));
    StringBuilder token = new StringBuilder(inventoried);
    for (String key : keys) {
      int slash = key.indexOf('/');
      Optional<KindInfo> info = kinds.known(key.substring(0, slash), key.substring(slash + 1));
      java.util.OptionalLong stamp = info.isEmpty() ? java.util.OptionalLong.empty()
          : watch.stamp(info.get(), null, Labels.OWNER, scope.owner());
      if (stamp.isEmpty()) {
        return Optional.empty();
      }
      token.append(' ').append(key).append('=').append(stamp.getAsLong());
    }
    return Optional.of(token.toString());
  }

  /** The owner's objects of a kind: from the watch cache, else one LIST; {@link #NOT_SERVED} when the LIST met 404. */
  private List<ObjectNode> owned(KindInfo info, String owner) {
    String selector = Labels.OWNER + "=" + owner;
    java.util.function.Supplier<List<ObjectNode>> lister = () -> {
      List<ObjectNode> items = list(info, selector);
      return items == null ? NOT_SERVED : items;
    };
    return watch == null ? lister.get() : watch.items(info, null, Labels.OWNER, owner, owner, lister);
  }

  /**
   * True when no object of {@code info} carries the ownership label, whoever owns it: from the
   * cache when it can vouch, else one LIST of at most one item.
   */
  private boolean noneOwned(KindInfo info) {
    java.util.OptionalInt held = watch == null ? java.util.OptionalInt.empty() : watch.held(info, Labels.OWNER);
    if (held.isPresent()) {
      return held.getAsInt() == 0;
    }
    String body = client.raw(Urls.base(client) + info.path(null) + "?limit=1&labelSelector="
        + URLEncoder.encode(Labels.OWNER, StandardCharsets.UTF_8));
    return body != null && Json.parse(body).path("items").isEmpty();
  }

  private void adoptionChecks(Scope scope, Map<ResourceId, Observed> found, Map<String, KindInfo> infos) {
    Map<String, List<ResourceId>> missing = new HashMap<>();
    for (ResourceId id : scope.ids()) {
      String key = KindInfo.key(id.group(), id.kind());
      if (!found.containsKey(id) && infos.containsKey(key)) {
        missing.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
      }
    }
    adoption.prepare(scope.owner(), kinds.known(missing.keySet())); // their presence feeds sync together too
    for (Map.Entry<String, List<ResourceId>> e : missing.entrySet()) {
      adoption.existing(scope.owner(), infos.get(e.getKey()), e.getValue()).forEach(n -> add(found, n));
    }
  }

  /**
   * One LIST request for {@code info} across namespaces, read straight into trees (no typed model
   * in between); {@code selector} may be null. Items get their kind and apiVersion, which a real
   * API server leaves out of list items. Null when the server answers 404: the kind is not served.
   */
  private List<ObjectNode> list(KindInfo info, String selector) {
    String path = info.path(null)
        + (selector == null ? "" : "?labelSelector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
    String body = client.raw(Urls.base(client) + path);
    if (body == null) {
      return null;
    }
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode item : Json.parse(body).path("items")) {
      if (item instanceof ObjectNode node) {
        node.put("apiVersion", info.apiVersion());
        node.put("kind", info.kind());
        out.add(node);
      }
    }
    return out;
  }

  /** GETs one object, or null when it does not exist (or its kind does not). */
  public ObjectNode get(ResourceId id) {
    try {
      Optional<KindInfo> info = kinds.resolve(id.group(), id.kind());
      return info.isEmpty() ? null : get(id, info.get());
    } catch (KubernetesClientException e) {
      throw Errors.of(String.valueOf(client.getMasterUrl()), id, "cannot read", e);
    }
  }

  private ObjectNode get(ResourceId id, KindInfo info) {
    var op = client.genericKubernetesResources(KindResolver.context(info));
    GenericKubernetesResource r = info.namespaced()
        ? op.inNamespace(id.namespace()).withName(id.name()).get()
        : op.withName(id.name()).get();
    return r == null ? null : Json.tree(client.getKubernetesSerialization(), r);
  }

  private void add(Map<ResourceId, Observed> found, ObjectNode node) {
    ResourceId id = LiveObservation.idOf(node, !node.path("metadata").path("namespace").asText("").isEmpty());
    cache.read(id, node);
    Seen before = seen.get(id);
    Observed observed;
    if (before != null && before.live() == node) { // the cache's tree of the same version
      observed = before.observed();
      Owned fields = owned.get(id);
      if (fields != null) {
        nextOwned.put(id, fields);
      }
      String record = serverSide ? null : LiveObservation.record(node);
      if (record != null && records.containsKey(record)) {
        nextRecords.put(record, records.get(record));
      }
    } else {
      observed = LiveObservation.observe(id, node,
          serverSide ? live -> applied(id, live) : live -> AppliedRecord.lastApplied(live, this::decode), serverSide,
          drops::found);
    }
    nextSeen.put(id, new Seen(node, observed));
    found.put(id, observed);
  }

  /** The fields {@code gitops} wrote that the server dropped, as this reader finds them ({@link ServerDrops}). */
  DropWarnings drops() {
    return drops;
  }

  /** The field set {@code gitops} owns by server-side apply, decoded once per resource version. */
  private JsonNode applied(ResourceId id, ObjectNode live) {
    String version = live.path("metadata").path("resourceVersion").asText("");
    Owned last = owned.get(id);
    JsonNode fields = last != null && last.version().equals(version) && !version.isEmpty()
        ? last.fields() : LiveObservation.ownedFields(live, true);
    if (fields != null) {
      nextOwned.put(id, new Owned(version, fields));
    }
    return fields;
  }

  private JsonNode decode(String record) {
    if (record == null) {
      return null;
    }
    JsonNode last = records.get(record);
    if (last == null) {
      last = cache.records().decode(record);
    }
    if (last != null) {
      nextRecords.put(record, last);
    }
    return last;
  }

}

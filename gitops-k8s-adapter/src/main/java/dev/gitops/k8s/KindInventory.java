package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kinds an owner has objects of, kept in a ConfigMap ({@code gitops-kinds-<owner>}, labelled
 * {@value #LABEL}, not with the owner label, so it is never a pruning candidate), so that a
 * restarted agent still LISTs — and can prune — kinds that have left the desired state. One GET per
 * read (none with a {@link WatchCache}: the ConfigMap is watched); one write when a kind is applied
 * for the first time, one when no owned object of it remains ({@link #forget}). That first write
 * records every kind the owner's desired state holds ({@link #wanted}), so a cold apply of many
 * kinds writes the inventory once, not once per kind; a kind recorded early is at worst listed and
 * then forgotten, never missing. Every write carries the version read, so that writers of one
 * owner that overlap (a run killed in the middle, or cut off from the cluster while its successor
 * took over) merge: a kind recorded by one is never dropped by the other's record, and a forget
 * that meets a moved inventory is left to the next read. A dry-run inventory writes nothing.
 * Thread-safe.
 */
final class KindInventory {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KindInventory.class);
  /** Label naming the owner whose kinds a ConfigMap lists. */
  public static final String LABEL = "gitops.dev/kinds-of";
  /** The prefix of an inventory's name, {@code gitops-kinds-<owner>}. */
  static final String NAME_PREFIX = "gitops-kinds-";
  private static final String KEY = "kinds";

  private final KubernetesClient client;
  private final String namespace;
  private static final KindInfo CONFIG_MAP = BuiltinKinds.find("", "ConfigMap").orElseThrow();
  /** How often a write is tried again over the inventory another writer moved meanwhile. */
  private static final int ATTEMPTS = 5;
  private final Map<String, Known> known = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> wanted = new ConcurrentHashMap<>();
  private final WatchCache watch;
  private final boolean dryRun;

  /** The kinds an owner's inventory held when read or written last, at {@code version} ("" when it was absent). */
  private record Known(Set<String> kinds, String version) {}

  /** An inventory in {@code namespace}, read through {@code watch} (or null); {@code dryRun} writes nothing. */
  public KindInventory(KubernetesClient client, String namespace, WatchCache watch, boolean dryRun) {
    this.client = client;
    this.namespace = namespace;
    this.watch = watch;
    this.dryRun = dryRun;
  }

  /** The kinds recorded for {@code owner} ({@code group/Kind} keys); one GET, none from the cache. */
  public Set<String> read(String owner) {
    java.util.List<ObjectNode> found = watch == null ? get(owner)
        : watch.items(CONFIG_MAP, namespace, LABEL, owner, "inventory:" + owner, () -> get(owner));
    return remember(owner, found).kinds();
  }

  /** Keeps what {@code found} (none or the owner's ConfigMap) holds as what is known of {@code owner}. */
  private Known remember(String owner, java.util.List<ObjectNode> found) {
    Set<String> kinds = new TreeSet<>();
    String version = "";
    for (ObjectNode cm : found) {
      if (cm.path("metadata").path("name").asText().equals(name(owner))) {
        Arrays.stream(cm.path("data").path(KEY).asText("").split("\n"))
            .filter(s -> !s.isBlank()).forEach(kinds::add);
        version = cm.path("metadata").path("resourceVersion").asText("");
      }
    }
    Known now = new Known(java.util.Collections.unmodifiableSet(kinds), version);
    known.put(owner, now);
    return now;
  }

  /**
   * The kinds {@link #read} last found for {@code owner}, while the watch cache vouches that its
   * ConfigMap did not change since: {@code <stamp>:<kinds>}; null without a cache, before a read,
   * or when the cache cannot vouch.
   */
  public String token(String owner) {
    Known kinds = known.get(owner);
    OptionalLong stamp = watch == null ? OptionalLong.empty()
        : watch.stamp(CONFIG_MAP, namespace, LABEL, owner);
    return kinds == null || stamp.isEmpty() ? null : stamp.getAsLong() + ":" + kinds.kinds();
  }

  /** The kinds {@link #read} last found for {@code owner} (and recorded since); empty before a read. */
  public Set<String> kinds(String owner) {
    Known kinds = known.get(owner);
    return kinds == null ? Set.of() : kinds.kinds();
  }

  /**
   * The kinds ({@code group/Kind} keys) {@code owner}'s desired state holds, as its last read was
   * asked for them; nothing is written now: the next {@link #record} of a new kind records these
   * too, in the same write.
   */
  public void wanted(String owner, Set<String> kinds) {
    wanted.put(owner, Set.copyOf(kinds));
  }

  /**
   * Records {@code kind} for {@code owner} unless already recorded, with the kinds the owner
   * {@linkplain #wanted wants} that are not recorded yet; writes only when {@code kind} is new.
   */
  public void record(String owner, String kind) {
    Set<String> kinds = new TreeSet<>(wanted.getOrDefault(owner, Set.of()));
    kinds.add(kind);
    add(owner, Set.of(kind), kinds);
  }

  /**
   * Records {@code kinds} for {@code owner} (kinds a read found owned objects of) unless all are
   * recorded: an inventory deleted or edited by hand, or written by a version that did not record
   * them, heals before those kinds leave Git, so their objects are still pruned then. A dry run
   * writes nothing; a write refused (credentials that may only read, for a preview) is left to the
   * next read and never fails this one.
   */
  public void heal(String owner, Set<String> kinds) {
    if (dryRun || kinds.isEmpty()) {
      return;
    }
    try {
      add(owner, kinds, kinds);
    } catch (KubernetesClientException | TargetException e) {
      LOG.debug("kind inventory of {}: {} not recorded now: {}", owner, kinds, Errors.cause(e));
    }
  }

  /** Adds {@code kinds} to {@code owner}'s inventory unless it holds every one of {@code unless}. */
  private synchronized void add(String owner, Set<String> unless, Set<String> kinds) {
    Known current = known.get(owner);
    if (current == null) {
      read(owner);
      current = known.get(owner);
    }
    if (!current.kinds().containsAll(unless)) {
      write(owner, current, all -> all.addAll(kinds), true);
    }
  }

  /** The ConfigMap, as a list of none or one tree. */
  private java.util.List<ObjectNode> get(String owner) {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name(owner)).get();
    if (cm == null) {
      return java.util.List.of();
    }
    ObjectNode tree = Json.tree(client.getKubernetesSerialization(), cm);
    return java.util.List.of(tree);
  }

  /**
   * Drops {@code kind} for {@code owner}: no owned object of it remains. One write, if recorded;
   * none when the inventory moved since it was read (another writer may have recorded the kind
   * again: the next read decides).
   */
  public synchronized void forget(String owner, String kind) {
    Known current = known.get(owner);
    if (dryRun || current == null || !current.kinds().contains(kind)) {
      return;
    }
    write(owner, current, all -> all.remove(kind), false);
  }

  /**
   * Writes {@code change} of what is known: a create when the ConfigMap was absent, else one JSON
   * Patch carrying the version read, which the server refuses (409) when another writer moved it
   * since. Then, when {@code merge}, the change is made again over what the server holds now, so a
   * kind another writer recorded meanwhile is never dropped; else (a forget) nothing is written.
   */
  private void write(String owner, Known current, java.util.function.Consumer<Set<String>> change, boolean merge) {
    for (int attempt = 1; ; attempt++) {
      Set<String> kinds = new TreeSet<>(current.kinds());
      change.accept(kinds);
      String list = String.join("\n", kinds) + (kinds.isEmpty() ? "" : "\n");
      String version;
      try {
        version = current.version().isEmpty() ? created(Json.write(configMap(owner, list)))
            : versionOf(client.configMaps().inNamespace(namespace).resource(stub(owner)) // no GET first
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\","
                    + "\"value\":" + text(current.version()) + "},{\"op\":\"add\",\"path\":\"/data\",\"value\":{\""
                    + KEY + "\":" + text(list) + "}}]"));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          throw e;
        }
        version = null; // moved or deleted since it was read
      }
      if (version != null) {
        known.put(owner, new Known(java.util.Collections.unmodifiableSet(kinds), version));
        if (watch != null) {
          watch.written(CONFIG_MAP, namespace, LABEL, owner, namespace, name(owner), version);
        }
        return;
      }
      current = remember(owner, get(owner)); // from the server, never the cache: it may lag
      if (!merge) {
        return;
      }
      if (attempt == ATTEMPTS) {
        throw new TargetException(null, "cannot record kinds in " + namespace + "/" + name(owner)
            + ": another writer changed it " + ATTEMPTS + " times in a row; try again", true, null);
      }
    }
  }

  /** A ConfigMap that only names the owner's inventory. */
  private ConfigMap stub(String owner) {
    return new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName(name(owner))
        .withNamespace(namespace).endMetadata().build();
  }

  private static String text(String value) {
    return Json.write(Json.MAPPER.getNodeFactory().textNode(value));
  }

  private static String versionOf(ConfigMap written) {
    return written == null ? null : written.getMetadata().getResourceVersion();
  }

  /**
   * Creates the ConfigMap ({@code body}) with one POST, as the writer creates objects (no typed
   * model: each reconciler's first apply pays it, and a fleet's cold start pays it per reconciler);
   * the new resource version, or null when the ConfigMap exists already (someone created it since it
   * was read): then the caller merges into it.
   */
  private String created(String body) {
    try {
      String answer = client.raw(Urls.base(client) + CONFIG_MAP.path(namespace), "POST", body);
      return answer == null ? null : Json.parse(answer).path("metadata").path("resourceVersion").asText(null);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return null;
      }
      throw e;
    }
  }

  /** {@return the namespace the inventories live in} */
  String namespace() {
    return namespace;
  }

  /** The owner's inventory ConfigMap, as a tree: what is created, or replaces one made meanwhile. */
  private ObjectNode configMap(String owner, String list) {
    ObjectNode cm = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    ObjectNode metadata = cm.putObject("metadata").put("name", name(owner)).put("namespace", namespace);
    metadata.putObject("labels").put(LABEL, owner).put("app.kubernetes.io/managed-by", "gitops");
    cm.putObject("data").put(KEY, list);
    return cm;
  }

  private static String name(String owner) {
    return NAME_PREFIX + owner.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
  }
}

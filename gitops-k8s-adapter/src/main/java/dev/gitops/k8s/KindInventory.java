package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
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
 * then forgotten, never missing. A dry-run inventory writes nothing. Thread-safe.
 */
final class KindInventory {
  /** Label naming the owner whose kinds a ConfigMap lists. */
  public static final String LABEL = "gitops.dev/kinds-of";
  /** The prefix of an inventory's name, {@code gitops-kinds-<owner>}. */
  static final String NAME_PREFIX = "gitops-kinds-";
  private static final String KEY = "kinds";

  private final KubernetesClient client;
  private final String namespace;
  private static final KindInfo CONFIG_MAP = BuiltinKinds.find("", "ConfigMap").orElseThrow();
  private final Map<String, Set<String>> known = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> wanted = new ConcurrentHashMap<>();
  private final WatchCache watch;
  private final boolean dryRun;

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
    Set<String> kinds = new TreeSet<>();
    for (ObjectNode cm : found) {
      if (cm.path("metadata").path("name").asText().equals(name(owner))) {
        Arrays.stream(cm.path("data").path(KEY).asText("").split("\n"))
            .filter(s -> !s.isBlank()).forEach(kinds::add);
      }
    }
    Set<String> now = ConcurrentHashMap.newKeySet();
    now.addAll(kinds);
    known.put(owner, now);
    return kinds;
  }

  /**
   * The kinds {@link #read} last found for {@code owner}, while the watch cache vouches that its
   * ConfigMap did not change since: {@code <stamp>:<kinds>}; null without a cache, before a read,
   * or when the cache cannot vouch.
   */
  public String token(String owner) {
    Set<String> kinds = known.get(owner);
    OptionalLong stamp = watch == null ? OptionalLong.empty()
        : watch.stamp(CONFIG_MAP, namespace, LABEL, owner);
    return kinds == null || stamp.isEmpty() ? null : stamp.getAsLong() + ":" + new TreeSet<>(kinds);
  }

  /** The kinds {@link #read} last found for {@code owner} (and recorded since); empty before a read. */
  public Set<String> kinds(String owner) {
    Set<String> kinds = known.get(owner);
    return kinds == null ? Set.of() : new TreeSet<>(kinds);
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
  public synchronized void record(String owner, String kind) {
    Set<String> current = known.get(owner);
    if (current == null) {
      read(owner);
      current = known.get(owner);
    }
    if (current.contains(kind)) {
      return;
    }
    Set<String> kinds = new TreeSet<>(current);
    kinds.add(kind);
    kinds.addAll(wanted.getOrDefault(owner, Set.of()));
    write(owner, kinds, current.isEmpty());
    current.addAll(kinds);
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

  /** Drops {@code kind} for {@code owner}: no owned object of it remains. One write, if recorded. */
  public synchronized void forget(String owner, String kind) {
    Set<String> current = known.get(owner);
    if (dryRun || current == null || !current.remove(kind)) {
      return;
    }
    write(owner, new TreeSet<>(current), false);
  }

  private void write(String owner, Set<String> kinds, boolean create) {
    String list = String.join("\n", kinds) + (kinds.isEmpty() ? "" : "\n");
    var configMaps = client.configMaps().inNamespace(namespace);
    String version;
    if (create) {
      String body = Json.write(configMap(owner, list));
      version = created(body);
      if (version == null) { // made since it was read: replaced by the same ConfigMap
        ConfigMap same = client.getKubernetesSerialization().unmarshal(body, ConfigMap.class);
        version = versionOf(configMaps.resource(same).createOr(NonDeletingOperation::update));
      }
    } else { // one JSON Patch request by name; "add" replaces the member
      version = versionOf(configMaps.withName(name(owner)).patch(PatchContext.of(PatchType.JSON),
          "[{\"op\":\"add\",\"path\":\"/data/" + KEY + "\",\"value\":"
              + Json.write(Json.MAPPER.getNodeFactory().textNode(list)) + "}]"));
    }
    if (watch != null && version != null) {
      watch.written(CONFIG_MAP, namespace, LABEL, owner, namespace, name(owner), version);
    }
  }

  private static String versionOf(ConfigMap written) {
    return written == null ? null : written.getMetadata().getResourceVersion();
  }

  /**
   * Creates the ConfigMap ({@code body}) with one POST, as the writer creates objects (no typed
   * model: each reconciler's first apply pays it, and a fleet's cold start pays it per reconciler);
   * the new resource version, or null when the ConfigMap exists already (someone created it since it
   * was read): then the caller replaces it.
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

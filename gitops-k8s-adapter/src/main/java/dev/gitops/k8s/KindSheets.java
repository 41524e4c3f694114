package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The ConfigMaps that kind inventories live in, in one namespace: each lists kinds ({@code
 * group/Kind} keys, one per line, under {@code data.kinds}) and is found by its label {@value
 * KindInventory#LABEL}: an owner's own ({@code gitops-kinds-<owner>}, labelled with the owner), or
 * the one the targets of a {@link ClusterCache} share ({@value #SHARED}, labelled with the empty
 * value, which no owner can be). Reads come from the watch cache when there is one, else one GET;
 * every write carries the version read. Stateless; thread-safe.
 */
final class KindSheets {
  /** The name of the inventory shared by the targets of a cache: not an owner's name, ever. */
  static final String SHARED = "gitops-kinds";
  /** The label value of {@link #SHARED}: empty, which no owner can be ({@link Labels#checkOwner}). */
  static final String SHARED_VALUE = "";
  private static final KindInfo CONFIG_MAP = BuiltinKinds.find("", "ConfigMap").orElseThrow();
  private static final String KEY = "kinds";
  /** How often a write is tried again over the inventory another writer moved meanwhile. */
  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;
  private final String namespace;
  private final WatchCache watch;

  /** The kinds an inventory held when read or written last, at {@code version} ("" when it was absent). */
  record Known(Set<String> kinds, String version) {
    static final Known NONE = new Known(Set.of(), "");
  }

  KindSheets(KubernetesClient client, String namespace, WatchCache watch) {
    this.client = client;
    this.namespace = namespace;
    this.watch = watch;
  }

  /** {@return the namespace the inventories live in} */
  String namespace() {
    return namespace;
  }

  /** The inventory labelled {@code value}: from the cache, else one GET. */
  Known read(String value) {
    return watch == null ? get(value)
        : known(value, watch.items(CONFIG_MAP, namespace, KindInventory.LABEL, value, "inventory:" + value,
            () -> fetch(value)));
  }

  /** The inventory labelled {@code value}, from the server (never the cache: it may lag). */
  Known get(String value) {
    return known(value, fetch(value));
  }

  /** The cache's stamp of the inventory labelled {@code value}; empty without a cache or when it cannot vouch. */
  OptionalLong stamp(String value) {
    return watch == null ? OptionalLong.empty() : watch.stamp(CONFIG_MAP, namespace, KindInventory.LABEL, value);
  }

  /** What {@code found} (none or the inventory's ConfigMap, among others) holds of the one labelled {@code value}. */
  private static Known known(String value, List<ObjectNode> found) {
    Set<String> kinds = new TreeSet<>();
    String version = "";
    for (ObjectNode cm : found) {
      if (cm.path("metadata").path("name").asText().equals(name(value))) {
        Arrays.stream(cm.path("data").path(KEY).asText("").split("\n"))
            .filter(s -> !s.isBlank()).forEach(kinds::add);
        version = cm.path("metadata").path("resourceVersion").asText("");
      }
    }
    return new Known(Collections.unmodifiableSet(kinds), version);
  }

  /** The ConfigMap, as a list of none or one tree. */
  private List<ObjectNode> fetch(String value) {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name(value)).get();
    return cm == null ? List.of() : List.of(Json.tree(client.getKubernetesSerialization(), cm));
  }

  /**
   * Writes {@code change} of {@code current} to the inventory labelled {@code value}: a create when
   * it was absent, else one JSON Patch carrying the version read, which the server refuses (409) when
   * another writer moved it since. Then, when {@code merge}, the change is made again over what the
   * server holds now, so a kind another writer recorded meanwhile is never dropped; else (a removal)
   * nothing is written. {@return what is known after: the written inventory, or (no merge) the one
   * read again}
   */
  Known write(String value, Known current, Consumer<Set<String>> change, boolean merge) {
    for (int attempt = 1; ; attempt++) {
      Set<String> kinds = new TreeSet<>(current.kinds());
      change.accept(kinds);
      String list = String.join("\n", kinds) + (kinds.isEmpty() ? "" : "\n");
      String version;
      try {
        version = current.version().isEmpty() ? created(Json.write(configMap(value, list)))
            : versionOf(client.configMaps().inNamespace(namespace).resource(stub(value)) // no GET first
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
        if (watch != null) {
          watch.written(CONFIG_MAP, namespace, KindInventory.LABEL, value, namespace, name(value), version);
        }
        return new Known(Collections.unmodifiableSet(kinds), version);
      }
      current = get(value);
      if (!merge) {
        return current;
      }
      if (attempt == ATTEMPTS) {
        throw new TargetException(null, "cannot record kinds in " + namespace + "/" + name(value)
            + ": another writer changed it " + ATTEMPTS + " times in a row; try again", true, null);
      }
    }
  }

  /** A ConfigMap that only names the inventory. */
  private ConfigMap stub(String value) {
    return new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName(name(value))
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
   * model); the new resource version, or null when the ConfigMap exists already (someone created it
   * since it was read): then the caller merges into it.
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

  /** The inventory's ConfigMap, as a tree: what is created, or replaces one made meanwhile. */
  private ObjectNode configMap(String value, String list) {
    ObjectNode cm = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    ObjectNode metadata = cm.putObject("metadata").put("name", name(value)).put("namespace", namespace);
    metadata.putObject("labels").put(KindInventory.LABEL, value).put("app.kubernetes.io/managed-by", "gitops");
    cm.putObject("data").put(KEY, list);
    return cm;
  }

  /** The name of the inventory labelled {@code value}: {@value #SHARED}, or {@code gitops-kinds-<owner>}. */
  static String name(String value) {
    return value.equals(SHARED_VALUE) ? SHARED
        : KindInventory.NAME_PREFIX + value.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
  }
}

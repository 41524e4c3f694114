package dev.gitops.k8s.internal;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kinds an owner has objects of, kept in a ConfigMap ({@code gitops-kinds-<owner>}, labelled
 * {@value #LABEL}, not with the owner label, so it is never a pruning candidate), so that a
 * restarted agent still LISTs — and can prune — kinds that have left the desired state. One GET per
 * read; one write only when a kind is applied for the first time. Thread-safe.
 */
public final class KindInventory {
  /** Label naming the owner whose kinds a ConfigMap lists. */
  public static final String LABEL = "gitops.dev/kinds-of";
  private static final String KEY = "kinds";

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, Set<String>> known = new ConcurrentHashMap<>();

  /** An inventory in {@code namespace}. */
  public KindInventory(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** The kinds recorded for {@code owner} ({@code group/Kind} keys); one GET. */
  public Set<String> read(String owner) {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name(owner)).get();
    Set<String> kinds = new TreeSet<>();
    if (cm != null && cm.getData() != null && cm.getData().get(KEY) != null) {
      Arrays.stream(cm.getData().get(KEY).split("\n")).filter(s -> !s.isBlank()).forEach(kinds::add);
    }
    known.put(owner, ConcurrentHashMap.newKeySet());
    known.get(owner).addAll(kinds);
    return kinds;
  }

  /** Records {@code kind} for {@code owner} unless already recorded; writes only when new. */
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
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(name(owner))
        .withNamespace(namespace).addToLabels(LABEL, owner)
        .addToLabels("app.kubernetes.io/managed-by", "gitops").endMetadata()
        .addToData(KEY, String.join("\n", kinds) + "\n").build();
    var resource = client.configMaps().inNamespace(namespace).resource(cm);
    if (current.isEmpty()) {
      resource.createOr(NonDeletingOperation::update);
    } else { // one JSON Patch request; "add" replaces the member
      String list = String.join("\n", kinds) + "\n";
      resource.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/data/" + KEY
          + "\",\"value\":" + Json.write(Json.MAPPER.getNodeFactory().textNode(list)) + "}]");
    }
    current.add(kind);
  }

  private static String name(String owner) {
    return "gitops-kinds-" + owner.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
  }
}

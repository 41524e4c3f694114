package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.target.DeployHistory;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The push-deploy history of a cluster: a ConfigMap ({@code name}, labelled managed by gitops but
 * with no owner label, so never a pruning candidate) whose {@value #KEY} holds the newest entries
 * first. A write is a GET and an update carrying the read {@code resourceVersion} (or a create), so
 * two writers cannot lose each other's entry; the push deployer writes under the target's lock
 * anyway. Thread-safe.
 */
final class ClusterHistory implements DeployHistory {
  /** The ConfigMap key holding the entries. */
  public static final String KEY = "history.json";
  private static final int ATTEMPTS = 3;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String target;

  /**
   * @param client the cluster
   * @param namespace where the ConfigMap lives
   * @param name the ConfigMap's name
   * @param target the target's description, for messages
   */
  public ClusterHistory(KubernetesClient client, String namespace, String name, String target) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.target = target;
  }

  @Override
  public List<Deployment> history() {
    try {
      return decode(client.configMaps().inNamespace(namespace).withName(name).get());
    } catch (RuntimeException e) { // the API server's, or a history that is not ours to parse
      throw failure("read", e);
    }
  }

  @Override
  public synchronized void record(Deployment entry, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1: " + keep);
    }
    var maps = client.configMaps().inNamespace(namespace);
    for (int attempt = 1; ; attempt++) {
      try {
        ConfigMap current = maps.withName(name).get();
        List<Deployment> all = new ArrayList<>();
        all.add(entry);
        all.addAll(decode(current));
        ConfigMap next = new ConfigMapBuilder().withNewMetadata().withName(name)
            .withNamespace(namespace).addToLabels("app.kubernetes.io/managed-by", "gitops")
            .endMetadata().addToData(KEY, encode(all.subList(0, Math.min(keep, all.size())))).build();
        if (current == null) {
          maps.resource(next).create();
        } else {
          next.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
          maps.resource(next).update();
        }
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw failure("write", e);
        }
      } catch (RuntimeException e) {
        throw failure("write", e);
      }
    }
  }

  /**
   * The failure to {@code verb} the history: the server's answer as every answer prints
   * ({@link Errors#answer}: its Status message, escaped; not fabric8's whole message, which repeats
   * the Status with its details), or what could not be read of the history's data ({@link Errors#cause}, escaped).
   */
  private TargetException failure(String verb, RuntimeException e) {
    String why = e instanceof KubernetesClientException k ? Errors.answer(k) : Errors.cause(e);
    return new TargetException(null, target + ": cannot " + verb + " the deploy history "
        + Errors.printable(namespace + "/" + name) + ": " + why, true, e);
  }

  private static List<Deployment> decode(ConfigMap map) {
    List<Deployment> out = new ArrayList<>();
    if (map == null || map.getData() == null || map.getData().get(KEY) == null) {
      return out;
    }
    for (JsonNode n : Json.parse(map.getData().get(KEY)).path("deployments")) {
      out.add(new Deployment(n.path("revision").asText(), n.path("ref").asText(""),
          n.path("summary").asText(""), n.path("outcome").asText("failed"),
          Instant.parse(n.path("time").asText()), n.path("by").asText("")));
    }
    return out;
  }

  private static String encode(List<Deployment> entries) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode list = root.putArray("deployments");
    for (Deployment d : entries) {
      list.addObject().put("revision", d.revision()).put("ref", d.ref()).put("summary", d.summary())
          .put("outcome", d.outcome()).put("time", d.time().toString()).put("by", d.by());
    }
    return Json.write(root);
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;

/**
 * The requests on one object that the writer and its read-back send, each naming the object by a
 * stub item (so fabric8 does not GET it first), answers as trees. Thread-safe.
 */
final class ObjectRequests {
  private final KubernetesClient client;

  ObjectRequests(KubernetesClient client) {
    this.client = client;
  }

  /** The object now, null when it is absent. */
  ObjectNode get(ResourceId id, KindInfo info) {
    var op = client.genericKubernetesResources(KindResolver.context(info));
    GenericKubernetesResource r = info.namespaced()
        ? op.inNamespace(id.namespace()).withName(id.name()).get() : op.withName(id.name()).get();
    return tree(r);
  }

  /** One PATCH request; the object the server answered, or null. */
  ObjectNode patch(ResourceId id, KindInfo info, PatchContext ctx, String body) {
    return tree(resource(id, info).patch(ctx, body));
  }

  /** The object as fabric8 addresses it, for a delete. */
  Resource<GenericKubernetesResource> resource(ResourceId id, KindInfo info) {
    GenericKubernetesResource item = stub(id, info);
    var op = client.genericKubernetesResources(KindResolver.context(info));
    return info.namespaced() ? op.inNamespace(id.namespace()).resource(item) : op.resource(item);
  }

  /** An item that only names the object. */
  private GenericKubernetesResource stub(ResourceId id, KindInfo info) {
    ObjectNode stub = Json.MAPPER.createObjectNode();
    stub.put("apiVersion", info.apiVersion());
    stub.put("kind", info.kind());
    ObjectNode metadata = stub.putObject("metadata");
    metadata.put("name", id.name());
    if (info.namespaced()) {
      metadata.put("namespace", id.namespace());
    }
    return Json.generic(client.getKubernetesSerialization(), stub);
  }

  /** The tree of what a request returned, or null. */
  private ObjectNode tree(GenericKubernetesResource result) {
    return result == null ? null : Json.tree(client.getKubernetesSerialization(), result);
  }
}

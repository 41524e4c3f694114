package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.Differ;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Target;
import dev.gitops.target.TargetContract;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The core {@link TargetContract} against {@link KubernetesTarget} (JSON_PATCH) on the CRUD mock. */
class KubernetesTargetIT implements TargetContract {
  private MockCluster cluster;
  private KubernetesTarget target;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    target = KubernetesTarget.of(cluster.client,
        KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public Resource sampleResource(String name) {
    return configMap(name, "v1");
  }

  @Override
  public Resource modified(Resource resource) {
    String value = ((Content.Tree) resource.content()).node().path("data").path("key").asText();
    return configMap(resource.id().name(), value + "-changed");
  }

  @Override
  public void putUnowned(Resource resource) {
    String value = ((Content.Tree) resource.content()).node().path("data").path("key").asText();
    cluster.client.configMaps().inNamespace("contract").resource(new ConfigMapBuilder()
        .withNewMetadata().withName(resource.id().name()).endMetadata()
        .addToData("key", value).build()).create();
  }

  @Override
  public boolean holds(Resource applied, Observed observed) {
    return new Differ(KubernetesDiff.options()).equivalent(applied.id(),
        observed.resource().content(), applied.content());
  }

  private static Resource configMap(String name, String value) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("apiVersion", "v1").put("kind", "ConfigMap");
    node.putObject("metadata").put("name", name).put("namespace", "contract");
    node.putObject("data").put("key", value);
    return Resource.of(ResourceId.of("ConfigMap", "contract", name), new Content.Tree(node));
  }
}

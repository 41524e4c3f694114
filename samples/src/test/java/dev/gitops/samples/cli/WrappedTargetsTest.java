package dev.gitops.samples.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.k8s.ApplyStrategy;
import dev.gitops.k8s.KubernetesTarget;
import dev.gitops.k8s.lease.LeaseElector;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.ssh.FilesTarget;
import dev.gitops.ssh.LocalHost;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Target;
import dev.gitops.target.WrapperContract;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every target the command line drives, in every wrapper this module can reach — the
 * {@code k8s-mock} target's {@link MockControllers}, a lease guard, core's — keeps its lock and deploy
 * history through a push deploy ({@link WrapperContract}). The contract's resource tests
 * ({@code TargetContract}) run in the adapters' own modules; here they run again, cheaply.
 */
class WrappedTargetsTest {
  /** One mock API server for the class; each Kubernetes test works in a namespace of its own. */
  private static KubernetesMockServer server;
  private static KubernetesClient client;
  private static LeaseElector elector;
  private static int namespaces;
  private final List<AutoCloseable> closing = new ArrayList<>();

  /** The mock API server, started on first use (the in-memory and directory targets need it only for wrappers). */
  static synchronized KubernetesClient client() {
    if (client == null) {
      server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
          new KubernetesCrudDispatcher(), false);
      server.init();
      client = server.createClient();
    }
    return client;
  }

  @AfterEach
  void closeTargets() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  @AfterAll
  static void stopMock() {
    if (elector != null) {
      elector.close();
    }
    if (client != null) {
      client.close();
      server.destroy();
    }
    elector = null;
    client = null;
  }

  Map<String, UnaryOperator<Target>> samplesWrappers(Map<String, UnaryOperator<Target>> core) {
    core.put("MockControllers", t -> new MockControllers(t, client()));
    core.put("LeaseElector.guard", t -> leading().guard(t));
    core.put("MockControllers in a guard", t -> leading().guard(new MockControllers(t, client())));
    return core;
  }

  private static synchronized LeaseElector leading() {
    if (elector == null) {
      elector = LeaseElector.start(client(), "default", "samples", "replica-1", Duration.ofSeconds(15), l -> { });
      try {
        elector.awaitLeader(Duration.ofSeconds(20));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (!elector.isLeader()) {
        throw new AssertionError("the only replica was not elected: " + elector);
      }
    }
    return elector;
  }

  static Resource configMap(String namespace, String name, String value) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("apiVersion", "v1").put("kind", "ConfigMap");
    node.putObject("metadata").put("name", name).put("namespace", namespace);
    node.putObject("data").put("key", value);
    return Resource.of(ResourceId.of("ConfigMap", namespace, name), new Content.Tree(node));
  }

  static Resource changed(Resource r) {
    return configMap(r.id().namespace(), r.id().name(),
        ((Content.Tree) r.content()).node().path("data").path("key").asText() + "+");
  }

  /** The {@code k8s-mock} target as the command line builds it. */
  @Nested
  class OnTheKubernetesMock implements WrapperContract {
    private final String namespace = "test-" + ++namespaces;
    private KubernetesTarget target;

    @BeforeEach
    void open() {
      target = KubernetesTarget.of(client(), KubernetesTarget.Options.defaults()
          .withStrategy(ApplyStrategy.JSON_PATCH).listing(Kubernetes.COMMON_KINDS)
          .withInventoryNamespace(namespace));
    }

    @Override public Target target() { return target; }

    @Override
    public Target another() {
      KubernetesClient second = server.createClient();
      closing.add(second);
      return KubernetesTarget.of(second, target.options());
    }

    @Override public Map<String, UnaryOperator<Target>> wrappers() { return samplesWrappers(WrapperContract.super.wrappers()); }

    @Override public Resource sampleResource(String name) { return configMap(namespace, name, "v1"); }

    @Override public Resource modified(Resource r) { return changed(r); }

    @Override public void putUnowned(Resource resource) {
      client().configMaps().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
          .withNewMetadata().withName(resource.id().name()).endMetadata().addToData("key",
          ((Content.Tree) resource.content()).node().path("data").path("key").asText()).build()).create();
    }

    @Override public boolean holds(Resource applied, dev.gitops.model.Observed observed) {
      return observed.resource().content() instanceof Content.Tree t
          && t.node().path("data").equals(((Content.Tree) applied.content()).node().path("data"));
    }
  }

  /** The {@code dir:} target. */
  @Nested
  class OnALocalDirectory implements WrapperContract {
    @TempDir Path root;
    private FilesTarget target;

    @BeforeEach
    void open() {
      target = files();
    }

    private FilesTarget files() {
      FilesTarget t = FilesTarget.of(LocalHost.create(), root.toString());
      closing.add(t);
      return t;
    }

    @Override public Target target() { return target; }

    @Override public Target another() { return files(); }

    @Override public Map<String, UnaryOperator<Target>> wrappers() { return samplesWrappers(WrapperContract.super.wrappers()); }

    @Override public Resource sampleResource(String name) { return file(name, "v1"); }

    @Override public Resource modified(Resource r) {
      Content.Bytes b = (Content.Bytes) r.content();
      return r.withContent(Content.bytes((new String(b.data(), StandardCharsets.UTF_8) + "changed = true\n")
          .getBytes(StandardCharsets.UTF_8), b.mode()));
    }

    @Override public void putUnowned(Resource resource) {
      try {
        java.nio.file.Files.write(root.resolve(resource.id().name()), ((Content.Bytes) resource.content()).data());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private Resource file(String name, String value) {
      return Resource.of(ResourceId.file(name + ".conf"),
          Content.bytes(("value = " + value + "\n").getBytes(StandardCharsets.UTF_8), FileMode.REGULAR));
    }
  }

  /** An in-memory target, as users' own tests hold one. */
  @Nested
  class InMemory implements WrapperContract {
    private final InMemoryTarget target = InMemoryTarget.empty();

    @Override public Target target() { return target; }

    @Override public Map<String, UnaryOperator<Target>> wrappers() { return samplesWrappers(WrapperContract.super.wrappers()); }

    @Override public Resource sampleResource(String name) { return configMap("default", name, "v1"); }

    @Override public Resource modified(Resource r) { return changed(r); }

    @Override public void putUnowned(Resource resource) { target.put(resource, ""); }
  }
}

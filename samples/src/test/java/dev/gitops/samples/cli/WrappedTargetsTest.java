package dev.gitops.samples.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import dev.gitops.ssh.SshHost;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Target;
import dev.gitops.target.WrapperContract;
import dev.gitops.testing.k8s.MockKubernetes;
import dev.gitops.testing.ssh.OpenSshd;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
  private static MockKubernetes cluster;
  /** One OpenSSH sshd for the class, started on first use; each SSH test has a root of its own. */
  private static OpenSshd sshd;
  private static LeaseElector elector;
  private static int namespaces;
  private final List<AutoCloseable> closing = new ArrayList<>();

  /** The mock API server, started on first use (the in-memory and directory targets need it only for wrappers). */
  static synchronized KubernetesClient client() {
    if (cluster == null) {
      cluster = MockKubernetes.crud();
    }
    return cluster.client();
  }

  static synchronized OpenSshd sshd() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    if (sshd == null) {
      sshd = OpenSshd.start(Files.createTempDirectory("wrapped-sshd"));
    }
    return sshd;
  }

  @AfterEach
  void closeTargets() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (elector != null) {
      elector.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (sshd != null) {
      sshd.close();
    }
    elector = null;
    cluster = null;
    sshd = null;
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
      KubernetesClient second = cluster.newClient();
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

  /** A files target: the contract's resources are files under {@link #root}, on this machine. */
  abstract class OnFiles implements WrapperContract {
    @TempDir Path root;
    private FilesTarget target;

    @BeforeEach
    void open() throws Exception {
      target = files();
    }

    /** A new target on {@link #root}, closed after the test. */
    abstract FilesTarget files() throws Exception;

    @Override public Target target() { return target; }

    @Override public Target another() {
      try {
        return files();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

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

  /** The {@code dir:} target. */
  @Nested
  class OnALocalDirectory extends OnFiles {
    @Override FilesTarget files() {
      FilesTarget t = FilesTarget.of(LocalHost.create(), root.toString());
      closing.add(t);
      return t;
    }
  }

  /**
   * The {@code ssh:} target: files on a host over SSH (OpenSSH on loopback), its lock and history
   * kept on the host, under the lease guard too.
   */
  @Nested
  class OnAnSshHost extends OnFiles {
    @Override FilesTarget files() throws Exception {
      OpenSshd server = sshd();
      SshHost host = SshHost.builder().host(server.host()).port(server.port()).user(OpenSshd.user())
          .identity(server.userKey(), null).knownHosts(server.knownHosts()).build();
      FilesTarget t = FilesTarget.of(host, root.toString());
      closing.add(t);   // closed before its host
      closing.add(host);
      return t;
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

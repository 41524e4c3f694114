package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.plan.Action;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Target;
import dev.gitops.testing.k8s.ControllerStandIn;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Small helpers for tests: the shared fixture sets and in-memory snapshots. */
public final class Fixtures {
  /**
   * A namespaced CRD serving {@code <group>/v1} kind {@code kind} (plural {@code plural}) whose
   * {@code openAPIV3Schema} is an object of {@code properties} (YAML, at any indentation).
   */
  static String crd(String group, String kind, String plural, String properties) {
    int indent = properties.lines().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: %s.%s}
        spec:
          group: %s
          names: {kind: %s, listKind: %sList, plural: %s}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
        """.formatted(plural, group, group, kind, kind, plural)
        + properties.lines().map(l -> l.isBlank() ? "" : " ".repeat(10) + l.substring(indent))
            .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
  }

  /**
   * A CRD of kind {@code example.com/v1 Gateway} whose {@code spec.listeners} is a keyed list (keys
   * {@code port} and {@code protocol}, the protocol defaulted to TCP), then {@code ---}: a test
   * adds its Gateway.
   */
  static final String GATEWAY_CRD = crd("example.com", "Gateway", "gateways", """
      spec:
        type: object
        properties:
          listeners:
            type: array
            x-kubernetes-list-type: map
            x-kubernetes-list-map-keys: [port, protocol]
            items:
              type: object
              required: [port]
              properties:
                name: {type: string}
                port: {type: integer}
                protocol: {type: string, default: TCP}
      """) + "---\n";

  private Fixtures() {}

  /** {@code shared/fixtures/k8s} (with its {@code INDEX.tsv}); skips the test when absent. */
  public static Path k8s() {
    return shared("fixtures/k8s/INDEX.tsv").getParent();
  }

  /** {@code shared/<path>}, found by walking up from the working directory; skips the test when absent. */
  public static Path shared(String path) {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("shared").resolve(path))) {
        return p.resolve("shared").resolve(path);
      }
    }
    assumeTrue(false, "shared/" + path + " not found above " + dir + ": test skipped");
    throw new IllegalStateException("unreachable");
  }

  /** The problems, as printed, that {@link ManifestLoader} refuses {@code yaml} for, as file {@code app.yaml}. */
  static java.util.List<String> loadProblems(String yaml) {
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.gitops.model.InvalidDesiredStateException.class,
        () -> new ManifestLoader().load(dev.gitops.source.LoaderContract.snapshot("app.yaml", yaml)));
    return e.problems().stream().map(dev.gitops.model.Problem::toString).toList();
  }

  /** A snapshot of one file. */
  static Snapshot snapshot(Path root, String path) {
    return Snapshot.of(Revision.of("test"), Map.of(path, bytes(root.resolve(path))));
  }

  /**
   * {@code target}, with gitops-testing's {@link ControllerStandIn} playing the controllers' part after
   * each create, update and adoption; everything else, the lock and deploy history included, passes through.
   */
  static Target withControllers(Target target, KubernetesClient client) {
    ControllerStandIn controllers = new ControllerStandIn(client);
    return new ForwardingTarget(target) {
      @Override
      public String applyWithDetail(Action action, String owner) {
        String detail = super.applyWithDetail(action, owner);
        ResourceId id = action.id();
        switch (action.kind()) {
          case CREATE, UPDATE, ADOPT -> controllers.settle(id.group(), id.kind(), id.namespace(), id.name());
          default -> { }
        }
        return detail;
      }
    };
  }

  /** A ConfigMap {@code shop/settings} (mode a), a Service {@code shop/web} and a Deployment {@code shop/web}, in waves 1, 2 and 3. */
  static final String SHOP = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings, namespace: shop}
      data: {mode: a}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec: {selector: {app: web}, ports: [{port: 80, protocol: TCP}]}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}},
        spec: {containers: [{name: web, image: nginx:1.27}]}}}
      """;

  /** The ConfigMap {@code shop/settings} holding {@code mode} and the ServiceAccount {@code shop/web}: no health to wait for. */
  static String settingsAndAccount(String mode) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
        data: {mode: %s}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: web, namespace: shop}
        """.formatted(mode);
  }

  /** A pruning reconciler named {@code web} of the manifests in {@code repo} onto {@code target}; its retries never sleep. */
  static Reconciler reconciler(Path repo, Target target) {
    return Reconciler.builder().name("web").source(DirectorySource.of(repo))
        .loader(new ManifestLoader()).target(target).prune(true)
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).build();
  }

  /** A ConfigMap {@code shop/name} holding {@code mode: a}. */
  static Resource configMap(String name) {
    var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    node.put("apiVersion", "v1").put("kind", "ConfigMap");
    node.putObject("metadata").put("name", name).put("namespace", "shop");
    node.putObject("data").put("mode", "a");
    return Resource.of(ResourceId.of("ConfigMap", "shop", name), new Content.Tree(node));
  }

  /** {@return {@code result}}, after failing the test unless its report is a success */
  static ReconcileResult ok(ReconcileResult result) {
    assertTrue(result.report().isSuccess(), result.report().toString());
    return result;
  }

  /** Waits (20 s at most) until {@code condition} holds; fails naming {@code what} otherwise. */
  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  private static Content.Bytes bytes(Path p) {
    try {
      return Content.bytes(Files.readAllBytes(p), FileMode.REGULAR);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

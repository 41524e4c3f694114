package dev.gitops.k8s;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.diff.Change;
import dev.gitops.diff.Suppressed;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup {@link ServerDropsIT} and {@link DecodedDropsIT} share: a Git working directory of one
 * file, {@code app.yaml}, reconciled by {@code web} into a {@link StandInCluster} whose
 * {@link ApiServerStandIn} drops what a test tells it to, adopting and pruning, and the plan's
 * changes, hidden fields and log lines as the tests read them.
 */
abstract class DropsCluster {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SERVICE = "/api/v1/namespaces/shop/services/api";
  static final String DEPLOYMENT = "/apis/apps/v1/namespaces/shop/deployments/web";
  @TempDir Path repo;
  StandInCluster cluster;

  @AfterEach
  void close() {
    cluster.close();
  }

  static String service(String spec) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec:
          selector: {app: api}
          ports: [{name: http, port: 80, targetPort: 8080}]
          %s
        """.formatted(spec);
  }

  Reconciler start(ApiServerStandIn server, ApplyStrategy strategy) {
    cluster = new StandInCluster(repo, server);
    return reconciler(strategy, false);
  }

  /** The reconciler {@code web} on the running cluster, adopting what nobody owns, forced or not. */
  Reconciler reconciler(ApplyStrategy strategy, boolean force) {
    KubernetesTarget target = KubernetesTarget.of(cluster.client(), KubernetesTarget.Options.defaults()
        .withStrategy(strategy).withForce(force));
    return cluster.builder(target).planOptions(target.planDefaults().withAdoption(PlanOptions.Adoption.ADOPT))
        .prune(true).build();
  }

  static ReconcileResult ok(ReconcileResult result) {
    return Fixtures.ok(result);
  }

  static List<String> changes(Plan plan) {
    List<String> out = new ArrayList<>();
    for (Action a : plan.actions()) {
      if (a instanceof Action.Update u) {
        for (Change c : u.diff().changes()) {
          out.add(c.op().toString().toLowerCase(java.util.Locale.ROOT) + " " + c.path());
        }
      }
    }
    return out;
  }

  static List<String> hidden(Plan plan) {
    List<String> out = new ArrayList<>();
    for (Action a : plan.actions()) {
      if (a instanceof Action.NoOp n) {
        n.diff().suppressed().stream().map(Suppressed::toString).filter(s -> s.contains("dropped")).forEach(out::add);
      }
    }
    return out;
  }

  static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  /**
   * What {@code body} adds to the log file slf4j-simple writes in tests ({@code org.slf4j.simpleLogger.logFile},
   * set by the build; stderr without it).
   */
  static String logged(ThrowingRunnable body) throws Exception {
    String file = System.getProperty("org.slf4j.simpleLogger.logFile");
    Path log = Path.of(file == null ? "target/k8s-it.log" : file);
    long before = Files.exists(log) ? Files.size(log) : 0;
    body.run();
    byte[] all = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
    return new String(all, (int) Math.min(before, all.length), (int) Math.max(0, all.length - before), StandardCharsets.UTF_8);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  void write(String yaml) throws Exception {
    Files.writeString(repo.resolve("app.yaml"), yaml);
  }

  String url(String path) {
    return cluster.client().getMasterUrl().toString().replaceAll("/+$", "") + path;
  }

  JsonNode live(String path) throws Exception {
    return JSON.readTree(cluster.client().raw(url(path)));
  }
}

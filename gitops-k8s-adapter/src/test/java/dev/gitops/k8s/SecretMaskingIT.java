package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.DirectorySource;
import dev.gitops.testing.k8s.MockKubernetes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Secret's values appear in no plan text, plan JSON, report or log line, with the plan defaults the
 * target gives.
 */
class SecretMaskingIT {
  @TempDir Path repo;
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();
  private final List<String> rendered = new ArrayList<>();

  @Test
  void secretValuesAreMaskedInPlansReportsAndLogs() throws IOException {
    String first = "first-" + UUID.randomUUID();
    String second = "second-" + UUID.randomUUID();
    Files.writeString(repo.resolve("secret.yaml"), secret("stringData", first));
    Reconciler app = Reconciler.builder().name("app").source(DirectorySource.of(repo))
        .loader(new ManifestLoader())
        .target(KubernetesTarget.of(cluster.client(),
            KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH)))
        .applyOptions(ApplyOptions.defaults().withSleeper(d -> { })).build();

    record(app.reconcile(null));
    Files.writeString(repo.resolve("secret.yaml"), secret("stringData", second));
    ReconcileResult update = app.reconcile(null);
    record(update);
    ResourceId id = ResourceId.of("Secret", "default", "db");
    assertTrue(update.plan().action(id).orElseThrow() instanceof Action.Update, update.plan().summary());
    assertTrue(update.plan().render().contains("***"), update.plan().render());

    Files.writeString(repo.resolve("secret.yaml"), secret("data", b64(first)));
    record(app.reconcile(null));
    var stored = cluster.client().secrets().inNamespace("default").withName("db").get();
    assertEquals(b64(first), stored.getData().get("password"), "stringData is written as data");
    assertTrue(stored.getStringData() == null || stored.getStringData().isEmpty(),
        "no stringData left on the server");

    rendered.add(Files.readString(logFile(), StandardCharsets.UTF_8));
    for (String value : List.of(first, second, b64(first), b64(second))) {
      for (String text : rendered) {
        assertFalse(text.contains(value), "a Secret value leaked into: " + text);
      }
    }
    assertEquals(second, new String(Base64.getDecoder().decode(b64(second)), StandardCharsets.UTF_8));
  }

  private void record(ReconcileResult result) {
    Plan plan = result.plan();
    rendered.add(plan.render());
    rendered.add(plan.toJson());
    rendered.add(Plan.fromJson(plan.toJson()).render());
    rendered.add(plan.toString());
    rendered.add(result.report().toString());
    rendered.add(result.toString());
    plan.actions().forEach(a -> rendered.add(a.toString()));
    assertTrue(result.report().isSuccess(), result.report().toString());
  }

  private static Path logFile() {
    String file = System.getProperty("org.slf4j.simpleLogger.logFile");
    return Path.of(file == null ? "target/k8s-it.log" : file);
  }

  private static String secret(String field, String value) {
    return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: default\n"
        + field + ":\n  password: " + value + "\n";
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}

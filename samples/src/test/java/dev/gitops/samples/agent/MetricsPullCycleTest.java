package dev.gitops.samples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.reconcile.PullAgent;
import dev.gitops.reconcile.ReconcileListener;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.GitSource;
import dev.gitops.ssh.FileTreeLoader;
import dev.gitops.ssh.FilesTarget;
import dev.gitops.testing.git.GitRepo;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 items 5 and 6 end to end: a pull agent polling once an hour converges a directory; a
 * signed push webhook makes it run again at once; /metrics, scraped between the runs, moves.
 */
class MetricsPullCycleTest {
  private static final String SECRET = "a-webhook-secret-of-some-length";

  @Test
  void aSignedPushRunsTheAgentAndTheMetricsMove(@TempDir Path tmp) throws Exception {
    Path repoDir = tmp.resolve("repo");
    Path site = Files.createDirectories(tmp.resolve("site"));
    BlockingQueue<ReconcileResult> runs = new LinkedBlockingQueue<>();
    AgentMetrics metrics = new AgentMetrics("web");
    try (GitRepo git = GitRepo.init(repoDir)) {
      git.commit("one", Map.of("index.html", "<h1>one</h1>\n"));
      Reconciler reconciler = Reconciler.builder().name("web").source(GitSource.builder(repoDir.toString())
              .ref("main").cache(tmp.resolve("cache")).build())
          .loader(FileTreeLoader.root()).target(FilesTarget.local(site))
          .listener(new BothListeners(metrics, new ReconcileListener() {
            @Override public void reconciled(ReconcileResult result) { runs.add(result); }
          })).build();
      WebhookVerifier verifier = new WebhookVerifier(SECRET, Clock.systemUTC());
      try (PullAgent agent = PullAgent.builder(reconciler).interval(Duration.ofHours(1))
              .driftInterval(Duration.ofHours(1)).build();
           WebhookServer server = WebhookServer.start(new InetSocketAddress("127.0.0.1", 0), verifier,
               List.of(new WebhookServer.Hook(repoDir.toString(), "main", agent::triggerNow)), metrics, () -> true)) {
        agent.start();
        assertNotNull(runs.poll(60, TimeUnit.SECONDS), "the first run");
        String first = scrape(server);
        assertTrue(first.contains("gitops_reconcile_total{reconciler=\"web\",result=\"success\"} 1"), first);
        assertTrue(first.contains("gitops_steps_total{reconciler=\"web\",outcome=\"applied\"} 1"), first);
        assertTrue(first.contains("# TYPE gitops_reconcile_duration_seconds summary"), first);
        assertTrue(first.contains("gitops_reconcile_duration_seconds_count{reconciler=\"web\",phase=\"apply\"} 1"), first);

        String two = git.commit("two", Map.of("index.html", "<h1>two</h1>\n"));
        String body = "{\"ref\":\"refs/heads/main\",\"repository\":{\"clone_url\":\"" + repoDir + "\"}}";
        HttpResponse<String> hook = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/hooks/github"))
            .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", "1")
            .header("X-Hub-Signature-256", "sha256=" + verifier.hmac(body.getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, hook.statusCode(), hook.body());
        ReconcileResult second = runs.poll(60, TimeUnit.SECONDS);
        assertNotNull(second, "the webhook's run (the next poll is an hour away)");
        assertEquals(two, second.revision().id());
        assertEquals("<h1>two</h1>\n", Files.readString(site.resolve("index.html")));
        String after = scrape(server);
        assertTrue(after.contains("gitops_reconcile_total{reconciler=\"web\",result=\"success\"} 2"), after);
        assertTrue(after.contains("gitops_steps_total{reconciler=\"web\",outcome=\"applied\"} 2"), after);
        assertTrue(after.contains("gitops_last_applied_revision_info{reconciler=\"web\",revision=\"" + two + "\"} 1"), after);
        assertTrue(after.contains("gitops_webhook_requests_total{reconciler=\"web\",provider=\"github\",code=\"202\"} 1"), after);
      }
    }
  }

  private static String scrape(WebhookServer server) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }
}

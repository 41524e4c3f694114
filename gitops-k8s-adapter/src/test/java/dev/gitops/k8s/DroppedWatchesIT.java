package dev.gitops.k8s;

import static dev.gitops.k8s.Fixtures.await;
import static dev.gitops.k8s.Fixtures.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.reconcile.Reconciler;
import dev.gitops.testing.k8s.MockKubernetes;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy with an idle timeout (or a server's watch timeout) ends the cache's watches every few
 * minutes. fabric8's informer (8.0.0: its watch manager reconnects by itself, from the last version
 * it saw; its Reflector lists again only after 410 Gone or a failure it is told of) resumes each
 * watch without a LIST: the cache stays right (drift made after each drop is seen through the
 * watch and repaired) and the requests are one WATCH per feed per drop, no relist storm. On the
 * mock, one feed, the empty presence feed of ServiceAccounts, lists again on each drop (its informer
 * is told of the close, the others are not; why was not settled): bounded, one LIST a drop.
 */
class DroppedWatchesIT {
  private static final int DROPS = 5;

  @TempDir Path repo;
  private final BearerTokens server = new BearerTokens("agent-token");
  private final MockKubernetes cluster = MockKubernetes.crud(server);
  private final KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(cluster.client()
      .getConfiguration()).withOauthToken("agent-token").build()).build();
  private final ClusterCache cache = ClusterCache.of(client);

  @AfterEach
  void close() {
    cache.close();
    client.close();
    cluster.close();
  }

  @Test
  void watchesDroppedAgainAndAgainResumeWithoutListingAndTheCacheStaysRight() throws Exception {
    Files.writeString(repo.resolve("app.yaml"), Fixtures.settingsAndAccount("a"));
    Reconciler web = Fixtures.reconciler(repo, KubernetesTarget.of(cache, KubernetesTarget.Options.defaults()
        .withStrategy(ApplyStrategy.JSON_PATCH)));
    ok(web.reconcile(null));
    ok(web.reconcile(null));
    int feeds = server.openWatches();
    cluster.requests();

    for (int drop = 1; drop <= DROPS; drop++) {
      server.dropWatches();
      await(() -> server.openWatches() == feeds && cache.status().stream().allMatch(s -> s.mode().equals("watching")),
          "every watch back");
      String drift = "by-hand-" + drop;
      client.configMaps().inNamespace("shop").withName("settings")
          .edit(cm -> { cm.getData().put("mode", drift); return cm; });
      await(() -> web.plan(null).changes().size() == 1, "the drift, seen through the resumed watch");
      ok(web.reconcile(null));
      assertEquals("a", client.configMaps().inNamespace("shop").withName("settings").get().getData().get("mode"));
    }

    List<String> requests = cluster.requests();
    List<String> lists = requests.stream().filter(r -> r.startsWith("GET /api/v1/") && r.contains("?")
        && !r.contains("watch=true")).toList();
    assertTrue(lists.stream().allMatch("GET /api/v1/serviceaccounts?labelSelector=%21gitops.dev%2Fowner"::equals)
        && lists.size() <= DROPS, "the owned feeds resume without a LIST; at most the (empty) presence feed of"
        + " ServiceAccounts lists again, once a drop: " + requests);
    assertEquals(DROPS * feeds, requests.stream().filter(r -> r.contains("watch=true")).count(),
        "one WATCH per feed per drop: " + requests);
    assertEquals(List.of(), server.refused);
  }
}

package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import dev.gitops.testing.net.Trickle;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * An API server (or a proxy before it) that answers a byte every 100 ms: fabric8's
 * {@code requestTimeout} (3 s here) bounds the wait for the status line and headers only, and
 * fabric8 waits for the body with no bound of its own, so a LIST, a GET or a PATCH took as long as
 * the answer trickled. The target's {@code callTimeout} (2 s) ends each, names the request, and gives its
 * connection up. The 30 s bounds only turn a hang into a failure; they measure nothing.
 */
class TricklingApiServerIT {
  private static final Duration CALL = Duration.ofSeconds(2);
  private static final Duration HANG = Duration.ofSeconds(30);
  private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n";
  private static final String LIST = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMapList\",\"metadata\":{},\"items\":[]"
      + " ".repeat(2_000) + "}";

  /** Runs {@code test} with a client of a server that trickles a ConfigMapList to every request. */
  private static void trickling(BiConsumer<KubernetesClient, Trickle> test) throws Exception {
    Trickle server = Trickle.answering(HEAD, LIST, Duration.ofMillis(100));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("http://127.0.0.1:" + server.port() + "/").withRequestTimeout(3_000)
        .withRequestRetryBackoffLimit(0).build()).build(); server) {
      test.accept(client, server);
      givenUp(server);
    }
  }

  /** Waits until {@code server} has no connection left talking: each cut request's is given up. */
  private static void givenUp(Trickle server) {
    assertTimeoutPreemptively(HANG, () -> {
      while (server.talking() > 0) {
        Thread.sleep(20); // the server notices at its next byte that the client hung up
      }
    }, "the cut request's connection is given up, not left to trickle");
  }

  private static KubernetesClientException cut(Executable call) {
    return assertTimeoutPreemptively(HANG, () -> assertThrows(KubernetesClientException.class, call));
  }

  @Test
  void aTrickledListIsCutAtTheCallTimeout() throws Exception {
    trickling((client, server) -> {
      KubernetesClient bounded = BoundedHttp.client(client, CALL);
      KubernetesClientException e = cut(() -> bounded.configMaps().inAnyNamespace().list());
      assertEquals("GET /api/v1/configmaps did not finish within PT2S (the target's callTimeout): the request was cancelled",
          Errors.cause(e).replace(" (HttpTimeoutException)", ""));
    });
  }

  @Test
  void aTrickledGetAndPatchAreCutToo() throws Exception {
    trickling((client, server) -> {
      KubernetesClient bounded = BoundedHttp.client(client, CALL);
      var map = bounded.configMaps().inNamespace("default");
      String get = Errors.cause(cut(() -> map.withName("web").get()));
      assertTrue(get.startsWith("GET /api/v1/namespaces/default/configmaps/web did not finish within PT2S"), get);
      // the GET's connection is given up first: a PATCH sent while it still closes could be handed that
      // connection by the pool and read the GET's trickle ("no request in progress", CI under double load)
      givenUp(server);
      var cm = new ConfigMapBuilder().withNewMetadata().withName("web").endMetadata().addToData("k", "v").build();
      String patch = Errors.cause(cut(() -> map.resource(cm).serverSideApply()));
      assertTrue(patch.startsWith("PATCH /api/v1/namespaces/default/configmaps/web did not finish within PT2S"), patch);
    });
  }

  @Test
  void aTargetReadFailsRetryablyNamingTheServerAndTheRequest() throws Exception {
    trickling((client, server) -> {
      KubernetesTarget target = KubernetesTarget.of(client, KubernetesTarget.Options.defaults().withCallTimeout(CALL));
      TargetException e = assertTimeoutPreemptively(HANG,
          () -> assertThrows(TargetException.class, () -> target.read(Scope.owned("web"))));
      assertTrue(e.getMessage().startsWith("cannot read the cluster: the Kubernetes API server at "
          + client.getMasterUrl() + " answered too slowly: GET /api/v1/"), e.getMessage());
      assertTrue(e.getMessage().contains(" did not finish within PT2S"), e.getMessage());
      assertTrue(e.retryable(), "a timeout is worth another try");
    });
  }

  @Test
  void theDefaultBoundIsTwoMinutesAndMustBePositive() {
    assertEquals(Duration.ofMinutes(2), KubernetesTarget.Options.defaults().callTimeout());
    assertThrows(IllegalArgumentException.class, () -> KubernetesTarget.Options.defaults().withCallTimeout(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> KubernetesTarget.Options.defaults().withCallTimeout(null));
  }
}

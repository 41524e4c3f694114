package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The targets on one {@link ClusterCache} write through one bounded client per call timeout. */
class ClusterCacheClientsTest {
  @Test
  void targetsOnOneCacheShareOneBoundedClientPerTimeout() {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
         ClusterCache cache = ClusterCache.of(client)) {
      KubernetesClient first = cache.bounded(KubernetesTarget.Options.DEFAULT_CALL_TIMEOUT);
      assertInstanceOf(BoundedHttp.class, first.getHttpClient(), "every request bounded");
      assertSame(first, cache.bounded(Duration.ofMinutes(2)), "a fleet's thousand targets share it");
      KubernetesClient other = cache.bounded(Duration.ofSeconds(5));
      assertNotSame(first, other);
      assertSame(other, BoundedHttp.client(other, Duration.ofSeconds(5)), "a bounded client is not wrapped again");
      // both targets are built on the shared clients without a request (nothing listens at port 1)
      KubernetesTarget.of(cache, KubernetesTarget.Options.defaults());
      KubernetesTarget.of(cache, KubernetesTarget.Options.defaults().withCallTimeout(Duration.ofSeconds(5)));
      assertSame(other, cache.bounded(Duration.ofSeconds(5)));
    }
  }
}

package dev.gitops.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;

/**
 * Every test of {@link KubernetesTargetIT} (the core target contract, under every wrapper) again,
 * with the target reading through a {@link ClusterCache}: what the cache answers must be what the
 * LISTs answered.
 */
class CachedKubernetesTargetIT extends KubernetesTargetIT {
  private ClusterCache cache;

  @Override
  KubernetesTarget newTarget(KubernetesClient client, KubernetesTarget.Options options) {
    cache = ClusterCache.of(client);
    return KubernetesTarget.of(cache, options);
  }

  /**
   * Closes the cache's watches before {@link KubernetesTargetIT#stop} closes the mock server (a
   * subclass's {@code @AfterEach} runs first; an {@code @AutoClose} field would close after it, and
   * the server's shutdown then waits out its 10 s for the open watches).
   */
  @AfterEach
  void closeCache() {
    if (cache != null) {
      cache.close();
    }
  }
}

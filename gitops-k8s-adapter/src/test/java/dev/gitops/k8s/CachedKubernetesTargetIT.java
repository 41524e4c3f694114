package dev.gitops.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AutoClose;

/**
 * Every test of {@link KubernetesTargetIT} (the core target contract, under every wrapper) again,
 * with the target reading through a {@link ClusterCache}: what the cache answers must be what the
 * LISTs answered.
 */
class CachedKubernetesTargetIT extends KubernetesTargetIT {
  @AutoClose private ClusterCache cache;

  @Override
  KubernetesTarget newTarget(KubernetesClient client, KubernetesTarget.Options options) {
    cache = ClusterCache.of(client);
    return KubernetesTarget.of(cache, options);
  }

}

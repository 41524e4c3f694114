package dev.gitops.k8s;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Tells namespaced from cluster-scoped kinds: discovery, custom resource definitions, built-ins. */
final class ScopeResolver {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScopeResolver.class);
  private final KubernetesClient client;
  private final Map<String, Boolean> custom;
  private final Map<String, Optional<APIResourceList>> discovered;

  private ScopeResolver(KubernetesClient client, Map<String, Boolean> custom,
                        Map<String, Optional<APIResourceList>> discovered) {
    this.client = client;
    this.custom = Map.copyOf(custom);
    this.discovered = discovered;
  }

  /** Built-in kinds only. */
  public static ScopeResolver offline() {
    return new ScopeResolver(null, Map.of(), new ConcurrentHashMap<>());
  }

  /** Discovery through {@code client}, cached per group version that answered. */
  public static ScopeResolver discovering(KubernetesClient client) {
    return new ScopeResolver(client, Map.of(), new ConcurrentHashMap<>());
  }

  /** This resolver, also knowing the given custom kinds ({@code group/kind} to namespaced). */
  public ScopeResolver withCustomResources(Map<String, Boolean> kinds) {
    return new ScopeResolver(client, kinds, discovered);
  }

  /** True when {@code kind} of {@code apiVersion} is namespaced; unknown kinds count as namespaced. */
  public boolean namespaced(String apiVersion, String kind) {
    String group = KindInfo.groupOf(apiVersion);
    if (client != null) {
      Optional<APIResourceList> list = discovered.get(apiVersion);
      if (list == null) {
        list = discover(apiVersion);
        if (list != null) { // an answer, found or not; a failure is asked again next time
          discovered.put(apiVersion, list);
        }
      }
      if (list != null && list.isPresent() && list.get().getResources() != null) {
        for (APIResource r : list.get().getResources()) {
          if (kind.equals(r.getKind()) && !r.getName().contains("/")) {
            return Boolean.TRUE.equals(r.getNamespaced());
          }
        }
      }
    }
    Boolean crd = custom.get(KindInfo.key(group, kind));
    if (crd != null) {
      return crd;
    }
    return BuiltinKinds.find(group, kind).map(KindInfo::namespaced).orElse(true);
  }

  /** Discovery of {@code apiVersion}: empty when not served (404), null when it failed (a 503 of an aggregated API). */
  private Optional<APIResourceList> discover(String apiVersion) {
    try {
      return Optional.ofNullable(client.getApiResources(apiVersion));
    } catch (KubernetesClientException e) {
      LOG.warn("API discovery of {} failed, its kinds are taken from the built-in table and the CRDs of the desired"
          + " state, else as namespaced, for this load: {}", Errors.printable(apiVersion), Errors.answer(e));
      return null;
    }
  }
}

package dev.gitops.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer's store that keeps, of each object, only its key ({@code namespace/name}) and
 * {@code resourceVersion}: enough to say whether an object exists, a few dozen bytes an object
 * whatever its size (a cluster's Secrets and ConfigMaps can be large and many). What it hands back
 * is a stub with name, namespace and version. Used by the presence feeds of {@link Feed}.
 */
final class KeyStore implements ItemStore<HasMetadata> {
  private final KindInfo info;
  private final Map<String, String> versions = new ConcurrentHashMap<>();

  KeyStore(KindInfo info) {
    this.info = info;
  }

  @Override
  public String getKey(HasMetadata r) {
    return Cache.metaNamespaceKeyFunc(r);
  }

  @Override
  public HasMetadata put(String key, HasMetadata r) {
    String version = r.getMetadata().getResourceVersion();
    return stub(key, versions.put(key, version == null ? "" : version));
  }

  @Override
  public HasMetadata remove(String key) {
    return stub(key, versions.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return versions.keySet().stream();
  }

  @Override
  public Stream<HasMetadata> values() {
    return versions.entrySet().stream().map(e -> stub(e.getKey(), e.getValue()));
  }

  @Override
  public int size() {
    return versions.size();
  }

  @Override
  public HasMetadata get(String key) {
    return stub(key, versions.get(key));
  }

  /** True when an object of this key is held; allocates nothing. */
  boolean has(String key) {
    return versions.containsKey(key);
  }

  @Override
  public boolean isFullState() {
    return false;
  }

  private GenericKubernetesResource stub(String key, String version) {
    if (version == null) {
      return null;
    }
    int slash = key.indexOf('/');
    ObjectMeta meta = new ObjectMeta();
    meta.setName(slash < 0 ? key : key.substring(slash + 1));
    meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
    meta.setResourceVersion(version);
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(info.apiVersion());
    r.setKind(info.kind());
    r.setMetadata(meta);
    return r;
  }
}

package dev.gitops.k8s.internal;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds version, plural and scope of a kind: built-in kinds from a table, custom kinds from the
 * cluster's CustomResourceDefinitions (one LIST, repeated only when a kind is not known yet), whose
 * schemas it passes on to the target's {@link SchemaSources}. Thread-safe.
 */
public final class KindResolver {
  private final KubernetesClient client;
  private final SchemaSources schemas;
  private final Map<String, KindInfo> custom = new ConcurrentHashMap<>();

  /** A resolver over {@code client} that teaches {@code schemas} (or null) the CRDs it reads. */
  public KindResolver(KubernetesClient client, SchemaSources schemas) {
    this.client = client;
    this.schemas = schemas;
  }

  /** The kind, looking at the cluster's CRDs when it is neither built in nor known yet. */
  public Optional<KindInfo> resolve(String group, String kind) {
    Optional<KindInfo> known = known(group, kind);
    if (known.isPresent()) {
      return known;
    }
    refresh();
    return known(group, kind);
  }

  /** The kind if built in or already known, without asking the cluster. */
  public Optional<KindInfo> known(String group, String kind) {
    KindInfo info = custom.get(KindInfo.key(group, kind));
    return info != null ? Optional.of(info) : BuiltinKinds.find(group, kind);
  }

  /** The kind at the given version (from a manifest's {@code apiVersion}). */
  public Optional<KindInfo> resolve(String apiVersion, String group, String kind) {
    return resolve(group, kind).map(k -> new KindInfo(k.group(), KindInfo.versionOf(apiVersion),
        k.kind(), k.plural(), k.namespaced()));
  }

  /** Re-reads the cluster's CRDs (one LIST request). */
  public void refresh() {
    for (CustomResourceDefinition crd : client.apiextensions().v1().customResourceDefinitions()
        .list().getItems()) {
      learn(crd);
    }
  }

  /** Remembers the kind a CRD defines (served storage version preferred). */
  public void learn(CustomResourceDefinition crd) {
    var spec = crd.getSpec();
    if (spec == null || spec.getNames() == null || spec.getVersions() == null) {
      return;
    }
    String version = spec.getVersions().stream()
        .filter(v -> Boolean.TRUE.equals(v.getStorage()))
        .map(CustomResourceDefinitionVersion::getName).findFirst()
        .orElse(spec.getVersions().isEmpty() ? "v1" : spec.getVersions().get(0).getName());
    KindInfo info = new KindInfo(spec.getGroup(), version, spec.getNames().getKind(),
        spec.getNames().getPlural(), !"Cluster".equals(spec.getScope()));
    custom.put(info.key(), info);
    if (schemas != null) {
      schemas.learnCrd(Json.tree(client.getKubernetesSerialization(), crd));
    }
  }

  /** A fabric8 context for {@code info}. */
  public static ResourceDefinitionContext context(KindInfo info) {
    return new ResourceDefinitionContext.Builder().withGroup(info.group())
        .withVersion(info.version()).withKind(info.kind()).withPlural(info.plural())
        .withNamespaced(info.namespaced()).build();
  }
}

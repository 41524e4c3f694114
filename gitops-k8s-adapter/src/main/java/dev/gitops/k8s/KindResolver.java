package dev.gitops.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds version, plural and scope of a kind: built-in kinds from a table, custom kinds from the
 * cluster's CustomResourceDefinition of that kind, fetched by name (a GET of one CRD, named by the
 * kind's usual plural, else by the plural discovery gives), whose schema it passes on to the
 * target's {@link SchemaSources}. Never a LIST of every CRD (each with its whole schema). A kind
 * once found is not asked again; a kind not found is asked again at the next lookup. Thread-safe.
 */
final class KindResolver {
  private final KubernetesClient client;
  private final SchemaSources schemas;
  private final Map<String, KindInfo> custom = new ConcurrentHashMap<>();

  /** A resolver over {@code client} that teaches {@code schemas} (or null) the CRDs it reads. */
  public KindResolver(KubernetesClient client, SchemaSources schemas) {
    this.client = client;
    this.schemas = schemas;
  }

  /** The kind, looking its CRD up when it is neither built in nor known yet. */
  public Optional<KindInfo> resolve(String group, String kind) {
    return find(group, kind, null);
  }

  private Optional<KindInfo> find(String group, String kind, String version) {
    Optional<KindInfo> known = known(group, kind);
    if (known.isPresent() || group.isEmpty()) {
      return known;
    }
    lookup(group, kind, version);
    return known(group, kind);
  }

  /**
   * Finds the CRD of {@code kind}: a GET of {@code <plural>.<group>} with the kind's usual plural;
   * when there is none, discovery ({@code /apis/<group>} for the preferred version unless
   * {@code version} is given, then {@code /apis/<group>/<version>}) names the plural, and a GET of
   * that CRD follows. At most four GETs, none of them a list of CRDs.
   */
  private void lookup(String group, String kind, String version) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    CustomResourceDefinition crd = crds.withName(KindInfo.pluralOf(kind) + "." + group).get();
    if (crd != null && crd.getSpec() != null && crd.getSpec().getNames() != null
        && kind.equals(crd.getSpec().getNames().getKind())) {
      learn(crd);
      return;
    }
    String base = Urls.base(client) + "/apis/" + group;
    if (version == null) {
      String groupBody = client.raw(base);
      com.fasterxml.jackson.databind.JsonNode api = groupBody == null ? null : Json.parse(groupBody);
      if (api == null || !"APIGroup".equals(api.path("kind").asText())) {
        return;
      }
      version = api.path("preferredVersion").path("version").asText(null);
    }
    String body = version == null ? null : client.raw(base + "/" + version);
    for (var r : body == null ? Json.MAPPER.createArrayNode() : Json.parse(body).path("resources")) {
      if (kind.equals(r.path("kind").asText()) && !r.path("name").asText().contains("/")) {
        crd = crds.withName(r.path("name").asText() + "." + group).get();
        if (crd != null) {
          learn(crd);
        } else { // discovery alone: no schema
          KindInfo info = new KindInfo(group, version, kind, r.path("name").asText(),
              r.path("namespaced").asBoolean(true));
          custom.put(info.key(), info);
        }
        return;
      }
    }
  }

  /**
   * Forgets a custom kind found before (its CRD may serve another version now): the next lookup
   * asks the cluster again. Built-in kinds stay.
   */
  public void forget(String group, String kind) {
    custom.remove(KindInfo.key(group, kind));
  }

  /** The kind if built in or already known, without asking the cluster. */
  public Optional<KindInfo> known(String group, String kind) {
    KindInfo info = custom.get(KindInfo.key(group, kind));
    return info != null ? Optional.of(info) : BuiltinKinds.find(group, kind);
  }

  /** The kinds of {@code keys} ({@code group/Kind}) known without a request, in their order. */
  public java.util.List<KindInfo> known(java.util.Collection<String> keys) {
    java.util.List<KindInfo> out = new java.util.ArrayList<>();
    for (String key : keys) {
      known(key.substring(0, key.indexOf('/')), key.substring(key.indexOf('/') + 1)).ifPresent(out::add);
    }
    return out;
  }

  /** The kind at the given version (from a manifest's {@code apiVersion}). */
  public Optional<KindInfo> resolve(String apiVersion, String group, String kind) {
    return find(group, kind, KindInfo.versionOf(apiVersion)).map(k -> new KindInfo(k.group(), KindInfo.versionOf(apiVersion),
        k.kind(), k.plural(), k.namespaced()));
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

  /**
   * fabric8's model class of {@code info}'s kind, or null when it has none or when the class names
   * another resource (plural, group, version or scope) than the server's discovery does.
   */
  static Class<? extends HasMetadata> modelClass(KubernetesClient client, KindInfo info) {
    Class<? extends KubernetesResource> c = client.getKubernetesSerialization()
        .getRegisteredKubernetesResource(info.apiVersion(), info.kind());
    if (c == null || c == GenericKubernetesResource.class || !HasMetadata.class.isAssignableFrom(c)) {
      return null;
    }
    Class<? extends HasMetadata> model = c.asSubclass(HasMetadata.class);
    boolean same = info.plural().equals(HasMetadata.getPlural(model))
        && info.group().equals(java.util.Objects.requireNonNullElse(HasMetadata.getGroup(model), ""))
        && info.version().equals(HasMetadata.getVersion(model))
        && info.namespaced() == Namespaced.class.isAssignableFrom(model);
    return same ? model : null;
  }
}

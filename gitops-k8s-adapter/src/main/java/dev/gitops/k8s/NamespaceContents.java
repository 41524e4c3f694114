package dev.gitops.k8s;

import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What deleting a Namespace would take with it. The API server deletes everything a Namespace
 * holds with it, whoever made it: a prune of an owned Namespace that left Git would delete objects
 * gitops does not own (a claim with its data, another team's Secret, a custom resource of an
 * operator), and objects of this owner still desired elsewhere in Git. So before such a delete the
 * writer lists, kind by kind as discovery names them, what the Namespace still holds, and refuses
 * while anything is there but what goes anyway: objects a controller owns
 * ({@code ownerReferences}: they go with their owners), objects already being deleted, and what
 * the server makes in every Namespace ({@code ConfigMap/kube-root-ca.crt},
 * {@code ServiceAccount/default}, service account token Secrets, Events, Endpoints, Leases, metrics).
 * A Namespace annotated {@value #PRUNE_CONTENTS}{@code : "true"} is deleted as it is. A server
 * without discovery (the fabric8 mock) cannot be asked, and is not. Stateless but for its client;
 * thread-safe.
 */
final class NamespaceContents {
  /** Annotation {@code "true"} on a Namespace: pruning it may delete whatever it holds. */
  static final String PRUNE_CONTENTS = "gitops.dev/prune-contents";
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceContents.class);
  /** Groups whose objects are made and unmade by the cluster, not by anyone's choice. */
  private static final Set<String> DERIVED_GROUPS = Set.of("events.k8s.io", "metrics.k8s.io",
      "custom.metrics.k8s.io", "external.metrics.k8s.io", "coordination.k8s.io");
  /** Core resources of the same sort. */
  private static final Set<String> DERIVED_CORE = Set.of("events", "endpoints");
  /** The objects the server makes in every Namespace, by {@code Kind/name}. */
  private static final Set<String> MADE_BY_SERVER = Set.of("ConfigMap/kube-root-ca.crt",
      "ServiceAccount/default");
  private static final int SHOWN = 10;

  private final KubernetesClient client;

  NamespaceContents(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Refuses to delete the Namespace {@code id} while it holds what the delete would take with it
   * and nothing deletes anyway, unless it is annotated {@value #PRUNE_CONTENTS}{@code : "true"}.
   *
   * @throws TargetException naming what it holds
   */
  void guard(ResourceId id) {
    var namespace = client.namespaces().withName(id.name()).get();
    var annotations = namespace == null ? null : namespace.getMetadata().getAnnotations();
    if (namespace == null || annotations != null && "true".equals(annotations.get(PRUNE_CONTENTS))) {
      return;
    }
    String refusal = refusal(id.name());
    if (refusal != null) {
      throw new TargetException(id, refusal);
    }
  }

  /**
   * Why deleting the Namespace {@code namespace} must wait, or null when nothing it holds would go
   * with it that is not going anyway.
   */
  String refusal(String namespace) {
    List<String> held = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<ResourceDefinitionContext, String> kind : kinds(unknown).entrySet()) {
      try {
        var list = client.genericKubernetesResources(kind.getKey()).inNamespace(namespace)
            .list(new ListOptionsBuilder().withLimit(100L).build());
        for (GenericKubernetesResource item : list.getItems()) {
          if (stays(kind.getValue(), item)) {
            held.add(kind.getValue() + "/" + item.getMetadata().getName());
          }
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404 && e.getCode() != 405) {
          unknown.add(kind.getValue() + " (" + e.getCode() + ")");
        }
      }
    }
    if (held.isEmpty() && unknown.isEmpty()) {
      return null;
    }
    String what = held.isEmpty() ? "" : "it holds what gitops does not delete, which would go with it: "
        + String.join(", ", held.subList(0, Math.min(SHOWN, held.size())))
        + (held.size() > SHOWN ? " and " + (held.size() - SHOWN) + " more" : "");
    String blind = unknown.isEmpty() ? "" : (what.isEmpty() ? "" : "; ") + "what it holds cannot be listed: "
        + String.join(", ", unknown);
    return "refused to delete the Namespace: " + what + blind + (held.isEmpty() ? "; annotate" : "; delete or"
        + " move them first, or annotate") + " the Namespace " + PRUNE_CONTENTS + ": \"true\" to delete it with"
        + " whatever it holds";
  }

  /** True when {@code item}, of kind {@code kind}, would be deleted with its Namespace and is not going anyway. */
  private static boolean stays(String kind, GenericKubernetesResource item) {
    var meta = item.getMetadata();
    if (meta == null || meta.getDeletionTimestamp() != null
        || meta.getOwnerReferences() != null && !meta.getOwnerReferences().isEmpty()
        || MADE_BY_SERVER.contains(kind + "/" + meta.getName())) {
      return false;
    }
    return !("Secret".equals(kind) && "kubernetes.io/service-account-token".equals(item.get("type")));
  }

  /**
   * The namespaced kinds that can be listed, as discovery names them (preferred versions); empty
   * without discovery; what discovery would not tell is added to {@code unknown}.
   */
  private Map<ResourceDefinitionContext, String> kinds(List<String> unknown) {
    Map<ResourceDefinitionContext, String> out = new java.util.LinkedHashMap<>();
    APIResourceList core;
    try {
      core = client.getApiResources("v1");
    } catch (KubernetesClientException e) {
      core = null;
    }
    if (core == null) {
      LOG.warn("the server serves no API discovery: what a Namespace holds cannot be listed before it is deleted");
      return out;
    }
    add(out, "", "v1", core, DERIVED_CORE);
    APIGroupList groups;
    try {
      groups = client.getApiGroups();
    } catch (KubernetesClientException e) {
      unknown.add("API groups (" + e.getCode() + ")");
      return out;
    }
    for (APIGroup group : groups == null ? List.<APIGroup>of() : groups.getGroups()) {
      if (DERIVED_GROUPS.contains(group.getName()) || group.getPreferredVersion() == null) {
        continue;
      }
      String version = group.getPreferredVersion().getVersion();
      try {
        APIResourceList resources = client.getApiResources(group.getName() + "/" + version);
        if (resources != null) {
          add(out, group.getName(), version, resources, Set.of());
        }
      } catch (KubernetesClientException e) {
        unknown.add(group.getName() + "/" + version + " (" + e.getCode() + ")");
      }
    }
    return out;
  }

  private static void add(Map<ResourceDefinitionContext, String> out, String group, String version,
                          APIResourceList list, Set<String> skipped) {
    Set<String> seen = new TreeSet<>();
    for (APIResource r : list.getResources()) {
      if (r.getName().contains("/") || !Boolean.TRUE.equals(r.getNamespaced()) || skipped.contains(r.getName())
          || r.getVerbs() == null || !r.getVerbs().contains("list") || !seen.add(r.getName())) {
        continue;
      }
      out.put(new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
          .withPlural(r.getName()).withKind(r.getKind()).withNamespaced(true).build(), r.getKind());
    }
  }
}

package dev.gitops.k8s;

import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API versions of built-in kinds that Kubernetes stopped serving (from its deprecated API
 * migration guide): a manifest still written against one ({@code batch/v1beta1} CronJob,
 * {@code extensions/v1beta1} Ingress, {@code policy/v1beta1} PodDisruptionBudget, ...) is refused
 * by the API server with a 404 at the write of its wave, after the earlier waves were written. So
 * the target refuses it before the first write, naming file, line, resource, the release that
 * removed it and the apiVersion to use instead; only when the cluster's release (its
 * {@code /version}, read when a desired object needs it) no longer serves it: an older cluster
 * that still does is left alone. The release is read again once it is older than
 * {@link #REREAD} (an agent outlives the cluster's upgrades), and a minute after it could not be
 * read. When the release cannot be read, the cluster is taken to be at least
 * {@value #ASSUMED_MINOR} (1.30, the oldest release this library is tested for).
 * The loader itself loads such manifests: what a cluster serves is the cluster's to say.
 * Thread-safe.
 */
final class RemovedApis {
  private static final Logger LOG = LoggerFactory.getLogger(RemovedApis.class);
  /** The minor release assumed when the cluster's cannot be read. */
  static final int ASSUMED_MINOR = 30;
  private static final Pattern MINOR = Pattern.compile("(\\d+)");
  /** {@code apiVersion/Kind} to the minor release that removed it and the apiVersion to use (or null). */
  private static final Map<String, Removal> TABLE = table();

  /** How long a release read stands before it is read again: 10 minutes. */
  static final Duration REREAD = Duration.ofMinutes(10);
  /** How long a release that could not be read is taken as {@link #ASSUMED_MINOR}: 1 minute. */
  static final Duration RETRY = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final Clock clock;
  /** The cluster's minor release as last read (negative when it could not be), or null. */
  private volatile Known known;

  /** The cluster's minor release ({@code -}{@link #ASSUMED_MINOR} when unreadable) and until when it stands. */
  private record Known(int minor, Instant until) {}

  /** A check against the release of the cluster behind {@code client}. */
  RemovedApis(KubernetesClient client) {
    this(client, Clock.systemUTC());
  }

  /** The same, its re-reads timed by {@code clock}. */
  RemovedApis(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** What the table says of one API version of a kind. */
  record Removal(int minor, String use) {}

  /** The objects of {@code desired} written against an API version their cluster no longer serves, as problems. */
  List<Problem> problems(DesiredState desired) {
    List<Problem> problems = new ArrayList<>();
    for (Resource r : desired.resources()) {
      if (!(r.content() instanceof Content.Tree tree)) {
        continue;
      }
      String apiVersion = tree.node().path("apiVersion").asText();
      Removal removal = removal(apiVersion, r.id().kind());
      int at = removal == null ? 0 : clusterMinor();
      if (removal != null && Math.abs(at) >= removal.minor()) {
        problems.add(Problem.at(r.origin(), r.id(), message(apiVersion, removal, at)));
      }
    }
    return problems;
  }

  /**
   * The refusal of {@code apiVersion}, removed as {@code removal} says, on a cluster of minor
   * release {@code at} (negative: not known, taken as its absolute value).
   */
  static String message(String apiVersion, Removal removal, int at) {
    return "apiVersion " + apiVersion + " is no longer served (removed in Kubernetes 1." + removal.minor()
        + (at < 0 ? "; the cluster's release is unknown, taken as 1." + -at : "; the cluster runs 1." + at)
        + "): " + (removal.use() == null ? "the kind is gone, with no successor" : "use apiVersion " + removal.use());
  }

  /**
   * The minor release of the cluster, read when the last reading is older than {@link #REREAD}
   * ({@link #RETRY} when it failed); -{@link #ASSUMED_MINOR} when it cannot be read.
   */
  private int clusterMinor() {
    Known k = known;
    Instant now = clock.instant();
    if (k == null || !now.isBefore(k.until())) {
      int found = -ASSUMED_MINOR;
      try {
        var version = client.getKubernetesVersion();
        Matcher digits = version == null ? null : MINOR.matcher(String.valueOf(version.getMinor()));
        if (digits != null && digits.find() && "1".equals(version.getMajor())) {
          found = Integer.parseInt(digits.group(1));
        }
      } catch (RuntimeException e) {
        LOG.debug("the cluster's release cannot be read ({}): taken as 1.{}", e.toString(), ASSUMED_MINOR);
      }
      known = k = new Known(found, now.plus(found < 0 ? RETRY : REREAD));
    }
    return k.minor();
  }

  /** The removal of {@code apiVersion} for {@code kind}, or null when Kubernetes still serves it (or never had it). */
  static Removal removal(String apiVersion, String kind) {
    return TABLE.get(apiVersion + "/" + kind);
  }

  /** Every removal, keyed {@code apiVersion/Kind}. */
  static Map<String, Removal> entries() {
    return TABLE;
  }

  private static Map<String, Removal> table() {
    Map<String, Removal> t = new HashMap<>();
    for (String kind : List.of("Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "ControllerRevision")) {
      for (String v : List.of("apps/v1beta1", "apps/v1beta2", "extensions/v1beta1")) {
        t.put(v + "/" + kind, new Removal(16, "apps/v1"));
      }
    }
    t.put("extensions/v1beta1/NetworkPolicy", new Removal(16, "networking.k8s.io/v1"));
    t.put("extensions/v1beta1/PodSecurityPolicy", new Removal(16, null));
    t.put("extensions/v1beta1/Ingress", new Removal(22, "networking.k8s.io/v1"));
    add(t, 22, "networking.k8s.io/v1beta1", "networking.k8s.io/v1", "Ingress", "IngressClass");
    add(t, 22, "admissionregistration.k8s.io/v1beta1", "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");
    add(t, 22, "apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1", "CustomResourceDefinition");
    add(t, 22, "apiregistration.k8s.io/v1beta1", "apiregistration.k8s.io/v1", "APIService");
    add(t, 22, "certificates.k8s.io/v1beta1", "certificates.k8s.io/v1", "CertificateSigningRequest");
    add(t, 22, "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1", "Lease");
    for (String v : List.of("rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1")) {
      add(t, 22, v, "rbac.authorization.k8s.io/v1", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
    }
    for (String v : List.of("scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1alpha1")) {
      add(t, 22, v, "scheduling.k8s.io/v1", "PriorityClass");
    }
    add(t, 22, "storage.k8s.io/v1beta1", "storage.k8s.io/v1", "CSIDriver", "CSINode", "StorageClass",
        "VolumeAttachment");
    add(t, 25, "batch/v1beta1", "batch/v1", "CronJob");
    add(t, 25, "discovery.k8s.io/v1beta1", "discovery.k8s.io/v1", "EndpointSlice");
    add(t, 25, "events.k8s.io/v1beta1", "events.k8s.io/v1", "Event");
    add(t, 25, "autoscaling/v2beta1", "autoscaling/v2", "HorizontalPodAutoscaler");
    add(t, 25, "policy/v1beta1", "policy/v1", "PodDisruptionBudget");
    t.put("policy/v1beta1/PodSecurityPolicy", new Removal(25, null));
    add(t, 25, "node.k8s.io/v1beta1", "node.k8s.io/v1", "RuntimeClass");
    add(t, 26, "autoscaling/v2beta2", "autoscaling/v2", "HorizontalPodAutoscaler");
    add(t, 26, "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1", "FlowSchema",
        "PriorityLevelConfiguration");
    add(t, 27, "storage.k8s.io/v1beta1", "storage.k8s.io/v1", "CSIStorageCapacity");
    add(t, 29, "flowcontrol.apiserver.k8s.io/v1beta2", "flowcontrol.apiserver.k8s.io/v1", "FlowSchema",
        "PriorityLevelConfiguration");
    add(t, 32, "flowcontrol.apiserver.k8s.io/v1beta3", "flowcontrol.apiserver.k8s.io/v1", "FlowSchema",
        "PriorityLevelConfiguration");
    return Map.copyOf(t);
  }

  private static void add(Map<String, Removal> t, int minor, String apiVersion, String use, String... kinds) {
    for (String kind : kinds) {
      t.put(apiVersion + "/" + kind, new Removal(minor, use));
    }
  }
}

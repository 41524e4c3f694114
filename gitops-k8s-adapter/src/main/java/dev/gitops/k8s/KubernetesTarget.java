package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.PathRule;
import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.PlanOptions;
import dev.gitops.target.DeployHistory;
import dev.gitops.target.Scope;
import dev.gitops.target.Lockable;
import dev.gitops.target.Target;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes cluster as a {@link Target}, on a fabric8 {@link KubernetesClient} (kubeconfig,
 * context or in-cluster: fabric8 does the configuration).
 *
 * <p><b>Read</b>: from a {@link ClusterCache} when built on one, else one LIST per kind, filtered
 * by the label {@value #OWNER_LABEL}{@code =<owner>}, over the kinds of the scope's ids, the kinds in
 * {@link Options#kinds()} and the kinds this target has seen owned objects of; plus, for desired ids
 * that are not owned (the adoption check), a GET each — or one unfiltered LIST of their kind when
 * there are more than a few; through a {@link ClusterCache}, only for the ids the cache knows to
 * exist (none on a cold start). Never one GET per owned object. A custom kind is resolved by a GET
 * of its CRD (by name), once. A kind with no owned object left, and no desired id, is forgotten.
 *
 * <p><b>Write</b>: everything applied carries the labels {@value #MANAGED_BY_LABEL}{@code =gitops}
 * (unless the manifest sets its own value, which is kept) and {@value #OWNER_LABEL}{@code =<owner>}. {@link ApplyStrategy#SERVER_SIDE} (default) or
 * {@link ApplyStrategy#JSON_PATCH}; fields selected by {@link Options#ignore()} are never written.
 * Deletes use the configured propagation policy (background by default). A dry-run target sends
 * every write with {@code dryRun=All}. A moved object answers 409 and becomes a
 * {@link dev.gitops.target.StaleResourceException}.
 *
 * <p><b>Health</b>: see {@link #health(ResourceId)}. Handlers ({@code run} steps) are not supported.
 * <b>Lock</b> ({@link Lockable}): a Lease per owner for push deploys and pull agents, see
 * {@link #lockable(String)}, and one for the whole cluster, {@link #lock}. <b>Deploy history</b>:
 * a ConfigMap, see {@link #deployHistory()}. Thread-safe: the applier may apply the steps of one
 * wave in parallel.
 *
 * <pre>{@code
 * Target cluster = KubernetesTarget.of(new KubernetesClientBuilder().build(),
 *     KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH)
 *         .ignoring(PathRule.forKind("Deployment", "/spec/replicas")));   // an autoscaler's
 * Reconciler web = Reconciler.builder().name("web").source(source).loader(new ManifestLoader())
 *     .target(cluster).build();                  // plans with cluster.planDefaults()
 * }</pre>
 */
public final class KubernetesTarget implements Target, Lockable {
  /** Label naming the reconciler that owns an object. */
  public static final String OWNER_LABEL = Labels.OWNER;
  /** Label set to {@code gitops} on everything the library applies. */
  public static final String MANAGED_BY_LABEL = Labels.MANAGED_BY;
  /** Annotation recording what {@link ApplyStrategy#JSON_PATCH} applied last (gzip, base64). */
  public static final String APPLIED_ANNOTATION = Labels.APPLIED;
  /** The Lease that {@link #lock} takes. */
  public static final String LOCK_LEASE = "gitops-target-lock";
  /** The ConfigMap that keeps the push-deploy history. */
  public static final String HISTORY_CONFIG_MAP = "gitops-deploy-history";
  /** The server-side apply field manager. */
  public static final String FIELD_MANAGER = Labels.FIELD_MANAGER;

  private final KubernetesClient client;
  private final Options options;
  private final CheckedCluster cluster;
  private final ClusterParts parts;

  private KubernetesTarget(KubernetesClient client, Options options, WatchCache watch,
                           ClusterParts.Shared shared) {
    this.options = Objects.requireNonNull(options, "options");
    this.client = BoundedHttp.client(Objects.requireNonNull(client, "client"), options.callTimeout());
    this.cluster = CheckedCluster.of(this.client, options, watch,
        shared != null ? shared : ClusterParts.Shared.of(this.client), describe());
    this.parts = cluster.parts();
  }

  /**
   * What this target knows of its cluster's kinds, for {@link KubernetesDiff#options(KubernetesSchema,
   * PathRule...)}: the built-in table, the server's OpenAPI v3 (read once, when a read first meets
   * a built-in group version, if the server serves it), the CustomResourceDefinitions it reads from
   * the cluster and those it applies. It keeps learning as the target reads and writes; its
   * {@link #planDefaults()} plan with it. The targets on one {@link ClusterCache} share it.
   *
   * @return this target's schema
   */
  public KubernetesSchema schema() {
    return parts.schema();
  }

  /**
   * What {@link #read} makes of one object as the API server returns it (an item of
   * {@code kubectl get -o json}, say): the content compared, without {@code status}, with only the
   * other managers' entries of {@code managedFields} (trimmed), without this library's last-applied
   * annotation; as what was applied last, the fields the manager {@code gitops} owns by server-side
   * apply if it owns any, else the annotation decoded; the owner from {@value #OWNER_LABEL}; the
   * {@code resourceVersion}. A field {@code gitops}'s entry still owns that the object lacks (the
   * server dropped it) is marked so in what was applied last, and the diff hides it as
   * {@code dropped by the server}. Lets tools and tests plan against a dump of a cluster. The object
   * is not changed.
   *
   * @param live an object with {@code apiVersion}, {@code kind} and {@code metadata.name}
   * @return the observation: content, owner, version and last-applied content
   */
  public static Observed observed(ObjectNode live) {
    return LiveObservation.observe(live);
  }

  /**
   * What a target writing with {@code strategy} makes of one object as the API server returns it:
   * as {@link #observed(ObjectNode)} for {@link ApplyStrategy#SERVER_SIDE}; for
   * {@link ApplyStrategy#JSON_PATCH} what was applied last is this library's last-applied annotation
   * (a {@code gitops} Apply entry left from before a switch of strategy is not read, as the target's
   * patch does not read it), or on an object nobody owns without one what plain {@code kubectl apply}
   * recorded. A plan made from a dump then shows what that target would plan.
   *
   * @param live an object with {@code apiVersion}, {@code kind} and {@code metadata.name}
   * @param strategy the strategy of the target the plan is for
   * @return the observation: content, owner, version and last-applied content
   */
  public static Observed observed(ObjectNode live, ApplyStrategy strategy) {
    return LiveObservation.observe(live, strategy);
  }

  /**
   * A target with {@link Options#defaults()}.
   *
   * @param client the cluster to converge, with the credentials to write it; not closed by the target
   * @return the target; nothing is sent to the cluster yet
   */
  public static KubernetesTarget of(KubernetesClient client) {
    return new KubernetesTarget(client, Options.defaults(), null, null);
  }

  /**
   * A target with {@code options}.
   *
   * @param client the cluster to converge, with the credentials to write it; not closed by the target
   * @param options how the target writes (strategy, force, dry run, propagation, ignored fields)
   * @return the target; nothing is sent to the cluster yet
   */
  public static KubernetesTarget of(KubernetesClient client, Options options) {
    return new KubernetesTarget(client, options, null, null);
  }

  /**
   * A target that reads through {@code cache} (once synced, without a request) and writes through
   * the cache's client.
   *
   * @param cache the cluster's cache, shared by the targets of every reconciler of that cluster
   * @param options how the target writes
   * @return the target; nothing is sent to the cluster yet */
  public static KubernetesTarget of(ClusterCache cache, Options options) {
    Duration limit = Objects.requireNonNull(options, "options").callTimeout();
    return new KubernetesTarget(cache.bounded(limit), options, cache.internal(), cache.shared());
  }

  /** {@return the options this target writes with} */
  public Options options() {
    return options;
  }

  /** @throws dev.gitops.target.TargetException when the cluster cannot be read */
  @Override
  public ActualState read(Scope scope) {
    return parts.reader().read(scope);
  }

  /**
   * As {@link #read(Scope)}, once {@code desired} names none of the objects this target keeps in
   * {@link Options#inventoryNamespace()} ({@code gitops-kinds-*}, {@value #HISTORY_CONFIG_MAP},
   * {@value #LOCK_LEASE}, {@code gitops-lock-*}, {@code gitops-shard-*}; a step on one is refused
   * too) and nothing a cluster would refuse half way through an apply ({@link DesiredChecks}): an API
   * version it no longer serves, a duplicate list key, a custom resource its CRD refuses, a changed immutable field.
   * Under server-side apply, an owned object whose only changes remove what live has inside atomic
   * values is dry-run applied once per version: what admission puts back is no drift. A field Git
   * sets that the server drops from every write is warned of once ({@link DropWarnings}).
   * @throws dev.gitops.model.InvalidDesiredStateException naming each with file, line and field
   */
  @Override
  public ActualState read(Scope scope, DesiredState desired) {
    return cluster.read(scope, desired);
  }

  /** From the {@link ClusterCache} when built on one and it vouches for every kind read, else empty. */
  @Override
  public Optional<String> stateToken(Scope scope) {
    return parts.reader().token(scope);
  }

  /**
   * Performs one step; see {@link #applyWithDetail}.
   *
   * @throws dev.gitops.target.StaleResourceException when the object moved since the plan (409)
   * @throws FieldConflictException when server-side apply meets fields of another manager
   * @throws dev.gitops.target.TargetException for other failures, retryable for 5xx and timeouts
   *     (with the wait the server asked for, if any); not retryable when the lock was lost
   */
  @Override
  public void apply(Action action, String owner) {
    applyWithDetail(action, owner);
  }

  /**
   * Performs one step. A write whose outcome is unknown (no answer after the request went out, or
   * 500, 502, 504) is read back once: done when the object holds what it sent, the detail saying
   * so, else failed with what was read. Writes nothing for an owner whose lock this target lost.
   */
  @Override
  public String applyWithDetail(Action action, String owner) {
    return cluster.apply(action, owner);
  }

  /**
   * True with {@link ApplyStrategy#JSON_PATCH} and background deletes: every write carries the
   * planned {@code resourceVersion} (or, for creates, fails when the object exists), so the API
   * server refuses a step whose object moved, and the applier need not re-read before each wave.
   * Server-side apply cannot refuse a create of an object that appeared meanwhile, and fabric8
   * cannot send a delete precondition with another propagation policy: then false.
   */
  @Override
  public boolean checksPreconditions() {
    return options.strategy() == ApplyStrategy.JSON_PATCH
        && options.propagation() == DeletionPropagation.BACKGROUND;
  }

  /**
   * The object's health: Deployment (observed generation, updated and available replicas),
   * StatefulSet, DaemonSet, ReplicaSet, Job (complete or failed), Pod, PersistentVolumeClaim (bound),
   * Service of type LoadBalancer (an ingress address), CustomResourceDefinition (Established),
   * Namespace (Active), and any object with a {@code Ready} condition; else healthy. The first call
   * after a write judges the object the write returned, later calls GET it.
   */
  @Override
  public dev.gitops.target.Health health(ResourceId id) {
    return HealthRules.of(id, parts.cache().forHealth(id, () -> parts.reader().get(id)));
  }

  /**
   * Takes the whole cluster's lock: a Lease {@value #LOCK_LEASE} in
   * {@link Options#inventoryNamespace()}, held by {@code holder} (with machine and process id) and
   * renewed by it every 20 s while held ({@code leaseDurationSeconds: 60}). It is taken over when its
   * holder is provably gone, or when it ran out: nobody wrote it for 60 s as this target watched it
   * by its own clock (never by the times in the Lease, which the holder's clock wrote), so a killed
   * holder's lock is taken over whatever {@code staleAfter} says, and a live holder's never, however
   * far the clocks are apart. A taker that first sees a Lease that ran out by its own times (or names
   * no holder: made by hand) watches it for up to 60 s before taking it over. A lock of an older
   * gitops, which did not renew, is taken over once older than {@code staleAfter}, as before. Push
   * deploys and pull agents take their owner's lock instead ({@link #lockable(String)}).
   *
   * @throws dev.gitops.target.LockedException naming the holder and since when
   */
  @Override
  public Lock lock(String holder, java.time.Duration staleAfter) {
    return parts.clusterLock().lock(holder, staleAfter);
  }

  /** Who holds the cluster's Lease now; empty when it is free. */
  @Override
  public java.util.Optional<Holder> lockedBy() {
    return parts.clusterLock().lockedBy();
  }

  /** Deletes the cluster's Lease whoever holds it; returns who did. */
  @Override
  public java.util.Optional<Holder> forceUnlock() {
    return parts.clusterLock().forceUnlock();
  }

  /**
   * The lock of what {@code owner} writes, which push deploys and pull agents take: a Lease
   * {@code gitops-lock-<owner>} (lower case) in {@link Options#inventoryNamespace()}, as
   * {@link #lock} does it. Owners own disjoint objects (the label {@value #OWNER_LABEL}), so the
   * reconcilers of different owners on one cluster never wait for each other.
   */
  @Override
  public Optional<Lockable> lockable(String owner) {
    return Optional.of(parts.clusterLock().owner(owner));
  }

  /**
   * Plans for a cluster: {@link KubernetesDiff#options(KubernetesSchema, PathRule...)} with this
   * target's {@link #schema()} and its {@link Options#ignore()} rules (so a field given once, to {@link Options#ignoring}, is neither
   * written nor drift), and {@link KubernetesKinds#order()}. One value for the target's life.
   *
   * @return the plan options for this cluster
   */
  @Override
  public PlanOptions planDefaults() {
    return parts.planDefaults();
  }

  /**
   * The push-deploy history, kept on the cluster: a ConfigMap {@value #HISTORY_CONFIG_MAP} in
   * {@link Options#inventoryNamespace()}, so every deployer sees the same record. Empty for a
   * dry-run target (which persists nothing): a deployer then keeps its own.
   *
   * @return the history, empty for a dry-run target
   */
  @Override
  public Optional<DeployHistory> deployHistory() {
    return options.dryRun() ? Optional.empty() : Optional.of(parts.history());
  }

  @Override
  public String describe() {
    return "kubernetes:" + client.getMasterUrl();
  }

  /**
   * How the target writes.
   *
   * @param strategy server-side apply or three-way JSON Patch
   * @param force server-side apply takes fields over from other managers
   * @param dryRun every write is sent with {@code dryRun=All} (the server validates, persists nothing)
   * @param propagation how deletes treat dependents
   * @param ignore fields never written and never drift (the target's {@link #planDefaults()}
   *     ignore them)
   * @param kinds further kinds to list when reading ({@code apps/Deployment}, {@code ConfigMap}),
   *     beside those of the desired state and the owner's kind inventory
   * @param inventoryNamespace where the owner's kind inventory lives: a ConfigMap
   *     {@code gitops-kinds-<owner>} listing every kind the owner ever created objects of, so that
   *     a restarted agent still finds (and prunes) kinds that left the desired state
   * @param callTimeout the longest one request to the API server may take, its whole answer read
   *     and fabric8's retries included (its {@code requestTimeout} bounds each wait for bytes only);
   *     watches are not bounded
   * @param etcdMaxRequestBytes the cluster's etcd {@code --max-request-bytes}: a desired object
   *     certainly larger as stored is refused before the first write; 0 for
   *     no such check
   */
  public record Options(ApplyStrategy strategy, boolean force, boolean dryRun,
                        DeletionPropagation propagation, List<PathRule> ignore, List<String> kinds,
                        String inventoryNamespace, Duration callTimeout, long etcdMaxRequestBytes) {
    /** The default {@link #callTimeout()}: 2 minutes. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(2);
    /** The default {@link #etcdMaxRequestBytes()}: etcd's own default, 1.5 MiB. */
    public static final long DEFAULT_ETCD_MAX_REQUEST_BYTES = ObjectSizes.ETCD_DEFAULT;

    /**
     * Validates and copies.
     *
     * @param strategy server-side apply or three-way JSON Patch; not null
     * @param force take fields over from other managers (server-side apply)
     * @param dryRun send every write with {@code dryRun=All}
     * @param propagation how deletes treat dependents; not null
     * @param ignore fields never written; copied
     * @param kinds further kinds to list when reading; copied
     * @param inventoryNamespace namespace of the owner's kind inventory; not null
     * @param callTimeout the longest one request may take; positive
     * @param etcdMaxRequestBytes the cluster's etcd {@code --max-request-bytes}; 0 for no check, not negative
     */
    public Options {
      Objects.requireNonNull(strategy, "strategy");
      Objects.requireNonNull(propagation, "propagation");
      ignore = List.copyOf(ignore);
      kinds = List.copyOf(kinds);
      Objects.requireNonNull(inventoryNamespace, "inventoryNamespace");
      if (Objects.requireNonNull(callTimeout, "callTimeout").isZero() || callTimeout.isNegative()) {
        throw new IllegalArgumentException("callTimeout must be positive: " + callTimeout);
      }
      if (etcdMaxRequestBytes < 0) {
        throw new IllegalArgumentException("etcdMaxRequestBytes must not be negative: " + etcdMaxRequestBytes);
      }
    }

    /**
     * The options as of before {@code etcdMaxRequestBytes} (kept for callers of that constructor),
     * with {@link #DEFAULT_ETCD_MAX_REQUEST_BYTES}.
     *
     * @param strategy server-side apply or three-way JSON Patch; not null
     * @param force take fields over from other managers (server-side apply)
     * @param dryRun send every write with {@code dryRun=All}
     * @param propagation how deletes treat dependents; not null
     * @param ignore fields never written; copied
     * @param kinds further kinds to list when reading; copied
     * @param inventoryNamespace namespace of the owner's kind inventory; not null
     * @param callTimeout the longest one request may take; positive
     */
    public Options(ApplyStrategy strategy, boolean force, boolean dryRun, DeletionPropagation propagation,
                   List<PathRule> ignore, List<String> kinds, String inventoryNamespace, Duration callTimeout) {
      this(strategy, force, dryRun, propagation, ignore, kinds, inventoryNamespace, callTimeout,
          DEFAULT_ETCD_MAX_REQUEST_BYTES);
    }

    /**
     * The options as of before {@code callTimeout} (kept for callers of that constructor), requests
     * bounded by {@link #DEFAULT_CALL_TIMEOUT}.
     *
     * @param strategy server-side apply or three-way JSON Patch; not null
     * @param force take fields over from other managers (server-side apply)
     * @param dryRun send every write with {@code dryRun=All}
     * @param propagation how deletes treat dependents; not null
     * @param ignore fields never written; copied
     * @param kinds further kinds to list when reading; copied
     * @param inventoryNamespace namespace of the owner's kind inventory; not null
     */
    public Options(ApplyStrategy strategy, boolean force, boolean dryRun, DeletionPropagation propagation,
                   List<PathRule> ignore, List<String> kinds, String inventoryNamespace) {
      this(strategy, force, dryRun, propagation, ignore, kinds, inventoryNamespace, DEFAULT_CALL_TIMEOUT);
    }

    /**
     * Server-side apply, no force, no dry run, background propagation, nothing ignored, kind
     * inventory in namespace {@code default}, requests bounded by {@link #DEFAULT_CALL_TIMEOUT}.
     *
     * @return the defaults
     */
    public static Options defaults() {
      return new Options(ApplyStrategy.SERVER_SIDE, false, false, DeletionPropagation.BACKGROUND,
          List.of(), List.of(), "default", DEFAULT_CALL_TIMEOUT, DEFAULT_ETCD_MAX_REQUEST_BYTES);
    }

    /**
     * With the kind inventory in another namespace (the agent's own, typically).
     *
     * @param namespace an existing namespace the agent may write ConfigMaps in
     * @return a copy with the namespace replaced
     */
    public Options withInventoryNamespace(String namespace) {
      return new Options(strategy, force, dryRun, propagation, ignore, kinds, namespace, callTimeout, etcdMaxRequestBytes);
    }

    /**
     * With another strategy.
     *
     * @param s {@code SERVER_SIDE} (fields owned by manager {@code gitops}) or the three-way patch
     * @return a copy with the strategy replaced
     */
    public Options withStrategy(ApplyStrategy s) {
      return new Options(s, force, dryRun, propagation, ignore, kinds, inventoryNamespace, callTimeout, etcdMaxRequestBytes);
    }

    /**
     * With force on or off.
     *
     * @param on true to take conflicting fields over from other managers instead of failing with
     *     a {@link FieldConflictException}
     * @return a copy with force set
     */
    public Options withForce(boolean on) {
      return new Options(strategy, on, dryRun, propagation, ignore, kinds, inventoryNamespace, callTimeout, etcdMaxRequestBytes);
    }

    /**
     * With server-side dry run on or off.
     *
     * @param on true to have the server validate every write and persist nothing
     * @return a copy with dry run set
     */
    public Options withDryRun(boolean on) {
      return new Options(strategy, force, on, propagation, ignore, kinds, inventoryNamespace, callTimeout, etcdMaxRequestBytes);
    }

    /**
     * With another delete propagation policy.
     *
     * @param p {@code BACKGROUND}, {@code FOREGROUND} or {@code ORPHAN}, as Kubernetes defines them
     * @return a copy with the policy replaced
     */
    public Options withPropagation(DeletionPropagation p) {
      return new Options(strategy, force, dryRun, p, ignore, kinds, inventoryNamespace, callTimeout, etcdMaxRequestBytes);
    }

    /**
     * With more fields never written and never drift: give ignore rules here, once.
     *
     * @param rules the fields to ignore, added to those already given
     * @return a copy with the rules added
     */
    public Options ignoring(PathRule... rules) {
      List<PathRule> all = new java.util.ArrayList<>(ignore);
      all.addAll(List.of(rules));
      return new Options(strategy, force, dryRun, propagation, all, kinds, inventoryNamespace, callTimeout, etcdMaxRequestBytes);
    }

    /**
     * With more kinds to list on every read.
     *
     * @param groupKinds kinds as {@code group/Kind}, or {@code Kind} for the core group, e.g.
     *     {@code apps/Deployment}, {@code ConfigMap}; added to those present
     * @return a copy with the kinds added
     */
    public Options listing(String... groupKinds) {
      List<String> all = new java.util.ArrayList<>(kinds);
      all.addAll(List.of(groupKinds));
      return new Options(strategy, force, dryRun, propagation, ignore, all, inventoryNamespace, callTimeout, etcdMaxRequestBytes);
    }

    /**
     * With another bound on each request: past it the request is cancelled and the read or step
     * fails, retryable, naming the request ({@code GET /api/v1/...configmaps did not finish within
     * PT2M}).
     *
     * @param timeout positive
     * @return a copy with the bound replaced
     */
    public Options withCallTimeout(Duration timeout) {
      return new Options(strategy, force, dryRun, propagation, ignore, kinds, inventoryNamespace, timeout, etcdMaxRequestBytes);
    }

    /**
     * With the request limit of the cluster's etcd ({@code --max-request-bytes}), when it takes more
     * (or less) than its default 1.5 MiB: a desired object that etcd would refuse as too large
     * ("etcdserver: request is too large", after the earlier waves were written) is refused before
     * the first write, counted as stored ({@code README}: object sizes).
     *
     * @param bytes the limit; 0 for no such check (the API server's own 3 MiB is always checked)
     * @return a copy with the limit replaced
     */
    public Options withEtcdMaxRequestBytes(long bytes) {
      return new Options(strategy, force, dryRun, propagation, ignore, kinds, inventoryNamespace, callTimeout, bytes);
    }
  }
}

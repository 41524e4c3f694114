package dev.gitops.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A watch-fed cache of a cluster's owned objects, shared by every {@link KubernetesTarget} built
 * on it ({@link KubernetesTarget#of(ClusterCache, KubernetesTarget.Options)}): many reconcilers of
 * one cluster, one cache.
 *
 * <p><b>What it holds.</b> One fabric8 informer per kind in use, started by the first read that
 * needs the kind and shared by every target on this cache: the objects of that kind, across
 * namespaces, that carry the ownership label {@value KubernetesTarget#OWNER_LABEL} (any owner),
 * indexed by owner; plus one per kind-inventory namespace for the kind inventory the targets share
 * ({@code gitops-kinds}: a fleet's cold start writes it once) and owners' own older ones. Starting
 * a kind costs one LIST and one WATCH; then a read of it sends no request. A kind no target reads
 * any more (its last owned object is gone and it left every desired state) is forgotten and its
 * informer stopped. The targets also share what they learn of the cluster: the kinds they resolve
 * (a custom kind's CRD is fetched once for all), the schemas of the server's OpenAPI documents and
 * of CRDs.
 *
 * <p><b>How fresh.</b> A read is served from the cache when the kind's informer has synced and its
 * watch is up, and after the writes this process made through its targets have arrived through the
 * watch (a read waits for them, at most {@code settle}). Otherwise — informer not synced, watch
 * down, a write not seen in time — the read is a LIST, as without a cache. Staleness is bounded:
 * every owner's objects of every kind are compared with a LIST at least every {@code maxStaleness},
 * and a cache found to differ is restarted (a fresh LIST and WATCH). The server stays the judge of
 * stale plans: a write refused because the object moved (HTTP 409) makes the next read of that kind
 * a LIST, never an answer from the cache.
 *
 * <p><b>The adoption check.</b> A desired object a target does not own yet is looked for on the
 * server (it may exist unowned, to adopt, or be another owner's). Through the cache, the first
 * check of a kind starts a second informer of the objects without the ownership label, keeping of
 * each only its key and {@code resourceVersion}; with the owned informer it tells which desired
 * objects exist, and only those are read from the server (a GET, as without a cache): a plan of
 * new objects sends no request. When the cache cannot vouch (not synced, not watching, a write of
 * this process to one of them not back through the watch yet, a write refused since, or its last
 * comparison with the server older than {@code maxStaleness}) the check asks the server as
 * without a cache.
 *
 * <p><b>Where watching is not allowed</b> (the server answers a WATCH with 403 or 405), the kind
 * falls back to one LIST per read; a warning is logged once and {@link #status()} says so.
 *
 * <p>Thread-safe. {@link #close()} stops every informer (the client is not closed); reads through
 * a closed cache LIST.
 *
 * <pre>{@code
 * try (ClusterCache cache = ClusterCache.of(client)) {
 *   Target web = KubernetesTarget.of(cache, KubernetesTarget.Options.defaults());
 *   Target shop = KubernetesTarget.of(cache, KubernetesTarget.Options.defaults());
 *   // reconcilers "web" and "shop" read through one informer per kind
 * }
 * }</pre>
 */
public final class ClusterCache implements AutoCloseable {
  /** How often each owner's cached objects are compared with a LIST at the latest: 10 minutes. */
  public static final Duration DEFAULT_MAX_STALENESS = Duration.ofMinutes(10);
  /** How long a read waits for a kind to sync or for this process's writes to arrive: 10 s. */
  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(10);

  private final WatchCache cache;
  private final ClusterParts.Shared shared;
  /** The bounded clients of the targets on this cache, one per call timeout, not one per target. */
  private final Map<Duration, KubernetesClient> bounded = new ConcurrentHashMap<>();

  private ClusterCache(WatchCache cache) {
    this.cache = cache;
    // the schemas' and kinds' own requests (CRDs, discovery, OpenAPI), bounded as a target's are by default
    this.shared = ClusterParts.Shared.of(bounded(KubernetesTarget.Options.DEFAULT_CALL_TIMEOUT));
  }

  /**
   * A cache with {@link #DEFAULT_MAX_STALENESS} and {@link #DEFAULT_SETTLE}.
   *
   * @param client the cluster; not closed by the cache
   * @return the cache; nothing is sent until a target reads through it
   */
  public static ClusterCache of(KubernetesClient client) {
    return of(client, DEFAULT_MAX_STALENESS, DEFAULT_SETTLE, Clock.systemUTC());
  }

  /**
   * A cache with its bounds.
   *
   * @param client the cluster; not closed by the cache
   * @param maxStaleness how old, at most, the cache's answer for one owner and kind may be before
   *     a read compares it with a LIST; positive
   * @param settle how long a read waits for a kind to sync or for this process's writes to arrive
   *     through the watch before it LISTs instead; not negative
   * @param clock the clock that ages the cache (tests pass a fixed one)
   * @return the cache; nothing is sent until a target reads through it
   * @throws IllegalArgumentException when {@code maxStaleness} is not positive or {@code settle}
   *     negative
   */
  public static ClusterCache of(KubernetesClient client, Duration maxStaleness, Duration settle,
                                Clock clock) {
    Objects.requireNonNull(client, "client");
    if (maxStaleness.isNegative() || maxStaleness.isZero() || settle.isNegative()) {
      throw new IllegalArgumentException("maxStaleness must be positive and settle not negative: "
          + maxStaleness + ", " + settle);
    }
    return new ClusterCache(new WatchCache(client, maxStaleness, settle,
        Objects.requireNonNull(clock, "clock")));
  }

  /** {@return the client this cache watches through} */
  public KubernetesClient client() {
    return cache.client();
  }

  /**
   * What the cache holds now, one entry per informer, sorted by kind.
   *
   * @return the informers' states
   */
  public List<KindState> status() {
    return cache.status().stream().map(s -> new KindState(s[0], s[1], s[2])).toList();
  }

  /** Stops every informer; the client stays open. */
  @Override
  public void close() {
    cache.close();
    bounded.values().forEach(KubernetesClient::close); // their own executors; the client's connections stay
  }

  WatchCache internal() {
    return cache;
  }

  /**
   * The client the targets on this cache write through, every request bounded by {@code callTimeout}
   * ({@link BoundedHttp}): one per timeout, shared by the targets (a fleet's thousand targets would
   * otherwise build a thousand clients).
   */
  KubernetesClient bounded(Duration callTimeout) {
    return bounded.computeIfAbsent(callTimeout, t -> BoundedHttp.client(cache.client(), t));
  }

  /** What the targets on this cache share besides the watches: schemas, kinds, OpenAPI documents. */
  ClusterParts.Shared shared() {
    return shared;
  }

  /**
   * The state of one informer.
   *
   * @param kind what it watches: {@code apps/Deployment labelled gitops.dev/owner}
   * @param mode {@code watching}, {@code syncing} (first LIST not done, or watch down: reads LIST),
   *     or {@code listing} (the server refused the watch: every read LISTs)
   * @param detail the number of objects held, or why the kind is listed
   */
  public record KindState(String kind, String mode, String detail) {
    @Override
    public String toString() {
      return kind + ": " + mode + ", " + detail;
    }
  }
}

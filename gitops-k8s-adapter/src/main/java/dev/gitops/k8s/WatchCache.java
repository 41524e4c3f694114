package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch-fed reads behind {@code ClusterCache}: one {@link Feed} (a fabric8 informer) per kind,
 * namespace and label, started by the first read that needs it and shared by every reader.
 *
 * <p>A read is served from the feed when its informer has synced, its watch is up, no write of
 * this process for the same label value (owner) is still on its way into it (waited for,
 * boundedly; other owners' writes are not waited for), no write was refused as stale
 * since ({@link #suspect}) and the reader's objects were compared with a LIST less than
 * {@code maxStaleness} ago. Otherwise the read is the caller's LIST, which also re-confirms the
 * cache (a mismatch restarts the informer: a fresh LIST and WATCH). Thread-safe.
 */
final class WatchCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchCache.class);

  private final KubernetesClient client;
  private final Duration maxStaleness;
  private final Duration settle;
  private final Clock clock;
  private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
  /** The feeds' change stamps: one increasing count for all, so a replaced feed never repeats one. */
  private final AtomicLong ticks = new AtomicLong();
  private volatile boolean closed;

  /**
   * A cache over {@code client}: a reader's objects are compared with a LIST at least every
   * {@code maxStaleness}; a read waits at most {@code settle} for a feed to sync or for this
   * process's writes to arrive through the watch, and LISTs when they have not.
   */
  public WatchCache(KubernetesClient client, Duration maxStaleness, Duration settle, Clock clock) {
    this.client = client;
    this.maxStaleness = maxStaleness;
    this.settle = settle;
    this.clock = clock;
  }

  /** The client the feeds watch through. */
  public KubernetesClient client() {
    return client;
  }

  /**
   * The objects of kind {@code info} (in {@code namespace}, or all when null) whose {@code label}
   * is {@code value}: from the feed when it can be trusted, else {@code lister}'s (one LIST with
   * the same selector). {@code user} names the reader, for {@link #release}.
   */
  public List<ObjectNode> items(KindInfo info, String namespace, String label, String value,
                                String user, Supplier<List<ObjectNode>> lister) {
    Feed feed = started(info, namespace, label, user);
    if (feed == null) {
      return lister.get();
    }
    long wait = settle.toMillis();
    if (!feed.awaitSynced(wait)) {
      if (feed.refused() == null) {
        LOG.debug("the cache of {} has not synced: LIST", feed.name());
        feed.start(); // try again, in the background, for the next read
      }
      return lister.get();
    }
    Instant now = clock.instant();
    Instant confirmed = feed.confirmed.putIfAbsent(value, now);
    boolean stale = confirmed != null && Duration.between(confirmed, now).compareTo(maxStaleness) > 0;
    if (feed.suspect || stale || !feed.watching() || !feed.awaitExpected(value, wait)) {
      return relist(feed, value, lister, now);
    }
    return feed.items(value);
  }

  /**
   * Starts, without waiting for them to sync, the feeds {@link #items} would start for {@code kinds}
   * (each kind's objects carrying {@code label}, across namespaces) and, {@code presence}, the
   * presence feeds {@link #existing} would start for kinds whose feed of {@code label} watches
   * already: a read that needs many kinds starts all of them before it waits for the first, so their
   * LISTs and WATCHes go out together instead of one kind's after the other's sync. {@code user}
   * names the reader, for {@link #release}.
   */
  public void prepare(java.util.Collection<KindInfo> kinds, String label, boolean presence, String user) {
    for (KindInfo info : kinds) {
      if (!presence) {
        started(info, null, label, user);
      } else {
        Feed owned = feeds.get(key(info, null, label));
        if (owned != null && !owned.suspect && owned.watching()) { // as existing() asks first
          started(info, null, "!" + label, user);
        }
      }
    }
  }

  /** The feed of {@code label} (and {@code namespace}) for {@code user}, started if new; null once closed. */
  private Feed started(KindInfo info, String namespace, String label, String user) {
    if (closed) {
      return null;
    }
    Feed feed = feeds.computeIfAbsent(key(info, namespace, label), k -> {
      Feed f = new Feed(client, info, namespace, label, ticks::incrementAndGet);
      f.start();
      return f;
    });
    if (closed) { // closed meanwhile, perhaps before this feed was made: no informer outlives close
      feed.stop();
      return null;
    }
    feed.users.add(user);
    return feed;
  }

  /** A LIST, compared with the feed: the feed restarts (fresh LIST and WATCH) when they differ. */
  private List<ObjectNode> relist(Feed feed, String value, Supplier<List<ObjectNode>> lister,
                                  Instant now) {
    feed.suspect = false;
    List<ObjectNode> listed = lister.get();
    Map<String, String> truth = new TreeMap<>();
    for (ObjectNode node : listed) {
      truth.put(Feed.key(node.path("metadata").path("namespace").asText(""),
          node.path("metadata").path("name").asText()),
          node.path("metadata").path("resourceVersion").asText());
    }
    if (feed.refused() == null && !truth.equals(feed.versions(value))) {
      LOG.info("the cache of {} differed from a LIST: restarting its watch", feed.name());
      feed.confirmed.clear();
      feed.start();
    }
    feed.confirmed.put(value, now);
    return listed;
  }

  /**
   * Which of {@code keys} ({@code namespace/name} of objects of kind {@code info}, across
   * namespaces) exist now, whoever owns them — the adoption check without a request: the feed of
   * the objects carrying {@code label} (which {@link #items} started) holds the owned ones, and a
   * presence feed, started by the first call for the kind, the keys and versions of those without
   * it. Null when the cache cannot vouch now and the caller must ask the server (then
   * {@link #checked}): either feed not synced or not watching, a write refused as stale since
   * ({@link #suspect}), a write of this process to one of the keys not arrived within
   * {@code settle}, the presence feed's answers last compared with the server more than
   * {@code maxStaleness} ago, or the cache closed. {@code user} names the reader, for
   * {@link #release}.
   */
  public java.util.Set<String> existing(KindInfo info, String label, java.util.Collection<String> keys,
                                        String user) {
    Feed owned = closed ? null : feeds.get(key(info, null, label));
    if (owned == null || owned.suspect || !owned.watching()) {
      return null;
    }
    Feed presence = started(info, null, "!" + label, user);
    if (presence == null) {
      return null;
    }
    if (!presence.awaitSynced(settle.toMillis())) {
      if (presence.refused() == null) {
        presence.start(); // try again, in the background, for the next check
      }
      return null;
    }
    Instant now = clock.instant();
    Instant confirmed = presence.confirmed.putIfAbsent("", now);
    if (presence.suspect || !presence.watching()
        || confirmed != null && Duration.between(confirmed, now).compareTo(maxStaleness) > 0
        || !owned.awaitKeys(keys, settle.toMillis())) {
      return null;
    }
    java.util.Set<String> found = new java.util.TreeSet<>();
    for (String key : keys) {
      if (owned.has(key) || presence.has(key)) {
        found.add(key);
      }
    }
    // a feed restarted meanwhile (its store emptied) cannot vouch for what it said
    return owned.watching() && presence.watching() && !owned.suspect && !presence.suspect ? found : null;
  }

  /**
   * The server answered an adoption check of kind {@code info} that {@link #existing} could not:
   * of {@code keys}, {@code unowned} exist without {@code label}. The presence feed is compared
   * with that answer (restarted, a fresh LIST and WATCH, when they differ) and vouches again.
   */
  public void checked(KindInfo info, String label, java.util.Collection<String> keys,
                      java.util.Set<String> unowned) {
    Feed presence = closed ? null : feeds.get(key(info, null, "!" + label));
    if (presence == null || presence.refused() != null || !presence.watching()) {
      return;
    }
    presence.suspect = false;
    if (keys.stream().anyMatch(k -> presence.has(k) != unowned.contains(k))) {
      LOG.info("the cache of {} differed from the server: restarting its watch", presence.name());
      presence.confirmed.clear();
      presence.start();
      return;
    }
    presence.confirmed.put("", clock.instant());
  }

  /**
   * A stamp of the objects of kind {@code info} (in {@code namespace}, or all when null) whose
   * {@code label} is {@code value}, when {@link #items} would serve them from the cache now without
   * a request: equal stamps mean equal objects. Empty when a read would LIST or wait (no feed,
   * not synced or not watching, a refused write or one of this process's writes not arrived, the
   * staleness bound due) or the cache is closed.
   */
  public OptionalLong stamp(KindInfo info, String namespace, String label, String value) {
    Feed feed = closed ? null : feeds.get(key(info, namespace, label));
    return feed == null ? OptionalLong.empty() : feed.stamp(value, clock.instant(), maxStaleness);
  }

  /**
   * How many objects of kind {@code info} (across namespaces) carry {@code label}, whatever its
   * value, when the feed can vouch (synced, watching, no write refused since); empty else.
   */
  public java.util.OptionalInt held(KindInfo info, String label) {
    Feed feed = closed ? null : feeds.get(key(info, null, label));
    return feed == null || feed.suspect || !feed.watching() ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(feed.size());
  }

  /**
   * A write left an object of {@code info} whose {@code label} is {@code value} at {@code version}
   * (empty: deleted): reads of {@code value} wait for it, reads of every value when {@code value}
   * is null.
   */
  public void written(KindInfo info, String namespace, String label, String value,
                      String objectNamespace, String name, String version) {
    written(info, namespace, label, value, objectNamespace, name, version, null);
  }

  /**
   * As {@link #written(KindInfo, String, String, String, String, String, String)}, with the object
   * the server answered the write with (or null): the cache serves that version from it.
   */
  public void written(KindInfo info, String namespace, String label, String value,
                      String objectNamespace, String name, String version, ObjectNode object) {
    Feed feed = feeds.get(key(info, namespace, label));
    if (feed != null) {
      feed.expect(value, Feed.key(objectNamespace, name), version, object);
    }
  }

  /**
   * A write of {@code info} was refused as stale (HTTP 409, or 404): the next read of it, and its
   * next adoption check, come from the server, never from the cache, whatever the watch says.
   */
  public void suspect(KindInfo info, String namespace, String label) {
    for (String l : List.of(label, "!" + label)) {
      Feed feed = feeds.get(key(info, namespace, l));
      if (feed != null) {
        feed.suspect = true;
      }
    }
  }

  /**
   * {@code user} reads {@code info} no more: its feed (and presence feed) stops once no reader
   * uses it.
   */
  public void release(KindInfo info, String namespace, String label, String user) {
    release(key(info, namespace, label), user);
    release(key(info, namespace, "!" + label), user);
  }

  private void release(String key, String user) {
    Feed feed = feeds.get(key);
    if (feed != null && feed.users.remove(user) && feed.users.isEmpty()) {
      feeds.remove(key);
      feed.stop();
      LOG.debug("the cache of {} stopped: no reader left", feed.name());
    }
  }

  /**
   * One line per feed, sorted: {@code apps/Deployment labelled gitops.dev/owner: watching, 12
   * objects}, or {@code listing (the API server refused to watch: HTTP 403)}.
   */
  public List<String[]> status() {
    List<String[]> out = new ArrayList<>();
    for (Feed f : new TreeMap<>(feeds).values()) {
      String mode = f.refused() != null ? "listing" : f.watching() ? "watching" : "syncing";
      String detail = f.refused() != null ? "the API server refused to watch: " + f.refused()
          : f.size() + " objects";
      out.add(new String[] {f.name(), mode, detail});
    }
    return out;
  }

  /** Stops every feed; later reads LIST. */
  @Override
  public void close() {
    closed = true;
    feeds.values().forEach(Feed::stop);
    feeds.clear();
  }

  private static String key(KindInfo info, String namespace, String label) {
    return info.key() + "|" + (namespace == null ? "" : namespace) + "|" + label;
  }
}

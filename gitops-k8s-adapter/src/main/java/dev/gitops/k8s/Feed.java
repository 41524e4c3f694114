package dev.gitops.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fabric8 informer: the objects of one kind that carry one label (any value), in one namespace
 * or all, indexed by the label's value; converted to trees once per resource version. A presence
 * feed (label given as {@code !label}) holds the objects that lack the label instead, and of each
 * only its key and version ({@link KeyStore}): it answers whether an object exists. Remembers
 * whether the server refused the watch, the writes a reader waits to see, and when each label
 * value's objects were last compared with a LIST. Thread-safe. Used by {@link WatchCache} only.
 *
 * <p>A feed of a kind fabric8 has a model class for (the built-in kinds) informs over that class:
 * fabric8 decodes a watch event of such a kind into its model class whatever the informer's type,
 * and into a generic object only by converting that once more (written out and read back), so a
 * generic informer decodes every event of a built-in kind three times where a typed one decodes it
 * once, into the same content. Other kinds inform generically.
 */
final class Feed {
  private static final Logger LOG = LoggerFactory.getLogger(Feed.class);
  private static final String INDEX = "label-value";

  final KindInfo info;
  final String namespace;
  final String label;
  final Set<String> users = ConcurrentHashMap.newKeySet();
  /** When each label value's objects were last confirmed by a LIST (or the informer's own). */
  final Map<String, Instant> confirmed = new ConcurrentHashMap<>();
  /** Object key ({@code namespace/name}) to the label value and version a write left it at ("" for deleted). */
  private final Map<String, Expected> expected = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> trees = new ConcurrentHashMap<>();
  /**
   * Per label value, the tick of the last change the informer's store saw to an object with that
   * value (before or after the change); see {@link #stamp}.
   */
  private final Map<String, Long> changes = new ConcurrentHashMap<>();
  private final LongSupplier ticks;
  private volatile long epoch;
  private final KubernetesClient client;
  private final Object events = new Object();
  private volatile SharedIndexInformer<HasMetadata> informer;
  private volatile java.util.concurrent.CompletableFuture<Void> started;
  private volatile String refused;
  private boolean stopped; // for good: a stopped feed never starts again (guarded by this)
  private volatile KeyStore keys;
  volatile boolean suspect;

  /** A feed whose change stamps are {@code ticks}' values (increasing, shared by every feed). */
  Feed(KubernetesClient client, KindInfo info, String namespace, String label, LongSupplier ticks) {
    this.client = client;
    this.ticks = ticks;
    this.info = info;
    this.namespace = namespace;
    this.label = label;
  }

  /** {@code group/Kind[ in namespace] with label} — the feed's name in logs and status. */
  String name() {
    return info.key() + (namespace == null ? "" : " in " + namespace)
        + (presence() ? " without label " + label.substring(1) : " labelled " + label);
  }

  /** A feed of the objects without the label, keys only. */
  private boolean presence() {
    return label.startsWith("!");
  }

  /** Starts a fresh informer (one LIST, then one WATCH), replacing any earlier one. */
  synchronized void start() {
    if (stopped) {
      return; // released or closed: a reader still holding it falls back to the server
    }
    SharedIndexInformer<HasMetadata> old = informer;
    if (old != null) {
      old.stop();
    }
    trees.clear();
    Class<? extends HasMetadata> model = KindResolver.modelClass(client, info);
    SharedIndexInformer<HasMetadata> next = model != null ? informer(client.resources(model))
        : informer(client.genericKubernetesResources(KindResolver.context(info)));
    epoch = ticks.getAsLong();
    if (presence()) {
      keys = new KeyStore(info);
      next.itemStore(keys);
    } else {
      index(next);
    }
    next.exceptionHandler(this::failed);
    next.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(HasMetadata r) {
        changed();
      }

      @Override public void onUpdate(HasMetadata before, HasMetadata r) {
        changed();
      }

      @Override public void onDelete(HasMetadata r, boolean unknownFinalState) {
        trees.remove(key(r));
        changed();
      }
    });
    informer = next;
    started = next.start().toCompletableFuture();
  }

  /** A not yet started informer of {@code op}'s objects in the feed's namespace (or all) with or without its label. */
  @SuppressWarnings("unchecked")
  private <T extends HasMetadata, L extends KubernetesResourceList<T>> SharedIndexInformer<HasMetadata> informer(
      MixedOperation<T, L, Resource<T>> op) {
    var scoped = namespace == null ? op.inAnyNamespace() : op.inNamespace(namespace);
    var filtered = presence() ? scoped.withoutLabel(label.substring(1)) : scoped.withLabel(label);
    return (SharedIndexInformer<HasMetadata>) filtered.runnableInformer(0);
  }

  /** Indexes the objects by the label's value, and stamps each value's changes. */
  private void index(SharedIndexInformer<HasMetadata> next) {
    // The store computes an object's index values whenever it adds, replaces or removes it, before
    // the index (which reads go through) changes: the stamp moves no later than what a read sees.
    next.addIndexers(Map.of(INDEX, r -> {
      String value = valueOf(r);
      changes.put(value, ticks.getAsLong());
      return List.of(value);
    }));
  }

  /**
   * What a failure of the watch says, escaped ({@link Errors#answer}, {@link Errors#cause}): the
   * throwable itself is not logged, its message and stack trace would print the server's words raw.
   */
  private static String said(Throwable t) {
    return t instanceof KubernetesClientException k ? Errors.answer(k) : Errors.cause(t);
  }

  /** The informer's exception handler: true to let fabric8 retry. */
  private boolean failed(boolean running, Throwable t) {
    int code = refusal(t);
    if (code > 0) {
      refused = "HTTP " + code;
      LOG.warn("the API server refused to watch {} ({}): every read of it is a LIST", name(), refused);
      return false;
    }
    if (!running) {
      LOG.debug("cannot start the cache of {}: reads LIST: {}", name(), said(t));
      return false;
    }
    LOG.debug("watch of {} failed; fabric8 retries: {}", name(), said(t));
    return !(t instanceof InterruptedException);
  }

  /** 403 (forbidden) or 405 (not allowed) when {@code t} is a refused WATCH, else 0. */
  private static int refusal(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof KubernetesClientException e && (e.getCode() == 403 || e.getCode() == 405)
          && String.valueOf(e.getMessage()).contains("watch=true")) {
        return e.getCode();
      }
    }
    return 0;
  }

  /** Waits up to {@code millis} for the informer's first LIST; false when it failed or is slow. */
  boolean awaitSynced(long millis) {
    SharedIndexInformer<HasMetadata> current = informer;
    try {
      started.get(millis, TimeUnit.MILLISECONDS);
      return current.hasSynced() && refused == null;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Why the watch is not used ({@code HTTP 403}), or null while it is. */
  String refused() {
    return refused;
  }

  boolean watching() {
    SharedIndexInformer<HasMetadata> current = informer;
    return refused == null && current != null && current.hasSynced() && current.isWatching();
  }

  int size() {
    SharedIndexInformer<HasMetadata> current = informer;
    return current == null ? 0 : current.getStore().list().size();
  }

  /** The cached objects whose label has {@code value}, as trees with kind and apiVersion. */
  List<ObjectNode> items(String value) {
    List<ObjectNode> out = new ArrayList<>();
    for (HasMetadata r : informer.getIndexer().byIndex(INDEX, value)) {
      String version = r.getMetadata().getResourceVersion();
      ObjectNode tree = trees.get(key(r));
      if (tree == null || !version.equals(tree.path("metadata").path("resourceVersion").asText())) {
        tree = Json.tree(client.getKubernetesSerialization(), r);
        tree.put("apiVersion", info.apiVersion());
        tree.put("kind", info.kind());
        trees.put(key(r), tree);
      }
      out.add(tree);
    }
    return out;
  }

  /** The versions of the cached objects whose label has {@code value}, by key. */
  Map<String, String> versions(String value) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (HasMetadata r : informer.getIndexer().byIndex(INDEX, value)) {
      out.put(key(r), r.getMetadata().getResourceVersion());
    }
    return out;
  }

  /**
   * A stamp of the objects whose label has {@code value}: it moves whenever one of them changes or
   * the informer restarts (stamps only grow). Empty when a read would not be served from this feed
   * as it stands: not synced or not watching, suspect, a write of this process not in the cache
   * yet, or {@code value}'s objects not compared with a LIST within {@code maxStaleness} of
   * {@code now} (or never read through this feed).
   */
  OptionalLong stamp(String value, Instant now, Duration maxStaleness) {
    Instant compared = confirmed.get(value);
    if (suspect || compared == null || Duration.between(compared, now).compareTo(maxStaleness) > 0
        || !watching() || !expectedSeen(value)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.max(epoch, changes.getOrDefault(value, 0L)));
  }

  /**
   * True when the feed holds the object {@code key} ({@code namespace/name}): with the label (any
   * value), or, for a presence feed, without it.
   */
  boolean has(String key) {
    KeyStore held = keys;
    return held != null ? held.has(key) : informer.getStore().getByKey(key) != null;
  }

  /**
   * Waits up to {@code millis} until every write this process made to one of {@code keys} is in
   * the cache, whoever owns the object; false on time-out.
   */
  boolean awaitKeys(java.util.Collection<String> keys, long millis) {
    return await(() -> keys.stream().noneMatch(expected::containsKey), () -> { }, millis);
  }

  /** True when every write a reader of {@code value} waits for is in the cache; does not wait. */
  private boolean expectedSeen(String value) {
    synchronized (events) {
      expected.entrySet().removeIf(e -> seen(e.getKey(), e.getValue().version()));
      return expected.values().stream().noneMatch(e -> e.awaitedBy(value));
    }
  }

  /** A write this process made: the label value of the object written, and the version it left. */
  private record Expected(String value, String version) {
    boolean awaitedBy(String reader) {
      return value == null || value.equals(reader);
    }
  }

  /**
   * A write left the object {@code key}, labelled {@code value}, at {@code version} ("" when
   * deleted): reads of that label value wait for it; of every value when {@code value} is null
   * (an adoption: the object leaves another value's objects).
   */
  void expect(String value, String key, String version) {
    expected.put(key, new Expected(value, version));
  }

  /**
   * As {@link #expect(String, String, String)}, with the object as the server answered the write
   * ({@code object}, not kept): once the watch brings that version, a read takes this tree instead
   * of converting fabric8's copy of the same version (a cold start reads back every object it wrote).
   */
  void expect(String value, String key, String version, ObjectNode object) {
    expect(value, key, version);
    if (object != null && !version.isEmpty() && !presence()) {
      ObjectNode tree = object.deepCopy();
      tree.put("apiVersion", info.apiVersion());
      tree.put("kind", info.kind());
      trees.put(key, tree); // items() takes a tree only while its version is the informer's
    }
  }

  /**
   * Waits up to {@code millis} until every expected write of objects labelled {@code value} is in
   * the cache (the writes of other values, other owners', are not waited for); false on time-out.
   */
  boolean awaitExpected(String value, long millis) {
    // on time-out the caller relists: a LIST is the truth now
    return await(() -> expected.values().stream().noneMatch(e -> e.awaitedBy(value)),
        () -> expected.values().removeIf(e -> e.awaitedBy(value)), millis);
  }

  /**
   * Waits up to {@code millis} until {@code done} holds once the writes seen are dropped from
   * {@code expected}; runs {@code onTimeout} (under the lock) and answers false on time-out, false
   * when interrupted.
   */
  private boolean await(java.util.function.BooleanSupplier done, Runnable onTimeout, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (events) {
      while (true) {
        expected.entrySet().removeIf(e -> seen(e.getKey(), e.getValue().version()));
        if (done.getAsBoolean()) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          onTimeout.run();
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(events, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  /**
   * True when the cache holds {@code key} at {@code version} or later ("" = gone). Versions are
   * opaque to clients; an equal version is always the write's, and where both are integers (etcd's
   * revisions are) a larger one is a later write.
   */
  private boolean seen(String key, String version) {
    HasMetadata r = informer.getStore().getByKey(key);
    if (version.isEmpty() || r == null) {
      return version.isEmpty() && r == null;
    }
    String now = r.getMetadata().getResourceVersion();
    if (now.equals(version)) {
      return true;
    }
    try {
      return Long.parseLong(now) > Long.parseLong(version);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void changed() {
    synchronized (events) {
      events.notifyAll();
    }
  }

  synchronized void stop() {
    stopped = true;
    SharedIndexInformer<HasMetadata> current = informer;
    if (current != null) {
      current.stop();
    }
    trees.clear();
  }

  private String valueOf(HasMetadata r) {
    Map<String, String> labels = r.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(label);
    return value == null ? "" : value;
  }

  /** The informer store's key of an object: {@code namespace/name}, or {@code name}. */
  static String key(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? r.getMetadata().getName() : ns + "/" + r.getMetadata().getName();
  }

  /** The store key of an object named by namespace and name. */
  static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }
}

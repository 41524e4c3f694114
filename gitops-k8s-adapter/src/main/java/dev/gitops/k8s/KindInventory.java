package dev.gitops.k8s;

import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The kinds an owner has objects of, so that a restarted agent still LISTs — and can prune — kinds
 * that have left the desired state. Kept in ConfigMaps labelled {@value #LABEL}, not with the owner
 * label, so never a pruning candidate ({@link KindSheets}):
 * <ul>
 *   <li>A target on a bare client keeps its owner's own ({@code gitops-kinds-<owner>}). One GET per
 *   read; one write when a kind is applied for the first time, one when no owned object of it
 *   remains ({@link #forget}). That first write records every kind the owner's desired state holds
 *   ({@link #wanted}), so a cold apply of many kinds writes the inventory once; a kind recorded
 *   early is at worst listed and then forgotten, never missing.</li>
 *   <li>The targets of a {@link ClusterCache} share one ({@link KindGroup}): a fleet's cold start
 *   writes it once for all its reconcilers. An owner's own inventory, written by a bare target or
 *   an earlier version, is still read (from the cache, no request) and its kinds forgotten there
 *   as they go; nothing is added to it.</li>
 * </ul>
 * Every write carries the version read, so that writers that overlap (a run killed in the middle,
 * or cut off from the cluster while its successor took over) merge: a kind recorded by one is
 * never dropped by the other's record, and a forget that meets a moved inventory is left to the
 * next read. A dry-run inventory writes nothing. Thread-safe.
 */
final class KindInventory {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KindInventory.class);
  /** Label naming the owner whose kinds a ConfigMap lists (empty on the inventory a cache's targets share). */
  public static final String LABEL = "gitops.dev/kinds-of";
  /** The prefix of an owner's inventory's name, {@code gitops-kinds-<owner>}. */
  static final String NAME_PREFIX = "gitops-kinds-";

  private final KindSheets sheets;
  private final Map<String, KindSheets.Known> known = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> wanted = new ConcurrentHashMap<>();
  private final KindGroup group;
  private final boolean dryRun;

  /** An inventory of each owner's own in {@code namespace}, read through {@code watch} (or null); {@code dryRun} writes nothing. */
  public KindInventory(io.fabric8.kubernetes.client.KubernetesClient client, String namespace, WatchCache watch,
                       boolean dryRun) {
    this(new KindSheets(client, namespace, watch), null, dryRun);
  }

  /** An inventory in {@code sheets} that records in {@code group} (or, when null, in each owner's own). */
  KindInventory(KindSheets sheets, KindGroup group, boolean dryRun) {
    this.sheets = sheets;
    this.group = group;
    this.dryRun = dryRun;
  }

  /** The kinds recorded for {@code owner} ({@code group/Kind} keys); one GET each, none from the cache. */
  public Set<String> read(String owner) {
    KindSheets.Known own = sheets.read(owner);
    known.put(owner, own);
    if (group == null) {
      return own.kinds();
    }
    Set<String> all = new TreeSet<>(group.read());
    all.addAll(own.kinds());
    return all;
  }

  /**
   * The kinds {@link #read} last found for {@code owner}, while the watch cache vouches that its
   * inventories did not change since: {@code <stamp>:<kinds>}; null without a cache, before a read,
   * or when the cache cannot vouch.
   */
  public String token(String owner) {
    KindSheets.Known own = known.get(owner);
    var stamp = sheets.stamp(owner);
    if (own == null || stamp.isEmpty()) {
      return null;
    }
    String shared = group == null ? "" : group.token();
    return shared == null ? null : stamp.getAsLong() + ":" + own.kinds() + shared;
  }

  /** The kinds {@link #read} last found for {@code owner} (and recorded since); empty before a read. */
  public Set<String> kinds(String owner) {
    KindSheets.Known own = known.get(owner);
    Set<String> mine = own == null ? Set.of() : own.kinds();
    if (group == null || own == null) {
      return mine;
    }
    Set<String> all = new TreeSet<>(group.kinds());
    all.addAll(mine);
    return all;
  }

  /**
   * The kinds ({@code group/Kind} keys) {@code owner}'s desired state holds, as its last read was
   * asked for them; nothing is written now: the next {@link #record} of a new kind records these
   * too, in the same write.
   */
  public void wanted(String owner, Set<String> kinds) {
    if (group == null) {
      wanted.put(owner, Set.copyOf(kinds));
    } else if (!dryRun) { // a preview's wishes keep no kind
      group.wanted(owner, kinds);
    }
  }

  /**
   * Records {@code kind} for {@code owner} unless already recorded, with the kinds the owner
   * {@linkplain #wanted wants} that are not recorded yet; writes only when {@code kind} is new.
   */
  public void record(String owner, String kind) {
    Set<String> kinds = new TreeSet<>(wanted.getOrDefault(owner, Set.of()));
    kinds.add(kind);
    add(owner, Set.of(kind), kinds);
  }

  /**
   * Records {@code kinds} for {@code owner} (kinds a read found owned objects of) unless all are
   * recorded: an inventory deleted or edited by hand, or written by a version that did not record
   * them, heals before those kinds leave Git, so their objects are still pruned then. A dry run
   * writes nothing; a write refused (credentials that may only read, for a preview) is left to the
   * next read and never fails this one.
   */
  public void heal(String owner, Set<String> kinds) {
    if (dryRun || kinds.isEmpty()) {
      return;
    }
    try {
      add(owner, kinds, kinds);
    } catch (KubernetesClientException | TargetException e) {
      LOG.debug("kind inventory of {}: {} not recorded now: {}", owner, kinds, Errors.cause(e));
    }
  }

  /** Adds {@code kinds} to the inventory {@code owner} records in unless it holds every one of {@code unless}. */
  private synchronized void add(String owner, Set<String> unless, Set<String> kinds) {
    if (group != null) {
      group.add(unless, kinds);
      return;
    }
    KindSheets.Known current = known.get(owner);
    if (current == null) {
      current = sheets.read(owner);
    }
    if (!current.kinds().containsAll(unless)) {
      known.put(owner, sheets.write(owner, current, all -> all.addAll(kinds), true));
    }
  }

  /**
   * Drops {@code kind} for {@code owner}: no owned object of it remains. One write, if recorded;
   * none when the inventory moved since it was read (another writer may have recorded the kind
   * again: the next read decides). From a shared inventory only when also {@code noneLeft}: no
   * owner's object of it remains ({@link KindGroup#forget}).
   */
  public synchronized void forget(String owner, String kind, BooleanSupplier noneLeft) {
    if (dryRun) {
      return;
    }
    KindSheets.Known current = known.get(owner);
    if (current != null && current.kinds().contains(kind)) {
      known.put(owner, sheets.write(owner, current, all -> all.remove(kind), false));
    }
    if (group != null) {
      group.forget(kind, noneLeft);
    }
  }

  /** {@return the namespace the inventories live in} */
  String namespace() {
    return sheets.namespace();
  }
}

package dev.gitops.k8s;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The kind inventory the targets of one {@link ClusterCache} share in one namespace ({@value
 * KindSheets#SHARED}): the kinds any of their owners may have objects of. A fleet's thousand
 * reconcilers of the same kinds write it once, not a thousand ConfigMaps, and read it from the
 * cache; every owner lists every kind it holds, which through the cache costs no request.
 *
 * <p>A kind is recorded before the first object of it is written (with every kind the members
 * want, so a cold start writes once); it is forgotten once no member of this process wants it and
 * no object of it carries the ownership label any more (any owner: the owners of other processes
 * sharing the inventory are not known here). A member's wishes older than {@link #WISH_LIFE} (a
 * reconciler removed from a fleet reads no more) no longer keep a kind. Thread-safe.
 */
final class KindGroup {
  /** How long a member's wanted kinds keep them from being forgotten after its last read. */
  static final long WISH_LIFE = TimeUnit.HOURS.toNanos(1);

  private final KindSheets sheets;
  private final Map<String, Wish> wanted = new ConcurrentHashMap<>();
  private volatile KindSheets.Known known;

  /** What a member wants, as of its read at {@code nanos}. */
  private record Wish(Set<String> kinds, long nanos) {}

  KindGroup(KindSheets sheets) {
    this.sheets = sheets;
  }

  /** The kinds recorded: from the cache, else one GET. */
  Set<String> read() {
    known = sheets.read(KindSheets.SHARED_VALUE);
    return known.kinds();
  }

  /** The kinds {@link #read} found (and recorded since); empty before a read. */
  Set<String> kinds() {
    KindSheets.Known now = known;
    return now == null ? Set.of() : now.kinds();
  }

  /** {@code <stamp>:<kinds>} while the cache vouches for the inventory; null else. */
  String token() {
    KindSheets.Known now = known;
    var stamp = sheets.stamp(KindSheets.SHARED_VALUE);
    return now == null || stamp.isEmpty() ? null : stamp.getAsLong() + ":" + now.kinds();
  }

  /** {@code owner}'s desired state holds {@code kinds}: recorded with the next write, kept while wanted. */
  void wanted(String owner, Set<String> kinds) {
    wanted.put(owner, new Wish(Set.copyOf(kinds), System.nanoTime()));
  }

  /** Records {@code kinds} and every kind a member wants, unless every one of {@code unless} is recorded. */
  synchronized void add(Set<String> unless, Set<String> kinds) {
    KindSheets.Known current = known != null ? known : sheets.read(KindSheets.SHARED_VALUE);
    if (!current.kinds().containsAll(unless)) {
      Set<String> all = new TreeSet<>(kinds);
      long now = System.nanoTime();
      wanted.values().removeIf(w -> now - w.nanos() > WISH_LIFE);
      wanted.values().forEach(w -> all.addAll(w.kinds()));
      known = sheets.write(KindSheets.SHARED_VALUE, current, k -> k.addAll(all), true);
    }
  }

  /**
   * Drops {@code kind} when recorded, no member wants it and {@code noneLeft} (asked last: it may
   * send a request) says no owned object of it remains; one write, none when the inventory moved
   * since it was read (the next read decides).
   */
  synchronized void forget(String kind, BooleanSupplier noneLeft) {
    KindSheets.Known current = known;
    long now = System.nanoTime();
    if (current == null || !current.kinds().contains(kind)
        || wanted.values().stream().anyMatch(w -> now - w.nanos() <= WISH_LIFE && w.kinds().contains(kind))
        || !noneLeft.getAsBoolean()) {
      return;
    }
    known = sheets.write(KindSheets.SHARED_VALUE, current, k -> k.remove(kind), false);
  }
}

package dev.gitops.internal.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one door to the engine's performance machinery: shared names, shared short text values,
 * compact tree layouts, per-thread reuse of scratch objects and a last-value cache. Public types
 * call this door and nothing behind it, so no tuning detail (table sizes, layouts, thread-locals)
 * reaches a public type. Thread-safe. Not part of the public API.
 *
 * <pre>{@code
 * String kind = Tuning.name("Deployment");                       // one instance per distinct name
 * ObjectMapper mapper = new ObjectMapper().setNodeFactory(Tuning.nodeFactory());
 * JsonNode kept = Tuning.compactCopy(live);                      // equal to live, faster to plan against
 * }</pre>
 */
public final class Tuning {
  private Tuning() {}

  /**
   * The shared instance equal to {@code name} (a kind, group, namespace or owner), or {@code name}
   * itself past the table's bounds: ids of both states then hold the same strings, so comparing
   * them is mostly a reference check.
   */
  public static String name(String name) {
    return SharedNames.of(name);
  }

  /** The node factory for trees read for planning: short text values are shared instances. */
  public static JsonNodeFactory nodeFactory() {
    return TreeNodes.INSTANCE;
  }

  /**
   * A deep copy of {@code tree} laid out for the planner to read (equal to it both ways, same hash
   * code and serialisation); value nodes are shared with the source.
   */
  public static JsonNode compactCopy(JsonNode tree) {
    return CompactTrees.copy(tree);
  }

  /** An empty object node in the compact layout, with room for {@code capacity} fields. */
  public static ObjectNode compactObject(int capacity) {
    return CompactTrees.object(capacity);
  }

  /** Each thread's reusable scratch object (see {@link #perThread()}). */
  public static final class PerThread<T> {
    private final ThreadLocal<T> spare = new ThreadLocal<>();

    private PerThread() {}

    /**
     * A claimed object: this thread's when {@code claim} takes it (it is free), else a fresh one
     * from {@code fresh}, claimed too (and kept as this thread's when the thread has none). The
     * caller releases it when done.
     */
    public T claim(Predicate<? super T> claim, Supplier<T> fresh) {
      T mine = spare.get();
      if (mine != null && claim.test(mine)) {
        return mine;
      }
      T made = fresh.get();
      claim.test(made);
      if (mine == null) {
        spare.set(made);
      }
      return made;
    }
  }

  /** Per-thread reuse of a scratch object: a nested use on the same thread gets a fresh one. */
  public static <T> PerThread<T> perThread() {
    return new PerThread<>();
  }

  /** The value made for the last key, kept while keys stay equal (see {@link #last}). */
  public static final class Last<K, V> {
    private final Function<K, V> make;
    private volatile Object[] last; // {key, value}

    private Last(Function<K, V> make) {
      this.make = Objects.requireNonNull(make, "make");
    }

    /** The value for {@code key}: the last one made when {@code key} equals its key, else a new one. */
    @SuppressWarnings("unchecked")
    public V get(K key) {
      Object[] kept = last;
      if (kept != null && (kept[0] == key || kept[0].equals(key))) {
        return (V) kept[1];
      }
      V made = make.apply(key);
      last = new Object[] {key, made};
      return made;
    }
  }

  /** A one-entry cache: the value made for the last key, reused while keys are equal. */
  public static <K, V> Last<K, V> last(Function<K, V> make) {
    return new Last<>(make);
  }
}

package dev.gitops.internal.tune;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of one JSON object in a single array of alternating names and values, in insertion
 * order: what {@link CompactTrees} gives an {@code ObjectNode} instead of a
 * {@code LinkedHashMap}, and their names' hash codes in another. A lookup scans the hash codes and
 * compares the one name that matches (by reference, then content), so it reads two small arrays
 * instead of a hash table and a node per field; objects in Kubernetes resources have a handful to a
 * few dozen fields ({@link CompactTrees} keeps wider ones in a hash table). A complete, mutable
 * {@link Map} (null keys and values are refused, as Jackson never stores them); not thread-safe,
 * like the map it replaces. Not public API.
 */
final class FieldMap extends AbstractMap<String, JsonNode> {
  private Object[] slots;
  private int[] hashes;
  private int size;
  private int modCount;

  /** An empty map with room for {@code capacity} fields. */
  FieldMap(int capacity) {
    slots = new Object[Math.max(2, 2 * capacity)];
    hashes = new int[Math.max(1, capacity)];
  }

  private int indexOf(Object key) {
    if (!(key instanceof String name)) {
      return -1;
    }
    // The names' hash codes sit in one array: a lookup reads it and the name that matches, not
    // every name before it (names read by Jackson's JSON parser are shared instances, others
    // such as a ConfigMap's keys or YAML-read names may be anywhere in memory).
    int hash = name.hashCode();
    int[] h = hashes;
    for (int i = 0, n = size; i < n; i++) {
      if (h[i] == hash) {
        Object k = slots[2 * i];
        if (k == name || name.equals(k)) {
          return 2 * i;
        }
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public JsonNode get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : (JsonNode) slots[i + 1];
  }

  @Override
  public JsonNode put(String key, JsonNode value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    int i = indexOf(key);
    if (i >= 0) {
      JsonNode old = (JsonNode) slots[i + 1];
      slots[i + 1] = value;
      return old;
    }
    append(key, value);
    return null;
  }

  /** Adds a field known to be absent. */
  private void append(String key, JsonNode value) {
    if (size == hashes.length) {
      slots = Arrays.copyOf(slots, 4 * size);
      hashes = Arrays.copyOf(hashes, 2 * size);
    }
    slots[2 * size] = Objects.requireNonNull(key, "key");
    slots[2 * size + 1] = Objects.requireNonNull(value, "value");
    hashes[size] = key.hashCode();
    size++;
    modCount++;
  }

  @Override
  public JsonNode remove(Object key) {
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    JsonNode old = (JsonNode) slots[i + 1];
    removeAt(i);
    return old;
  }

  private void removeAt(int i) {
    int end = 2 * size;
    System.arraycopy(slots, i + 2, slots, i, end - i - 2);
    System.arraycopy(hashes, i / 2 + 1, hashes, i / 2, size - i / 2 - 1);
    slots[end - 2] = null;
    slots[end - 1] = null;
    size--;
    modCount++;
  }

  @Override
  public void clear() {
    Arrays.fill(slots, 0, 2 * size, null);
    size = 0;
    modCount++;
  }

  @Override
  public Set<Map.Entry<String, JsonNode>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public void clear() {
        FieldMap.this.clear();
      }

      @Override
      public Iterator<Map.Entry<String, JsonNode>> iterator() {
        return new Fields();
      }
    };
  }

  /** Iterates the fields in order; {@code remove} and {@code Entry.setValue} write through. */
  private final class Fields implements Iterator<Map.Entry<String, JsonNode>> {
    private int next;
    private int last = -1;
    private int expected = modCount;

    @Override
    public boolean hasNext() {
      return next < 2 * size;
    }

    @Override
    public Map.Entry<String, JsonNode> next() {
      if (expected != modCount) {
        throw new ConcurrentModificationException();
      }
      if (next >= 2 * size) {
        throw new NoSuchElementException();
      }
      last = next;
      next += 2;
      return new Field(last);
    }

    @Override
    public void remove() {
      if (last < 0) {
        throw new IllegalStateException();
      }
      if (expected != modCount) {
        throw new ConcurrentModificationException();
      }
      removeAt(last);
      next = last;
      last = -1;
      expected = modCount;
    }
  }

  /** One field, read from and written to the array while the map is not restructured. */
  private final class Field implements Map.Entry<String, JsonNode> {
    private final String key;
    private final int at;

    Field(int at) {
      this.at = at;
      this.key = (String) slots[at];
    }

    @Override
    public String getKey() {
      return key;
    }

    @Override
    public JsonNode getValue() {
      return slots[at] == key ? (JsonNode) slots[at + 1] : FieldMap.this.get(key);
    }

    @Override
    public JsonNode setValue(JsonNode value) {
      return put(key, value);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey())
          && Objects.equals(getValue(), e.getValue());
    }

    @Override
    public int hashCode() {
      return key.hashCode() ^ Objects.hashCode(getValue());
    }

    @Override
    public String toString() {
      return key + "=" + getValue();
    }
  }
}

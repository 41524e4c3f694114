package dev.gitops.internal.tree;

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
 * {@code LinkedHashMap}. A lookup scans the names in one pass (by reference, else by cached hash
 * code, then content), so it reads one array instead of a hash table and a node per field; objects
 * in Kubernetes resources have a handful to a few dozen fields. A complete, mutable {@link Map} (null keys and values are refused, as Jackson never
 * stores them); not thread-safe, like the map it replaces. Not public API.
 */
final class FieldMap extends AbstractMap<String, JsonNode> {
  private Object[] slots;
  private int size;
  private int modCount;

  /** An empty map with room for {@code capacity} fields. */
  FieldMap(int capacity) {
    slots = new Object[Math.max(2, 2 * capacity)];
  }

  private int indexOf(Object key) {
    if (!(key instanceof String name)) {
      return -1;
    }
    // Names read by Jackson's JSON parser are shared instances; YAML's are not. Comparing cached
    // hash codes first keeps a lookup to one pass either way, reading no name's characters
    // until one matches.
    int hash = name.hashCode();
    Object[] s = slots;
    for (int i = 0, end = 2 * size; i < end; i += 2) {
      Object k = s[i];
      if (k == name || (k.hashCode() == hash && name.equals(k))) {
        return i;
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

  /** Adds a field known to be absent (a copy of another map's fields), without looking for it. */
  void append(String key, JsonNode value) {
    if (2 * size == slots.length) {
      slots = Arrays.copyOf(slots, 2 * slots.length);
    }
    slots[2 * size] = Objects.requireNonNull(key, "key");
    slots[2 * size + 1] = Objects.requireNonNull(value, "value");
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

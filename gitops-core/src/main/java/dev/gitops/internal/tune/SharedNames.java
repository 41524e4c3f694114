package dev.gitops.internal.tune;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance per distinct short name (a kind, group, namespace or owner), so that the
 * ids of both states hold the same strings and comparing them is a reference check instead of a
 * read of two strings that are, at a hundred thousand resources, rarely in cache. Bounded: past
 * {@link #LIMIT} names, or for long strings, the string is returned as it is (still correct,
 * only compared by content). Thread-safe. Not part of the public API.
 */
final class SharedNames {
  /** The most names kept. */
  static final int LIMIT = 1 << 16;
  /** The longest name kept (a DNS subdomain, the longest Kubernetes name). */
  static final int MAX_LENGTH = 253;
  private static final ConcurrentHashMap<String, String> NAMES = new ConcurrentHashMap<>();

  private SharedNames() {}

  /** The shared instance equal to {@code name}, or {@code name} itself. */
  public static String of(String name) {
    String known = NAMES.get(name);
    if (known != null) {
      return known;
    }
    if (name.length() > MAX_LENGTH || NAMES.size() >= LIMIT) {
      return name;
    }
    known = NAMES.putIfAbsent(name, name);
    return known == null ? name : known;
  }
}

package dev.gitops.ssh;

import dev.gitops.diff.RedactionKey;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * What one read of a root found: entries by relative path and the inventories among them. A value
 * of one moment; what the target keeps knowing about its directories is {@link RootState}. Not
 * thread-safe (used by the reading thread); not part of the public API.
 */
final class RootRead {
  /**
   * Reads {@code paths}, every inventory, and the paths the owner's inventory lists beyond
   * {@code paths} (a second request, only when the inventory lists paths not asked for).
   */
  public static RootRead of(ReadSession reader, String owner, Set<String> paths) throws IOException {
    return of(reader, owner, paths, Map.of());
  }

  /**
   * As {@link #of(ReadSession, String, Set)}, told the desired content of some paths: those the host
   * proves by digest ({@link HostDigests}) are not transferred and read as the desired bytes; the
   * rest, and every one the host cannot prove equal, are read with their bytes (in the second
   * request, with the inventory's paths). The desired digests are computed while the host answers.
   */
  public static RootRead of(ReadSession reader, String owner, Set<String> paths, Map<String, Content.Bytes> expected)
      throws IOException {
    Map<String, Content.Bytes> candidates = HostDigests.candidates(paths, expected);
    // the desired files' SHA-256s, and their keyed versions as the plan will want them when the host
    // proves them (same bytes, same mode), are computed while the host answers, not after
    RedactionKey key = RedactionKey.current();
    CompletableFuture<Map<String, Expected>> wanted = candidates.isEmpty() ? null
        : CompletableFuture.supplyAsync(() -> candidates.entrySet().parallelStream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> Expected.of(key, e.getKey(), e.getValue()))));
    Map<String, Tar.Entry> entries = new TreeMap<>();
    // the inventories are parsed while the host still computes the digests (it answers those last)
    Map<Map<String, Tar.Entry>, CompletableFuture<Map<String, Inventory>>> early = new IdentityHashMap<>();
    // owners and groups by number when no desired file names one: the host then looks up no name per
    // file, and a file whose owner or group the inventory manages is read with its bytes instead
    boolean ids = candidates.values().stream().allMatch(c -> c.mode().owner().isEmpty() && c.mode().group().isEmpty());
    TreeRead.Listing listing = reader.read(paths, candidates.keySet(), ids,
        archive -> early.put(archive, CompletableFuture.supplyAsync(() -> parseInventories(archive))));
    listing.entries().forEach(entries::putIfAbsent);
    boolean exists = listing.rootExists();
    Map<String, Proven> proven = new HashMap<>();
    Set<String> again = new TreeSet<>();
    if (wanted != null) {
      Map<String, Expected> sums = wanted.join();
      Inventory managing = ids ? managing(early.get(listing.entries()), owner) : null;
      candidates.forEach((path, desired) -> {
        HostDigests.Stat stat = listing.digests().stats().get(path);
        String sum = listing.digests().sha256().get(path);
        Expected want = sums.get(path);
        if (entries.containsKey(path)) {
          return; // read with its bytes (the reader fell back to one command)
        }
        if (stat != null && stat.plainFile() && stat.size() == desired.size() && want.sha256().equals(sum)
            && !(ids && managesOwnership(managing, path))) {
          // by number, owner and group are never read: the inventory manages neither (see mode())
          entries.put(path, new Tar.Entry(path, Tar.Type.FILE, stat.rawMode() & 07777, ids ? "" : stat.owner(),
              ids ? "" : stat.group(), new byte[0], stat.size(), null)); // the bytes are desired's, shared, never copied
          proven.put(path, new Proven(desired, want));
        } else {
          again.add(path);
        }
      });
    }
    // only a parse of this listing's own archive (not of an attempt that failed before a fallback)
    RootRead first = new RootRead(exists, entries, proven, early.get(listing.entries()));
    Set<String> missing = new TreeSet<>(first.inventory(owner).files().keySet());
    missing.removeAll(paths);
    missing.removeIf(p -> TargetPaths.problem(p) != null);
    missing.addAll(again);
    if (!exists || missing.isEmpty()) {
      return first;
    }
    list(reader, missing, entries);
    return new RootRead(exists, entries, proven);
  }

  /** The inventory of {@code owner} among {@code parsed} (null when none or not parsed: then nothing is proven by number). */
  private static Inventory managing(CompletableFuture<Map<String, Inventory>> parsed, String owner) {
    if (parsed == null) {
      return null;
    }
    try {
      Inventory inv = parsed.join().get(owner);
      return inv != null ? inv : new Inventory();
    } catch (CompletionException e) {
      return null; // the constructor reports it
    }
  }

  /** True when {@code inventory} manages the owner or group of {@code path}, or is unknown (null). */
  private static boolean managesOwnership(Inventory inventory, String path) {
    if (inventory == null) {
      return true;
    }
    Inventory.Entry e = inventory.get(path);
    return e != null && (!e.mode().owner().isEmpty() || !e.mode().group().isEmpty());
  }

  private static boolean list(ReadSession reader, Set<String> paths, Map<String, Tar.Entry> into)
      throws IOException {
    TreeRead.Listing listing = reader.read(paths);
    listing.entries().forEach(into::putIfAbsent);
    return listing.rootExists();
  }

  private final boolean rootExists;
  private final Map<String, Tar.Entry> entries;
  private final Map<String, Inventory> inventories = new TreeMap<>();
  private final Set<String> journals = new HashSet<>();
  private final Map<String, Proven> proven;

  /** A file the host proved equal to desired bytes: those bytes, their SHA-256 and keyed version. */
  private record Proven(Content.Bytes desired, Expected expected) {
    String sha256() {
      return expected.sha256();
    }
  }

  /**
   * What a desired file's read will need when the host proves it: its SHA-256, and its keyed version
   * ({@link FileVersion}) under {@code key} for the desired mode.
   */
  private record Expected(String sha256, String version, RedactionKey key) {
    static Expected of(RedactionKey key, String path, Content.Bytes desired) {
      String sha256 = desired.sha256();
      return new Expected(sha256, FileVersion.keyed(key, path, desired, sha256), key);
    }
  }

  RootRead(boolean rootExists, Map<String, Tar.Entry> entries) throws IOException {
    this(rootExists, entries, Map.of());
  }

  private RootRead(boolean rootExists, Map<String, Tar.Entry> entries, Map<String, Proven> proven) throws IOException {
    this(rootExists, entries, proven, null);
  }

  /** With {@code parsed}, the inventories parsed from the same archive's state files, when they were (else null). */
  private RootRead(boolean rootExists, Map<String, Tar.Entry> entries, Map<String, Proven> proven,
                   CompletableFuture<Map<String, Inventory>> parsed) throws IOException {
    this.rootExists = rootExists;
    this.entries = entries;
    this.proven = proven;
    Map<String, Inventory> found;
    try {
      found = parsed != null ? parsed.join() : parseInventories(entries);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
    inventories.putAll(found);
    entries.forEach((name, e) -> {
      if (name.startsWith(".gitops/") && name.endsWith(".journal") && e.type() == Tar.Type.FILE && visible(name)) {
        journals.add(name.substring(".gitops/".length(), name.length() - ".journal".length()));
      }
    });
  }

  /** The inventory of every owner whose inventory or journal is among {@code entries}, by owner. */
  private static Map<String, Inventory> parseInventories(Map<String, Tar.Entry> entries) {
    Map<String, byte[]> invs = new HashMap<>();
    Map<String, byte[]> jours = new HashMap<>();
    entries.forEach((name, e) -> {
      if (name.startsWith(".gitops/") && e.type() == Tar.Type.FILE && visible(entries, name)) {
        String file = name.substring(".gitops/".length());
        if (file.endsWith(".inventory")) {
          invs.put(file.substring(0, file.length() - ".inventory".length()), e.data());
        } else if (file.endsWith(".journal")) {
          jours.put(file.substring(0, file.length() - ".journal".length()), e.data());
        }
      }
    });
    Set<String> owners = new TreeSet<>(invs.keySet());
    owners.addAll(jours.keySet());
    Map<String, Inventory> out = new TreeMap<>();
    for (String o : owners) {
      try {
        out.put(o, Inventory.parse(o, invs.get(o), jours.get(o)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** The SHA-256 of {@code path}'s bytes when the host proved them by digest, else null. */
  public String provenSha256(String path) {
    Proven p = proven.get(path);
    return p == null ? null : p.sha256();
  }

  /**
   * The keyed version of {@code content} at {@code path}, computed while the host answered, when the
   * host proved the file and {@code content} has the desired mode under the current key; else null
   * (the caller computes it).
   */
  public String provenVersion(String path, Content.Bytes content) {
    Proven p = proven.get(path);
    return p != null && p.expected().key() == RedactionKey.current() && content.mode().equals(p.desired().mode())
        ? p.expected().version() : null;
  }

  /** True when the root exists. */
  public boolean rootExists() {
    return rootExists;
  }

  /** The inventory of {@code owner}, empty when it has none. */
  public Inventory inventory(String owner) {
    return inventories.computeIfAbsent(owner, o -> new Inventory());
  }

  /** True when {@code owner} has a journal on the host. */
  public boolean hasJournal(String owner) {
    return journals.contains(owner);
  }

  /** Paths {@code owner} owns that are not on the host (or not reachable safely). */
  public Set<String> absentOwned(String owner) {
    Set<String> out = new TreeSet<>();
    for (String p : inventory(owner).files().keySet()) {
      if (!entries.containsKey(p) || !visible(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Those of {@code paths} that are not on the host (or not reachable safely). */
  public Set<String> absent(Set<String> paths) {
    Set<String> out = new TreeSet<>();
    for (String p : paths) {
      if (!entries.containsKey(p) || !visible(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Who owns {@code path}: {@code preferred} when it does, else the first other owner, else "". */
  public String ownerOf(String path, String preferred) {
    if (inventory(preferred).owns(path)) {
      return preferred;
    }
    return inventories.entrySet().stream().filter(e -> e.getValue().owns(path))
        .map(Map.Entry::getKey).findFirst().orElse("");
  }

  /** True when every directory above {@code path} was read as a real directory. */
  boolean visible(String path) {
    return visible(entries, path);
  }

  private static boolean visible(Map<String, Tar.Entry> entries, String path) {
    for (String dir : TargetPaths.ancestors(path)) {
      Tar.Entry e = entries.get(dir);
      if (e == null || e.type() != Tar.Type.DIRECTORY) {
        return false;
      }
    }
    return true;
  }

  /**
   * The content at {@code path}, or null when absent or reached through a symlink. Owner and
   * group are reported only when the inventory says this owner manages them. A non-file (symlink,
   * directory) reads as empty content with mode {@code 0000}, so that it never equals a desired file.
   */
  public Content.Bytes content(String path, Inventory.Entry managed) {
    Tar.Entry e = entries.get(path);
    if (e == null || !visible(path)) {
      return null;
    }
    Proven p = proven.get(path);
    return p != null ? p.desired().withMode(mode(e, managed)) : content(e, managed);
  }

  /** The content {@link #content(String, Inventory.Entry)} reports for a read entry. */
  static Content.Bytes content(Tar.Entry e, Inventory.Entry managed) {
    if (e.type() != Tar.Type.FILE) {
      return Content.bytes(new byte[0], FileMode.of(0));
    }
    FileMode mode = mode(e, managed);
    return e.sha256() != null ? Content.bytes(e.size(), e.sha256(), mode, null) : Content.bytes(e.data(), mode);
  }

  private static FileMode mode(Tar.Entry e, Inventory.Entry managed) {
    String owner = managed != null && !managed.mode().owner().isEmpty() ? e.owner() : "";
    String group = managed != null && !managed.mode().group().isEmpty() ? e.group() : "";
    return new FileMode(e.mode(), owner, group);
  }

  /** Every entry read, by relative path. */
  Map<String, Tar.Entry> entries() {
    return Collections.unmodifiableMap(entries);
  }
}

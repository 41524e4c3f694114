package dev.gitops.ssh.internal;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import dev.gitops.ssh.Host;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a files target knows about the directories under its root: which are real directories (safe
 * to write into) and which are symlinks (never followed), learned from the last read and from
 * checks before writes. Also performs the read. Thread-safe; not part of the public API.
 */
public final class RootState {
  private final Set<String> directories = ConcurrentHashMap.newKeySet();
  private final Set<String> absentAtRead = ConcurrentHashMap.newKeySet();
  private final Set<String> created = ConcurrentHashMap.newKeySet();
  private final Map<String, Object> creating = new ConcurrentHashMap<>();

  /**
   * Reads {@code paths}, every inventory, and the paths the owner's inventory lists beyond
   * {@code paths} (a second command, only when the inventory lists paths not asked for).
   */
  public Read read(ReadSession reader, String owner, Set<String> paths) throws IOException {
    Map<String, Tar.Entry> entries = new TreeMap<>();
    boolean exists = list(reader, paths, entries);
    Read first = new Read(exists, entries);
    Set<String> missing = new TreeSet<>(first.inventory(owner).files().keySet());
    missing.removeAll(paths);
    missing.removeIf(p -> TargetPaths.problem(p) != null);
    if (exists && !missing.isEmpty()) {
      list(reader, missing, entries);
    }
    Read read = missing.isEmpty() ? first : new Read(exists, entries);
    directories.clear();
    absentAtRead.clear();
    created.clear();
    entries.forEach((name, e) -> {
      if (e.type() == Tar.Type.DIRECTORY && read.visible(name)) {
        directories.add(name);
      }
    });
    if (exists) {
      for (String p : paths) {
        for (String dir : TargetPaths.ancestors(p)) {
          if (!entries.containsKey(dir)) {
            absentAtRead.add(dir);
          }
        }
      }
    }
    return read;
  }

  private static boolean list(ReadSession reader, Set<String> paths, Map<String, Tar.Entry> into)
      throws IOException {
    TreeRead.Listing listing = reader.read(paths);
    listing.entries().forEach(into::putIfAbsent);
    return listing.rootExists();
  }

  /**
   * Makes sure the directory of {@code path} exists as a real directory inside the root: checks the
   * directories above it (see {@link #checkInside}) and creates the missing ones. One caller per
   * directory does the work; parallel writers into the same new directory wait for it.
   *
   * @return true when this call created the directory (it was absent), so it is empty
   * @throws TargetException when a directory on the way is a symlink or not a directory
   */
  public boolean ensureInside(Host host, String root, ResourceId id, String path) throws IOException {
    String parent = TargetPaths.parent(path);
    if (directories.contains(parent)) {
      return false;
    }
    synchronized (creating.computeIfAbsent(parent, k -> new Object())) {
      if (directories.contains(parent)) {
        return false;
      }
      if (!createAbsent(host, root, parent)) {
        checkInside(host, root, id, path);
        if (directories.contains(parent)) {
          return false;
        }
        host.mkdirs(TargetPaths.join(root, parent));
        checkInside(host, root, id, path);
      }
      created.add(parent);
      return true;
    }
  }

  /**
   * The quick way, one request per directory: when every directory above {@code dir} is known
   * and the rest of the chain (down to {@code dir}) was absent at the last read, creates those
   * with {@link Host#mkdir}, outermost first. A created directory is a real one (mkdir fails on
   * anything already there, symlinks included), so needs no check. False, leaving the rest to the
   * careful way, when the read did not show the chain absent or a mkdir failed.
   */
  private boolean createAbsent(Host host, String root, String dir) throws IOException {
    if (!directories.contains(".")) {
      return false;
    }
    List<String> chain = TargetPaths.ancestors(dir + "/");
    List<String> missing = new ArrayList<>();
    for (String d : chain) {
      if (directories.contains(d) && missing.isEmpty()) {
        continue;
      }
      if (!absentAtRead.contains(d)) {
        return false;
      }
      missing.add(d);
    }
    for (String d : missing) {
      try {
        host.mkdir(TargetPaths.join(root, d), 0755);
      } catch (IOException e) {
        return false; // something is there now: the careful way looks at it
      }
      directories.add(d);
    }
    return true;
  }

  /** True when {@code dir} was created by this target since the last read (so it was empty). */
  public boolean createdSinceRead(String dir) {
    return created.contains(dir);
  }

  /** Forgets {@code dir} (deleted): the next write into it checks and creates it again. */
  public void forget(String dir) {
    directories.remove(dir);
  }

  /** True when {@code dir} ({@code "."} for the root) is known to be a real directory. */
  public boolean knownDirectory(String dir) {
    return directories.contains(dir);
  }

  /**
   * Checks that no directory above {@code path} is a symlink or a non-directory, asking the host
   * about those not known yet; stops at the first missing one (it will be created).
   *
   * @throws TargetException naming the symlink when one is found
   */
  public void checkInside(Host host, String root, ResourceId id, String path) throws IOException {
    if (!directories.contains(".")) {
      Host.Stat top = host.stat(root);
      if (top.type() == Host.Stat.Type.ABSENT) {
        return;
      }
      directories.add(".");
    }
    for (String dir : TargetPaths.ancestors(path)) {
      if (directories.contains(dir)) {
        continue;
      }
      Host.Stat stat = host.stat(TargetPaths.join(root, dir));
      switch (stat.type()) {
        case DIRECTORY -> directories.add(dir);
        case ABSENT -> {
          return;
        }
        case SYMLINK -> throw new TargetException(id, "'" + dir
            + "' is a symlink on the host: refusing to write or delete through it");
        default -> throw new TargetException(id, "'" + dir + "' is not a directory on the host");
      }
    }
  }

  /** The result of a read: entries by relative path and the inventories among them. */
  public static final class Read {
    private final boolean rootExists;
    private final Map<String, Tar.Entry> entries;
    private final Map<String, Inventory> inventories = new TreeMap<>();
    private final Set<String> journals = new HashSet<>();

    Read(boolean rootExists, Map<String, Tar.Entry> entries) throws IOException {
      this.rootExists = rootExists;
      this.entries = entries;
      Map<String, byte[]> invs = new HashMap<>();
      Map<String, byte[]> jours = new HashMap<>();
      entries.forEach((name, e) -> {
        if (name.startsWith(".gitops/") && e.type() == Tar.Type.FILE && visible(name)) {
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
      for (String o : owners) {
        inventories.put(o, Inventory.parse(invs.get(o), jours.get(o)));
      }
      journals.addAll(jours.keySet());
    }

    /** What the read found at the state folder {@code .gitops}, null when nothing. */
    public Tar.Type stateDir() {
      Tar.Entry e = entries.get(TargetPaths.STATE_DIR);
      return e == null ? null : e.type();
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
      return content(e, managed);
    }

    /** The content {@link #content(String, Inventory.Entry)} reports for a read entry. */
    static Content.Bytes content(Tar.Entry e, Inventory.Entry managed) {
      if (e.type() != Tar.Type.FILE) {
        return Content.bytes(new byte[0], FileMode.of(0));
      }
      String owner = managed != null && !managed.mode().owner().isEmpty() ? e.owner() : "";
      String group = managed != null && !managed.mode().group().isEmpty() ? e.group() : "";
      return Content.bytes(e.data(), new FileMode(e.mode(), owner, group));
    }
  }
}

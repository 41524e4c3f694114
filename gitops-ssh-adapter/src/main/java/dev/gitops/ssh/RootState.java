package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a files target knows about the directories under its root: which are real directories (safe
 * to write into) and which are symlinks (never followed), learned from the last read and from
 * checks before writes; what a read itself found is a {@link RootRead}. Thread-safe; not part of the
 * public API.
 */
final class RootState {
  private final Set<String> directories = ConcurrentHashMap.newKeySet();
  private final Set<String> absentAtRead = ConcurrentHashMap.newKeySet();
  private final Set<String> created = ConcurrentHashMap.newKeySet();
  private final Map<String, Object> creating = new ConcurrentHashMap<>();

  /**
   * Learns what {@code read} found: the real directories among its entries (forgetting what an
   * earlier read said), and which directories above {@code paths} were absent.
   */
  public void learn(RootRead read, Set<String> paths) {
    directories.clear();
    absentAtRead.clear();
    created.clear();
    read.entries().forEach((name, e) -> {
      if (e.type() == Tar.Type.DIRECTORY && read.visible(name)) {
        directories.add(name);
      }
    });
    if (read.rootExists()) {
      for (String p : paths) {
        for (String dir : TargetPaths.ancestors(p)) {
          if (!read.entries().containsKey(dir)) {
            absentAtRead.add(dir);
          }
        }
      }
    }
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
        case SYMLINK -> throw new TargetException(id, "'" + ResourceId.escape(dir)
            + "' is a symlink on the host: refusing to write or delete through it");
        default -> throw new TargetException(id, "'" + ResourceId.escape(dir) + "' is not a directory on the host");
      }
    }
  }

}

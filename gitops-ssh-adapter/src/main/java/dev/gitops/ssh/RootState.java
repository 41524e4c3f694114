package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the writes and deletes of a files target inside its root: just before each one, every
 * directory between the root and the path is looked at on the host, never followed, so that a
 * directory swapped for a symlink (or a file) after the read, or after the last step, is never
 * written, pruned nor swept through. Nothing a read saw is trusted for this: a plan can be applied
 * long after it was made, and anyone who can write a directory of the tree can swap what is in it.
 * A swap in the moment between that look and the write is found by a second look once the
 * temporary file is written, before its rename ({@link Host#writeAndRename(String, String, byte[], int,
 * boolean, String)}); a swap back and forth between those requests is not: over SFTP no request can
 * be tied to a directory already opened, and every host renames to the file's full path. So a folder
 * on the way that someone other than the connecting user and root may write is refused
 * ({@link SharedFolders}): no one else can then swap a directory in it; unless the folder is at or under
 * one the embedder trusts ({@link FilesTarget.Options#trustedFolders()}). Also remembers the directories this target created
 * since the last read (empty, so not swept). Thread-safe; not part of the public API.
 */
final class RootState {
  /** What {@link #missingFrom} returns when every directory on the way exists. */
  static final int COMPLETE = -1;
  private final Set<String> created = ConcurrentHashMap.newKeySet();
  private final Map<String, Object> creating = new ConcurrentHashMap<>();
  private final Uid me;
  /** The folders whose writers the user trusts ({@link FilesTarget.Options#trustedFolders()}). */
  private final List<String> trusted;
  /** The root as this run's first look found it, the folders above it judged. */
  private final RootVerdict verdict;

  /** The uid the host's commands run as, {@code -1} when the host does not say. */
  interface Uid {
    /** {@return the uid, asked of the host only when no read told it} */
    int get() throws IOException;
  }

  /**
   * @param verdict this run's look at the root and the folders above it, which also tells the uid the host's
   *     commands run as and the folders at or under which a folder others may write is not refused
   */
  RootState(RootVerdict verdict) {
    this.verdict = verdict;
    this.me = verdict.me();
    this.trusted = verdict.trusted();
  }

  /** Forgets what earlier steps created: called by every read. */
  public void reset() {
    created.clear();
  }

  /**
   * Makes sure the directory of {@code path} exists as a real directory inside the root: checks the
   * directories above it now ({@link #missingFrom}) and creates the missing ones, outermost first,
   * one {@link Host#mkdir} each (which fails on anything there, a symlink included). Parallel
   * writers into the same new directory wait for the one that creates it.
   *
   * @return true when this call created the directory (it was absent), so it is empty
   * @throws TargetException when a directory on the way is a symlink or not a directory
   */
  public boolean ensureInside(Host host, String root, ResourceId id, String path) throws IOException {
    if (missingFrom(host, root, id, path) == COMPLETE) {
      return false;
    }
    String parent = TargetPaths.parent(path);
    synchronized (creating.computeIfAbsent(parent, k -> new Object())) {
      int missing = missingFrom(host, root, id, path); // a parallel step may have made them meanwhile
      if (missing == COMPLETE) {
        return false;
      }
      if (missing == 0 && host.stat(root).type() == Host.Stat.Type.ABSENT) {
        host.mkdirs(root); // the root is the caller's to name: made as named
      }
      List<String> chain = TargetPaths.ancestors(path);
      for (String dir : chain.subList(missing, chain.size())) {
        String full = TargetPaths.join(root, dir);
        try {
          host.mkdir(full, 0755);
        } catch (IOException e) {
          Host.Stat now = host.stat(full); // made meanwhile by a parallel step, or something else is there
          if (now.type() != Host.Stat.Type.DIRECTORY) {
            refuse(id, dir, now.type());
            throw e;
          }
        }
      }
      created.add(parent);
      return true;
    }
  }

  /** True when {@code dir} was created by this target since the last read (so it was empty). */
  public boolean createdSinceRead(String dir) {
    return created.contains(dir);
  }

  /**
   * Looks at every directory above {@code path} (under the root, outermost first) on the host now,
   * not following symlinks, up to the first that is missing; the root, and the folders above it, once a
   * run ({@link RootVerdict}). Each
   * folder that holds one of them (the root included, the last directory not) must be one that no
   * one but the connecting user and root can write ({@link SharedFolders}): whoever can could swap the
   * directory in it for a symlink between this look and the write, and the write, its rename or a
   * delete, which name the file by its path, would land where the link leads, outside the root.
   *
   * @return the index in {@link TargetPaths#ancestors} of the first missing directory (it and those
   *     below it can be created), {@link #COMPLETE} when all are real directories
   * @throws TargetException naming the first that is a symlink or not a directory, or the first folder
   *     on the way, or above the root, that someone else can write
   */
  public int missingFrom(Host host, String root, ResourceId id, String path) throws IOException {
    Host.Stat above = verdict.root();
    if (above.type() == Host.Stat.Type.ABSENT) {
      return 0;
    }
    List<String> chain = TargetPaths.ancestors(path);
    for (int i = 0; i < chain.size(); i++) {
      Host.Stat now = host.stat(TargetPaths.join(root, chain.get(i)));
      refuse(id, chain.get(i), now.type());
      refuseShared(id, root, i == 0 ? null : chain.get(i - 1), chain.get(i), above,
          now.type() == Host.Stat.Type.ABSENT ? SharedFolders.OURS : now.uid());
      if (now.type() == Host.Stat.Type.ABSENT) {
        return i;
      }
      above = now;
    }
    return COMPLETE;
  }

  /**
   * Throws, naming {@code folder} ({@code null}: the root), when someone other than the connecting user
   * and root can rename {@code dir} in it; {@code dirUid} is {@code dir}'s owner, {@link SharedFolders#OURS}
   * for one this target is about to make.
   */
  private void refuseShared(ResourceId id, String root, String folder, String dir, Host.Stat stat, int dirUid)
      throws IOException {
    String why = SharedFolders.why(stat, dirUid, me);
    if (why != null && !SharedFolders.trusted(trusted, folder == null ? root : TargetPaths.join(root, folder))) {
      String named = folder == null ? "the root " + ResourceId.escape(root) : "'" + ResourceId.escape(folder) + "'";
      throw new TargetException(id, SharedFolders.refusal(named, why, dir, "write or delete under it"));
    }
  }

  /** Throws, naming {@code dir}, unless {@code type} is a directory's. */
  static void refuse(ResourceId id, String dir, Host.Stat.Type type) {
    switch (type) {
      case DIRECTORY, ABSENT -> { }
      case SYMLINK -> throw new TargetException(id, "'" + ResourceId.escape(dir)
          + "' is a symlink on the host: refusing to write or delete through it");
      default -> throw new TargetException(id, "'" + ResourceId.escape(dir) + "' is not a directory on the host ("
          + HostFiles.what(type) + "): refusing to write or delete under it");
    }
  }
}

package dev.gitops.ssh;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.StaleResourceException;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write and delete steps of a files target, each guarded: the path must stay inside the root
 * (no symlinked directory on the way), a create must find nothing (atomic create-if-absent), an
 * update, adopt or delete must find the content the plan was made against. Not part of the public API.
 */
final class Steps {
  private static final Logger LOG = LoggerFactory.getLogger(Steps.class);
  private final Host host;
  private final String root;
  private final RootState dirs;
  private final ReadSession reader;
  private final Leftovers leftovers;
  private final CaseClashes cases;

  /**
   * @param host the host
   * @param root the root directory
   * @param dirs what is known about the directories under the root
   * @param reader the target's reader, asked about paths whose owner or group this owner manages
   * @param leftovers the sweeper of temporary files of interrupted writes
   * @param cases what is known of names that differ only in case
   */
  public Steps(Host host, String root, RootState dirs, ReadSession reader, Leftovers leftovers, CaseClashes cases) {
    this.host = host;
    this.root = root;
    this.dirs = dirs;
    this.reader = reader;
    this.leftovers = leftovers;
    this.cases = cases;
  }

  /**
   * Creates, updates or adopts {@code path} with the action's desired content, recording it in
   * {@code ledger}; a file replaced keeps its owner and group when Git names none ({@link KeptOwner}).
   *
   * @return the applied step's detail: {@code ""}, or that the replaced file's owner could not be kept
   */
  public String write(Action action, String path, Ledger ledger) throws IOException {
    ResourceId id = action.id();
    Content.Bytes content = desired(action);
    dirs.ensureInside(host, root, id, path);
    if (!dirs.createdSinceRead(TargetPaths.parent(path))) {
      leftovers.sweep(host, root, TargetPaths.parent(path), ledger);
    }
    boolean create = action.kind() == Action.Kind.CREATE;
    String same = create ? cases.ownedSameEntry(path, ledger) : null; // a rename to another spelling the host ignores
    KeptOwner replaced = null; // owner and group of the file this write replaces, as the look before it found them
    if (same != null) {
      expectOwnEntry(action, path, same, ledger);
    } else if (!create) {
      replaced = expect(action, path, ledger);
    }
    FileMode mode = content.mode();
    boolean unnamed = mode.owner().isEmpty() || mode.group().isEmpty();
    int me = replaced != null && unnamed ? reader.uid() : -1; // asks the host only when no read told it
    // a user who is not root may keep a group it is in: asked of the host once, only then
    List<Integer> groups = me > 0 && mode.group().isEmpty() && !replaced.group().isEmpty() ? reader.groups() : List.of();
    FileMode set = KeptOwner.mode(mode, replaced, me, groups, reader, path);
    ledger.intent(path, mode);
    String tmp = TargetPaths.child(TargetPaths.parent(path), ledger.temporaryName());
    leftovers.writing(tmp);
    try {
      HostFiles.put(host, TargetPaths.join(root, path), TargetPaths.join(root, tmp), content, set,
          !create || same != null, root);
    } catch (HostFiles.Swapped e) { // between the look and the rename
      RootState.refuse(id, e.dir.substring(TargetPaths.join(root, "").length()), e.type); // relative to the root
      throw e;
    } catch (FileAlreadyExistsException e) {
      throw new StaleResourceException(id, Action.ABSENT, found(path));
    } catch (HostFiles.ModeDropped e) {
      throw new TargetException(id, e.getMessage(), false, e);
    } catch (IOException e) {
      if (isDirectory(path, e)) { // SFTP names no cause
        throw new TargetException(id, "not written: the host has a directory at '" + ResourceId.escape(path) + "', not a"
            + " file; a file is never written over a directory or what it holds (remove it by hand, or move the file"
            + " in Git)", false, e);
      }
      throw e;
    } finally {
      leftovers.written(tmp);
    }
    ledger.applied(path, content.digest(), mode);
    return KeptOwner.notKept(mode, replaced, me, groups);
  }

  /** Whether a directory is at {@code path} now, after {@code failed}; false when the host cannot tell. */
  private boolean isDirectory(String path, IOException failed) {
    try {
      return host.stat(TargetPaths.join(root, path)).type() == Host.Stat.Type.DIRECTORY;
    } catch (IOException e) {
      failed.addSuppressed(e);
      return false;
    }
  }

  /**
   * What a create found at {@code path}: a file, or what else is there (a socket, which the read's
   * tar skips, reads as absent), so that the error says what to remove.
   */
  private String found(String path) {
    try {
      Host.Stat.Type type = host.stat(TargetPaths.join(root, path)).type();
      return type == Host.Stat.Type.FILE || type == Host.Stat.Type.ABSENT ? "an existing file" : HostFiles.what(type);
    } catch (IOException e) {
      return "an existing file";
    }
  }

  private static Content.Bytes desired(Action action) {
    Resource r = action instanceof Action.Create c ? c.desired()
        : action instanceof Action.Update u ? u.desired() : ((Action.Adopt) action).desired();
    if (!(r.content() instanceof Content.Bytes bytes)) {
      throw new TargetException(r.id(), "a file needs bytes content, not a tree");
    }
    return bytes;
  }

  /** Deletes an owned {@code path}, recording it in {@code ledger}. */
  public void delete(Action.Delete action, String path, Ledger ledger) throws IOException {
    ResourceId id = action.id();
    if (!ledger.owns(path)) {
      throw new TargetException(id, "not in the inventory of this owner: refusing to delete");
    }
    if (sameEntry(id, path, ledger)) {
      ledger.deleted(path);
      return;
    }
    dirs.missingFrom(host, root, id, path);
    leftovers.sweep(host, root, TargetPaths.parent(path), ledger);
    if (!fingerprint(path, ledger, new KeptOwner[1]).equals(Action.ABSENT)) {
      expect(action, path, ledger);
      String full = TargetPaths.join(root, path);
      try {
        host.delete(full);
      } catch (IOException e) {
        if (host.stat(full).type() == Host.Stat.Type.DIRECTORY) {
          throw new TargetException(id, "not deleted: the host has a directory at '" + ResourceId.escape(path) + "' now, not the file"
              + " this owner wrote; prune never deletes a directory or what it holds (remove it by hand, or put"
              + " the file back in Git)", false, e);
        }
        throw e;
      }
    }
    ledger.deleted(path);
    deleteEmptyParents(id, path);
  }

  /**
   * Deletes the directories above {@code path} that are empty now, innermost first, up to but not
   * including the root; stops at the first that holds anything. The host's {@code rmdir} decides
   * atomically, so a directory that another step (or anyone) just wrote into stays. Before each, the
   * directories above it are looked at again: when one became a symlink (or anything but a
   * directory) since the file was deleted, nothing more is deleted, so an empty directory that the
   * link leads to outside the root stays; the file is gone, so the step is not failed for it.
   */
  private void deleteEmptyParents(ResourceId id, String path) throws IOException {
    for (String dir = TargetPaths.parent(path); !dir.equals("."); dir = TargetPaths.parent(dir)) {
      try {
        if (dirs.missingFrom(host, root, id, dir) != RootState.COMPLETE) {
          return; // a directory above is gone: nothing left to empty
        }
      } catch (TargetException e) {
        LOG.warn("{}: left the empty directories above {}: {}", host.describe() + root, ResourceId.escape(path),
            e.getMessage());
        return;
      }
      if (!host.deleteDirectory(TargetPaths.join(root, dir))) {
        return;
      }
    }
  }

  /**
   * True when the entry at {@code path} is an owned path's spelled another way (in another case or
   * normalisation form), on a host whose names ignore that: the delete only drops {@code path} from
   * the inventory. Refused when it is a desired path's that is not written yet.
   */
  private boolean sameEntry(ResourceId id, String path, Ledger ledger) throws IOException {
    String same = cases.ownedSameEntry(path, ledger);
    if (same != null) {
      java.util.List<String> shown = CaseFolding.shown(java.util.List.of(path, same), "");
      LOG.info("{}: kept the file at {}: the host's names ignore {}, and it is {} now", host.describe() + root,
          shown.get(0), cases.ignored(), shown.get(1));
      return true;
    }
    String wanted = cases.desiredSameEntry(path);
    if (wanted != null) {
      java.util.List<String> shown = CaseFolding.shown(java.util.List.of(path, wanted), "'");
      throw new TargetException(id, "not deleted: the host's names ignore " + cases.ignored() + ", and "
          + shown.get(0) + " is the same file as " + shown.get(1) + ", desired and not written yet (its step"
          + " failed or has not run)", false, null);
    }
    return false;
  }

  /**
   * A create over the entry of {@code same}, the same file on a host whose names ignore how they
   * differ: it must hold what this owner last wrote there (bytes and permissions), or nothing.
   */
  private void expectOwnEntry(Action action, String path, String same, Ledger ledger) throws IOException {
    String full = TargetPaths.join(root, path);
    Host.Stat stat = host.stat(full);
    if (stat.type() == Host.Stat.Type.ABSENT) {
      return;
    }
    Inventory.Entry wrote = ledger.entry(same);
    byte[] data = stat.type() == Host.Stat.Type.FILE ? host.read(full) : null;
    boolean ours = data != null && wrote != null && stat.permissions() == wrote.mode().permissions()
        && Content.bytes(data, new FileMode(stat.permissions(), wrote.mode().owner(), wrote.mode().group()))
            .digest().equals(wrote.digest());
    if (!ours) {
      throw new StaleResourceException(action.id(), Action.ABSENT, "'" + ResourceId.escape(same)
          + "' (the same file on this host, whose names ignore " + cases.ignored() + ") not as this owner wrote it");
    }
  }

  /** Checks the action's expected fingerprint; returns the owner and group of what is there. */
  private KeptOwner expect(Action action, String path, Ledger ledger) throws IOException {
    KeptOwner[] owner = {KeptOwner.UNKNOWN};
    String found = fingerprint(path, ledger, owner);
    if (!action.expected().isEmpty() && !found.equals(action.expected())) {
      throw new StaleResourceException(action.id(), action.expected(), found);
    }
    return owner[0];
  }

  /**
   * The fingerprint of what is at {@code path} now, as a read reports it: the keyed
   * {@link FileVersion} of bytes and mode (owner and group as this owner manages them),
   * {@code absent} when nothing is there.
   * A path whose owner or group is managed is asked of the reader, which names them as a read
   * does (SFTP v3 knows only numeric ids); any other is looked at with two file operations.
   */
  private String fingerprint(String path, Ledger ledger, KeptOwner[] owner) throws IOException {
    if (cases.isShared(path)) { // read as one entry's other spelling, whatever it holds
      return host.stat(TargetPaths.join(root, path)).type() == Host.Stat.Type.ABSENT ? Action.ABSENT
          : FileVersion.fingerprint(path, CaseClashes.SHARED);
    }
    Inventory.Entry managed = ledger.entry(path);
    boolean named = managed != null && (!managed.mode().owner().isEmpty() || !managed.mode().group().isEmpty());
    String full = TargetPaths.join(root, path);
    Host.Stat stat = named ? null : host.stat(full);
    if (named || stat.size() > Content.Bytes.LARGE) { // the reader digests a large file as it streams by
      TreeRead.Listing listing = reader.read(java.util.Set.of(path));
      Tar.Entry e = listing.entries().get(path);
      owner[0] = e == null ? KeptOwner.UNKNOWN : KeptOwner.of(e);
      return e == null ? Action.ABSENT : FileVersion.fingerprint(path, RootRead.content(e, managed));
    }
    if (stat.type() == Host.Stat.Type.ABSENT) {
      return Action.ABSENT;
    }
    if (stat.type() != Host.Stat.Type.FILE) {
      return FileVersion.fingerprint(path, Content.bytes(new byte[0], FileMode.of(0)));
    }
    owner[0] = KeptOwner.of(stat);
    byte[] data = host.read(full);
    if (data == null) {
      return Action.ABSENT;
    }
    return FileVersion.fingerprint(path, Content.bytes(data, FileMode.of(stat.permissions())));
  }
}

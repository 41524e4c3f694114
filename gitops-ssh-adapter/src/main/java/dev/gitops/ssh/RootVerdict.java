package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.util.List;

/**
 * One run's verdict on the way to a files target's root: the folders above it, from the root's folder up
 * to {@code /}, judged as OpenSSH's {@code StrictModes} judges the path to a key ({@code safe_path} in its
 * {@code misc.c}: each directory owned by root or the user, and writable by neither group nor others),
 * since whoever may write one of them can rename what is in it, the root or a folder on its way, and put
 * a symlink or a folder of theirs in its place. Unlike {@code safe_path}, a sticky folder ({@code /tmp})
 * holding an entry of the user or root is taken: there only the entry's owner, the folder's owner and root
 * may rename it ({@link SharedFolders}). Where the host's {@link Host#stat} tells no owner (MINA SSHD's SFTP,
 * which tells no sticky bit either), a folder that group or others may write is looked at again through
 * the host's shell ({@code stat}, as {@link ShellReads#stat}), with the entry in it. A symlink on the way is
 * refused (OpenSSH resolves the path first; the host here is asked by name, and what the link leads to
 * is not judged). A folder at or under a trusted one ({@link FilesTarget.Options#trustedFolders()})
 * stops the judging. An absent folder (the root or above, to be made) is skipped: the folder that holds
 * it is judged.
 *
 * <p>The verdict is taken when first needed after {@link #forget}, before the first write or delete of
 * a run, and kept for that run only: {@link FilesTarget} forgets it at each read, lock taken, lock
 * released and flush, so a target that writes long after its last read, or without one, is judged anew;
 * and tells the host, whose own verdicts ({@link SshHost}'s over SFTP) follow the same runs.
 * Thread-safe; not part of the public API.
 */
final class RootVerdict {
  private final Host host;
  private final String root;
  private final String target;
  private final RootState.Uid me;
  private final List<String> trusted;
  /** The root as this run's first look found it, the folders above judged; null until then or when absent. */
  private volatile Host.Stat seen;

  /**
   * @param host the host
   * @param root the target's root, absolute
   * @param target the target's description, for messages
   * @param me the uid the host's commands run as, asked only for a folder of a user other than root
   * @param trusted absolute folders at or under which no folder is judged
   */
  RootVerdict(Host host, String root, String target, RootState.Uid me, List<String> trusted) {
    this.host = host;
    this.root = root;
    this.target = target;
    this.me = me;
    this.trusted = List.copyOf(trusted);
  }

  /** The folders whose writers the user trusts ({@link FilesTarget.Options#trustedFolders()}). */
  List<String> trusted() {
    return trusted;
  }

  /** The uid the host's commands run as ({@link RootState.Uid}). */
  RootState.Uid me() {
    return me;
  }

  /**
   * Forgets the verdict: the next {@link #root} looks and judges again; so does the host, of the root and the
   * folders under it ({@link Host#forget}).
   */
  void forget() {
    seen = null;
    host.forget(root);
  }

  /**
   * The root as this run found it ({@code lstat}), the folders above it judged first; an absent root is
   * looked at (and the folders above judged) again at each call, until made.
   *
   * @throws TargetException naming the first folder above the root that someone else may write, why and
   *     the remedies, or a symlink on the way: not retryable
   */
  Host.Stat root() throws IOException {
    Host.Stat now = seen;
    if (now != null) {
      return now;
    }
    now = host.stat(root);
    judgeAbove(now);
    if (now.type() != Host.Stat.Type.ABSENT) {
      seen = now;
    }
    return now;
  }

  private void judgeAbove(Host.Stat rootStat) throws IOException {
    Host.Stat below = rootStat;
    String path = root;
    while (!path.equals("/") && !SharedFolders.trusted(trusted, path)) {
      String folder = parent(path);
      if (SharedFolders.trusted(trusted, folder)) {
        return;
      }
      Host.Stat stat = host.stat(folder);
      if (stat.type() == Host.Stat.Type.DIRECTORY && stat.uid() < 0 && (stat.permissions() & 022) != 0) {
        stat = ShellReads.stat(host, folder); // owners and the sticky bit, which MINA SSHD's SFTP does not tell
        if (below.type() != Host.Stat.Type.ABSENT && below.uid() < 0) {
          below = ShellReads.stat(host, path);
        }
      }
      switch (stat.type()) {
        case ABSENT -> below = Host.Stat.ABSENT;
        case DIRECTORY -> {
          int entry = below.type() == Host.Stat.Type.ABSENT ? SharedFolders.OURS : below.uid();
          String why = SharedFolders.why(stat, entry, me);
          if (why != null) {
            throw new TargetException(null, target + ": " + SharedFolders.refusal("the folder "
                + ResourceId.escape(folder) + " above the root " + ResourceId.escape(root), why,
                path.substring(folder.length() == 1 ? 1 : folder.length() + 1),
                "write or delete under the root"), false, null);
          }
          below = stat;
        }
        default -> throw new TargetException(null, target + ": " + ResourceId.escape(folder) + ", above the root "
            + ResourceId.escape(root) + ", is " + HostFiles.what(stat.type()) + " on the host: refusing to write or"
            + " delete under the root through it, whose way is not judged (name the root by its real path, or"
            + " name a folder at or above it in FilesTarget.Options.withTrustedFolders)", false, null);
      }
      path = folder;
    }
  }

  /** The folder of the absolute {@code path} ({@code /} for one right under it). */
  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}

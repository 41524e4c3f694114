package dev.gitops.ssh;

/**
 * Who besides the connecting user and root can rename an entry of a folder on the host: whoever can
 * write the folder (its owner, its group with {@code g+w}, anyone with {@code o+w}), unless the folder
 * is sticky ({@code +t}), where only the entry's owner, the folder's owner and root may ({@code
 * may_delete} in Linux's {@code fs/namei.c}: {@code check_sticky}). Such a person can swap a directory
 * on the way to a file for a symlink between a look at it and a write through it: every write, rename
 * and delete names its file by a path that the host resolves anew, through whatever each directory's
 * name leads to then (SFTP has no request relative to a directory already opened; OpenSSH's
 * {@code sftp-server} serves {@code posix-rename@openssh.com} with {@code rename(2)} of both paths, a
 * v3 rename with {@code link(2)} and {@code unlink(2)}). Pure; not part of the public API.
 */
final class SharedFolders {
  /** The owner of an entry the connecting user made or is about to make, whatever its uid. */
  static final int OURS = Integer.MIN_VALUE;

  private SharedFolders() {}

  /**
   * Why someone other than uid {@code me} and root may rename an entry owned by {@code entryUid} in
   * {@code folder}; null when no one may.
   *
   * @param folder the folder, as an {@code lstat} found it; its owner {@code -1} when the host did not say
   *     (MINA SSHD's SFTP server): then only its mode bits are judged
   * @param entryUid the owner of the entry ({@link #OURS} for one the user made or is about to make),
   *     {@code -1} when unknown
   * @param me the uid the host's commands run as, {@code -1} when unknown (then the folder's owner is not judged)
   */
  static String why(Host.Stat folder, int entryUid, int me) {
    int bits = folder.permissions();
    int uid = folder.uid();
    if (uid > 0 && me >= 0 && uid != me) {
      return "is owned by uid " + uid + ", neither root nor the user gitops runs as there (uid " + me + ")";
    }
    if ((bits & 022) == 0) {
      return null;
    }
    boolean ours = entryUid == OURS || entryUid == 0 || entryUid >= 0 && entryUid == me;
    if ((bits & 01000) != 0 && ours) {
      return null; // sticky: only the entry's owner, the folder's owner (us or root) and root may rename it
    }
    String mode = String.format("%04o", bits & 07777);
    return (bits & 02) != 0 ? "is writable by others (mode " + mode + ")"
        : "is writable by its group" + (folder.gid() >= 0 ? " (gid " + folder.gid() + ")" : "") + " (mode " + mode + ")";
  }

  /**
   * Why someone other than the connecting user and root may rename an entry owned by {@code entryUid}
   * in {@code folder} (as {@link #why}); the uid the host runs as asked of {@code me} only when it
   * matters: a folder of an owner other than root, or an entry of another owner, in a folder others may write.
   */
  static String why(Host.Stat folder, int entryUid, RootState.Uid me) throws java.io.IOException {
    if (folder.uid() <= 0 && (folder.permissions() & 022) == 0) {
      return null; // root's (or of an owner the host does not say), and no one else may write it
    }
    return why(folder, entryUid, folder.uid() > 0 || entryUid > 0 ? me.get() : -1);
  }

  /**
   * True when the absolute {@code folder} is one of {@code trusted} or under one
   * ({@link FilesTarget.Options#trustedFolders()}): its writers are trusted, it is not judged.
   */
  static boolean trusted(java.util.List<String> trusted, String folder) {
    for (String t : trusted) {
      if (folder.equals(t) || folder.startsWith(t.endsWith("/") ? t : t + "/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The refusal of a write or delete through {@code entry} (relative to the root, escaped here) in the
   * folder {@code named} (already escaped, e.g. {@code the root /srv/app}), which someone else may write
   * ({@code why}): what could happen, what was refused and the remedies, the opt-out named.
   */
  static String refusal(String named, String why, String entry, String what) {
    return named + " " + why + " on the host: whoever can write it can swap '" + dev.gitops.model.ResourceId.escape(entry)
        + "' for a symlink between gitops's look at it and a write or delete through it, which would then land where"
        + " the link leads, outside the root; refusing to " + what + " (make it writable by the connecting user and"
        + " root alone: chmod go-w, or a sticky folder of theirs; or, when everyone who may write it is trusted, name"
        + " it in FilesTarget.Options.withTrustedFolders)";
  }

  /**
   * The folder a file was just written in over SFTP is one that someone else may write ({@link #why}):
   * the temporary file could be another by now (a hard link to a file outside the root, swapped in at
   * its name), so it was not renamed into place.
   */
  static final class Shared extends java.io.IOException {
    private static final long serialVersionUID = 1L;
    /** The folder, absolute. */
    final String dir;

    Shared(String dir, String why) {
      super(dir + " " + why + ": the temporary file in it was not renamed into place");
      this.dir = dir;
    }
  }
}

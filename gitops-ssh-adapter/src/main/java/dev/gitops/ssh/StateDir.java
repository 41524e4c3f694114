package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The state folder {@code <root>/.gitops} (inventories, journals, the lock, the deploy history),
 * checked like any target path: it must be a real directory, never a symlink (its files would land
 * outside the root) nor anything else; when absent it is created {@code 0700}, the root too when
 * missing. It is looked at on the host ({@code stat}, not following a symlink) just before each
 * use, never taken from the last read: whoever can write the root can swap it for a symlink
 * between a read and the lock, the journal or the history that follow. A folder read as absent is
 * created with one {@code mkdir}, which fails on anything there, a symlink included, so needs no
 * look.
 *
 * <p>The root that holds the folder, and the folders above it, are judged before every write and delete in
 * it ({@link #judgeRoot}): whoever else may write the root could swap the folder for a symlink after any look
 * at it, and whoever may write a folder above could swap the root.
 *
 * <p>Like OpenSSH's {@code StrictModes} for {@code ~/.ssh}, the folder and the state files read from
 * it (inventories, journals, the lock, the history) are refused when another user could write them:
 * owned by someone else than the user the host runs our commands as ({@code id -u}, told by the
 * root's reader) and root, or writable by group or others. A sticky bit does not make the folder
 * safe: it keeps others from replacing our files, not from creating a journal or a lock that is not
 * there yet, which the next run would read. A host that does not tell owners ({@link Host.Stat#uid()}
 * {@code -1}) has only the modes checked.
 *
 * <p>Where the file system gives what this user makes to another owner (NFS with {@code root_squash}
 * gives root's to {@code nobody}), a folder of that owner is taken, and so are state files of that
 * owner in it, once a file made in it now, open on a descriptor, is seen to get that owner ({@link
 * #PROBE}, as {@code ShellFiles} proves its write folder: {@code /proc/self/fd}; refused, saying why,
 * without it). A folder another user made is still refused: what this user makes in it stays this
 * user's (or the squashed owner, which is not the neighbour's), and neither the folder the script
 * entered nor the file on its descriptor can be swapped for the look. The modes are checked as
 * before: a folder group or others may write is refused whoever owns it. What such a share cannot
 * tell apart, no check here can: every process the server takes for that owner (root of any client,
 * squashed) may write there, as it may write every file the target deploys. Thread-safe; not part of
 * the public API.
 */
final class StateDir {
  /** The mode a new state folder gets: the lock and inventories are nobody else's business. */
  public static final int MODE = 0700;
  private final Host host;
  private final String root;
  private final String path;
  private final String target;
  private final ReadSession reader;
  /** This run's look at the root and the folders above it ({@link #judgeRoot}). */
  private final RootVerdict verdict;
  private volatile boolean absentAtRead;
  /** The owner proven to be the one a file this user makes in the folder gets ({@link #PROBE}), -1 until then. */
  private volatile int squashedTo = -1;

  /**
   * What the probe file's name is made for ({@link HostFiles#temporaryName}:
   * {@code .squash-probe.gitops-<random>.tmp}, as every temporary file of the folder), so that one a killed
   * run left is known as such: {@link #isProbe}.
   */
  private static final String PROBE_FILE = "squash-probe";

  /**
   * In the folder {@code $1} (entered, {@code cd -P}, never through a symlink: its {@code ..} must be the
   * folder {@code $1} is in), removes the probe files a killed run left ({@link #isProbe}: regular files,
   * never a link), makes the file {@code $2} ({@code O_EXCL}, {@code 0600}), open on fd 3, and prints the
   * folder's owner when that file has it: both by {@code ls -n}, the file through {@code /proc/self/fd/3}
   * (the file made, whatever its name leads to by then), the folder as the working directory; the file is
   * removed. Exit 25 without {@code /proc/self/fd}, 22 when the owners differ or the folder is not the one
   * at {@code $1}. A run killed between the make and the removal leaves the file; the next probe, or the
   * next fold of a journal ({@code Ledger}), removes it, and {@link #seen} never takes it for a state file.
   */
  private static final String PROBE = ShellFiles.PRINT_MARK + "u=${1%/*}; u=${u:-/}; "
      + "if [ -L \"$1\" ]; then exit 22; fi; cd -P -- \"$1\" || exit 1; "
      + "{ [ .. -ef \"$u\" ] && [ ! -L \"$1\" ]; } || exit 22; umask 077; "
      + "for f in ." + PROBE_FILE + ".gitops-*.tmp; do "
      + "if [ -f \"$f\" ] && [ ! -L \"$f\" ]; then rm -f -- \"$f\"; fi; done; "
      + "set -C; exec 3> \"$2\" || exit 1; "
      + "if [ ! -d /proc/self/fd ]; then rm -f -- \"$2\"; exit 25; fi; d=$(ls -nd . | awk '{print $3}'); "
      + "f=$(ls -nLd /proc/self/fd/3 | awk '{print $3}'); rm -f -- \"$2\"; "
      + "if [ -z \"$d\" ] || [ \"$d\" != \"$f\" ]; then exit 22; fi; printf '%s\\n' \"$d\"";

  /**
   * @param host the host
   * @param root the target's root
   * @param target the target's description, for messages
   * @param reader the root's reader, which tells the user id our commands run as
   * @param verdict this run's look at the root and the folders above it, which holds the folders at or under
   *     which a root others may write is not refused ({@link #judgeRoot})
   */
  public StateDir(Host host, String root, String target, ReadSession reader, RootVerdict verdict) {
    this.host = host;
    this.root = root;
    this.path = TargetPaths.join(root, TargetPaths.STATE_DIR);
    this.target = target;
    this.reader = reader;
    this.verdict = verdict;
  }

  /** The absolute path of the folder. */
  public String path() {
    return path;
  }

  /** The absolute path of {@code name} in the folder. */
  public String file(String name) {
    return path + "/" + name;
  }

  /**
   * Replaces {@code name} in the folder with {@code data} ({@code 0600}) by rename, the folder looked
   * at again once the temporary file is written, before the rename ({@link HostFiles.Swapped}).
   */
  public void replace(String name, byte[] data) throws IOException {
    put(name, data, true);
  }

  /**
   * As {@link #replace}, or, when not {@code replace}, creates {@code name} only if it does not exist
   * ({@link java.nio.file.FileAlreadyExistsException} otherwise).
   */
  public void put(String name, byte[] data, boolean replace) throws IOException {
    HostFiles.put(host, file(name), HostFiles.temporaryName(file(name)), data, FileMode.of(0600), replace, root);
  }

  /**
   * What a read of the root found at {@code .gitops} (from {@code entries}, by relative path): an
   * absent one is created without a look first; anything else is looked at before each use. The
   * folder and the inventories and journals read with it are checked now, before anything is planned
   * from them.
   *
   * @throws TargetException when the folder is not a directory, or it or a state file is open to others
   */
  public void seen(Map<String, Tar.Entry> entries) throws IOException {
    Tar.Entry dir = entries.get(TargetPaths.STATE_DIR);
    absentAtRead = dir == null;
    if (dir == null) {
      return;
    }
    if (dir.type() != Tar.Type.DIRECTORY) {
      exists(); // throws, naming what is there instead
    }
    int me = reader.knownUid();
    refuseUnsafe(TargetPaths.STATE_DIR, dir.mode(), dir.uid(), me);
    for (Tar.Entry e : entries.values()) {
      if (e.name().startsWith(TargetPaths.STATE_DIR + "/") && e.type() == Tar.Type.FILE
          && !isProbe(TargetPaths.name(e.name()))) { // never read: swept, not checked
        refuseUnsafe(e.name(), e.mode(), e.uid(), me);
      }
    }
  }

  /** True when {@code name}, of a file in the folder, is a probe file's ({@link #PROBE}) that a killed run left. */
  static boolean isProbe(String name) {
    return PROBE_FILE.equals(Leftovers.targetOf(name));
  }

  /**
   * Reads the state file {@code name} (a regular file, never through a symlink), refused when another
   * user could have written it or when it holds more than this library writes there
   * ({@link BoundedReads#stateFile}).
   *
   * @return its bytes, null when absent
   * @throws TargetException when it is open to others or too large
   */
  public byte[] read(String name) throws IOException {
    Host.Stat stat = host.stat(file(name));
    if (stat.type() == Host.Stat.Type.ABSENT) {
      return null;
    }
    checkFile(name, stat);
    return BoundedReads.read(host, file(name), stat, BoundedReads.stateFile(name));
  }

  /**
   * Refuses the state file {@code name} when {@code stat} says another user could have written it.
   *
   * @throws TargetException naming it, its mode and owner
   */
  public void checkFile(String name, Host.Stat stat) throws IOException {
    refuseUnsafe(TargetPaths.STATE_DIR + "/" + name, stat.permissions(), stat.uid(), reader.uid());
  }

  /**
   * Makes sure the folder is a real directory, creating it ({@code 0700}, and the root when missing).
   *
   * @throws TargetException when something else is there (a symlink, a file): not retryable
   * @throws IOException when the host cannot be asked
   */
  public void ensure() throws IOException {
    judgeRoot();
    if (absentAtRead) {
      absentAtRead = false;
      try {
        host.mkdir(path, MODE); // a real, new directory or a failure: no look needed
        return;
      } catch (IOException e) {
        // something is there now, or the root is gone: the careful way looks
      }
    }
    Host.Stat stat = host.stat(path);
    if (stat.type() == Host.Stat.Type.ABSENT) {
      create();
      stat = host.stat(path);
    }
    check(stat);
  }

  /**
   * Refuses every write and delete in the folder when someone other than the connecting user and root
   * may write the root ({@link SharedFolders}), unless the root is trusted
   * ({@link FilesTarget.Options#trustedFolders()}): such a person could swap {@code .gitops} for a symlink
   * between the look at it ({@link #ensure}, {@link #exists}) and the write of the lock, a journal, an
   * inventory or the history, or the delete of one, each of which names its file by a path through
   * {@code .gitops}, and it would land where the link leads, outside the root. The root is looked at
   * ({@code lstat}), and the folders above it judged, once a run ({@link RootVerdict}); an absent one is made
   * by this target (or a symlink there, taken as named) and not judged. Called by {@link #ensure} and before
   * each delete.
   *
   * @throws TargetException naming the root or the folder above it, why and the remedies: not retryable
   */
  public void judgeRoot() throws IOException {
    Host.Stat top = verdict.root();
    if (top.type() == Host.Stat.Type.DIRECTORY) {
      String why = SharedFolders.why(top, SharedFolders.OURS, reader::uid);
      if (why != null && !SharedFolders.trusted(verdict.trusted(), root)) {
        throw new TargetException(null, target + ": " + SharedFolders.refusal("the root " + ResourceId.escape(root),
            why, TargetPaths.STATE_DIR, "keep the lock, inventories and history in it"), false, null);
      }
    }
  }

  /**
   * True when the file system of the folder, so of the root, takes two spellings of a name for one:
   * names that differ only in case ({@link CaseFolding.Folding#CASE}: a probe file with a random
   * lower-case name, looked at by its name in upper case), or only in Unicode normalisation
   * ({@link CaseFolding.Folding#FORM}: a random name with an e with an acute accent in NFC, looked at
   * by its NFD spelling); or, of a host that ignores case, whether it folds case fully
   * ({@link CaseFolding.Folding#CASE_FULL}: a random name with a sharp s, looked at with ss in its place,
   * as Linux casefold directories and APFS take it, and Windows, SMB and HFS+ do not). The probe file is
   * made in the folder (made when absent), then deleted. The
   * folder is this user's alone (checked first), so no one else can have put the other name there.
   * A host whose names cannot hold the accent or the sharp s ({@link HostLimits#charset()}) holds neither
   * spelling, so it is not asked: false.
   */
  public boolean ignores(CaseFolding.Folding fold) throws IOException {
    String key = TempNames.newKey();
    String name = switch (fold) {
      case CASE -> "case-probe-" + key;
      case CASE_FULL -> "fold-probe-\u00df-" + key;
      default -> "form-probe-\u00e9-" + key;
    };
    String other = switch (fold) {
      case CASE -> name.toUpperCase(java.util.Locale.ROOT);
      case CASE_FULL -> "fold-probe-ss-" + key;
      default -> java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD);
    };
    if (!host.limits().charset().newEncoder().canEncode(name)) {
      return false;
    }
    ensure();
    host.write(file(name), new byte[0], 0600, true);
    try {
      return host.stat(file(other)).type() == Host.Stat.Type.FILE;
    } finally {
      host.delete(file(name));
    }
  }

  /**
   * True when the folder is a real directory, false when absent (for reads, which create nothing).
   *
   * @throws TargetException when something else is there
   */
  public boolean exists() throws IOException {
    Host.Stat stat = host.stat(path);
    if (stat.type() == Host.Stat.Type.ABSENT) {
      return false;
    }
    check(stat);
    return true;
  }

  private void create() throws IOException {
    try {
      host.mkdir(path, MODE);
    } catch (IOException first) {
      Host.Stat top = host.stat(root);
      if (top.type() == Host.Stat.Type.ABSENT) {
        host.mkdirs(root);
        host.mkdir(path, MODE);
      } else if (host.stat(path).type() == Host.Stat.Type.ABSENT) {
        throw first;
      } // else: made meanwhile by another deployer; checked by the caller
    }
  }

  private void check(Host.Stat stat) throws IOException {
    switch (stat.type()) {
      case DIRECTORY -> refuseUnsafe(TargetPaths.STATE_DIR, stat.permissions(), stat.uid(), reader.uid());
      case SYMLINK -> throw new TargetException(null, target + ": '" + TargetPaths.STATE_DIR
          + "' is a symlink on the host: refusing to keep the lock, inventories and history outside the"
          + " root through it (replace it with a directory, or remove it)", false, null);
      default -> throw new TargetException(null, target + ": '" + TargetPaths.STATE_DIR
          + "' is not a directory on the host (" + stat.type().name().toLowerCase(java.util.Locale.ROOT)
          + "): refusing to use it (remove it)", false, null);
    }
  }

  /**
   * True when a file this user ({@code me}) makes in the folder now gets the folder's owner {@code uid}
   * ({@link #PROBE}): the file system gives what this user makes to that owner; remembered.
   *
   * @throws TargetException when the host has no {@code /proc/self/fd} to tell
   */
  private boolean squashed(int uid, int me) throws IOException {
    String probe = TargetPaths.name(HostFiles.temporaryName(file(PROBE_FILE)));
    Host.Result r = host.exec(List.of("sh", "-c", PROBE, "gitops-probe", path, probe), new byte[0]);
    if (r.exitCode() == 25) {
      throw new TargetException(null, target + ": '" + TargetPaths.STATE_DIR + "' is owned by uid " + uid + ", not by"
          + " this user (uid " + me + ") nor root, and the host has no /proc/self/fd to prove that a file this user makes"
          + " in it gets that owner (as NFS with root_squash gives root's to nobody): refusing to use it (chown " + me
          + " " + ResourceId.escape(path) + "; or remove it)", false, null);
    }
    if (r.exitCode() != 0) {
      return false;
    }
    String said = new String(ShellFiles.marked(r.stdout(), "gitops-probe"), java.nio.charset.StandardCharsets.US_ASCII);
    if (!said.strip().equals(Integer.toString(uid))) {
      return false;
    }
    squashedTo = uid;
    return true;
  }

  /**
   * Throws when {@code name} (relative to the root) with {@code mode}, owned by {@code uid}, could be
   * written by another user than {@code me}: owned by neither {@code me} nor root (nor the owner proven
   * to be the one this user's files get in the folder: {@link #squashed}), or writable by group or
   * others. An unknown owner or {@code me} ({@code -1}) leaves only the mode checked.
   */
  private void refuseUnsafe(String name, int mode, int uid, int me) throws IOException {
    boolean open = (mode & 022) != 0;
    boolean foreign = uid >= 0 && me >= 0 && uid != me && uid != 0 && uid != squashedTo;
    if (foreign && !open && name.equals(TargetPaths.STATE_DIR)) {
      foreign = !squashed(uid, me);
    }
    if (!open && !foreign) {
      return;
    }
    String full = ResourceId.escape(TargetPaths.join(root, name));
    List<String> why = new ArrayList<>();
    List<String> fix = new ArrayList<>();
    if (foreign) {
      why.add("owned by uid " + uid + ", not by this user (uid " + me + ") nor root");
      fix.add("chown " + me + " " + full);
    }
    if (open) {
      why.add("writable by " + ((mode & 020) != 0 ? (mode & 002) != 0 ? "group and others" : "group" : "others"));
      fix.add("chmod go-w " + full);
    }
    throw new TargetException(null, target + ": '" + ResourceId.escape(name) + "' is " + String.join(" and ", why)
        + " (mode " + String.format("%04o", mode & 07777) + ", owner uid " + (uid < 0 ? "unknown" : uid)
        + "): another user could plant a journal or a lock there that steers the next run; refusing to use it,"
        + " as OpenSSH's StrictModes refuses such a ~/.ssh (" + String.join(", ", fix) + "; or remove it)",
        false, null);
  }
}

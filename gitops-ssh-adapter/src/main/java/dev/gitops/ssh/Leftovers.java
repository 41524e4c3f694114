package dev.gitops.ssh;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sweeps the temporary files that an interrupted write left behind. Before the first write or delete
 * into a directory since the last read, the directory's regular files and folders are listed
 * ({@link Host#entries}, in the one call that listed its files before) and each one this owner can prove
 * it made ({@link TempNames}: a name whose tag checks under the owner's key) and is not writing right
 * now is deleted: a file; a folder of {@code Host}'s shell write ({@link PrivateScripts}), which holds at
 * most a file of its own name, by {@link PrivateScripts#remove}, as a write that failed removes its own at
 * once: that file, then the folder, only when empty ({@code rmdir}), and only when the folder is this
 * user's; a file that removal made next to the folder and a run killed meanwhile left ({@link #probeOf}),
 * when the folder's name is this owner's. Nothing else is ever deleted: not a wanted file that only looks
 * like a temporary one, not a symlink (nor what it leads to), not another owner's (by the tag of its name,
 * and a folder by the user that owns it: another user's put at a name seen in a listing is left alone). A folder swapped
 * since the listing for a symlink is neither entered nor removed. The caller skips directories it just
 * created. Thread-safe; not part of the public API.
 */
final class Leftovers {
  private static final Pattern STATE_TEMP = Pattern.compile("\\.(.+)\\.gitops-[0-9a-f]{12}\\.tmp", Pattern.DOTALL);
  private final Set<String> swept = ConcurrentHashMap.newKeySet();
  private final Map<String, Object> sweeping = new ConcurrentHashMap<>();
  private final Set<String> writing = ConcurrentHashMap.newKeySet();

  /**
   * The name of the state file (in {@code .gitops/}) a temporary file {@code name} was written for
   * ({@link HostFiles#temporaryName}), or null when not one.
   */
  public static String targetOf(String name) {
    Matcher m = STATE_TEMP.matcher(name);
    return m.matches() ? m.group(1) : null;
  }

  /**
   * The name of the private folder a removal's probe file {@code name} was made next to
   * ({@link PrivateScripts#remove}: named {@link HostFiles#temporaryName} of the folder), or null when not
   * one; the sweep deletes such a file when that folder's name is this owner's ({@link TempNames}).
   */
  static String probeOf(String name) {
    String of = targetOf(name);
    return of != null && TempNames.isShaped(of) ? of : null;
  }

  /** Forgets which directories were swept: the next apply sweeps again (called by every read). */
  public void reset() {
    swept.clear();
  }

  /** Records that the temporary file {@code tmp} (relative to the root) is being written. */
  public void writing(String tmp) {
    writing.add(tmp);
  }

  /** Records that the write through {@code tmp} ended (renamed or deleted). */
  public void written(String tmp) {
    writing.remove(tmp);
  }

  /**
   * Deletes the leftovers in {@code dir} (relative, {@code "."} for the root) that {@code ledger}'s
   * owner made, once per directory until the next {@link #reset}.
   */
  public void sweep(Host host, String root, String dir, Ledger ledger) throws IOException {
    if (swept.contains(dir)) {
      return;
    }
    synchronized (sweeping.computeIfAbsent(dir, d -> new Object())) {
      if (swept.contains(dir)) {
        return;
      }
      String full = TargetPaths.join(root, dir);
      for (Map.Entry<String, Host.Stat.Type> e : host.entries(full).entrySet()) {
        String name = e.getKey();
        String made = e.getValue() == Host.Stat.Type.FILE ? probeOf(name) : null; // the folder a probe was made for
        String tmp = TargetPaths.child(dir, made != null ? made : name);
        // listed before checking: a write that ended since has renamed or deleted its temporary file
        if (!ledger.madeTemporary(made != null ? made : name) || writing.contains(tmp)) {
          continue;
        }
        if (e.getValue() == Host.Stat.Type.DIRECTORY) { // a shell write's own folder: the file in it, then it
          PrivateScripts.remove(host, full + "/" + name, host.timeout());
        } else {
          host.delete(full + "/" + name);
        }
      }
      swept.add(dir);
    }
  }
}

package dev.gitops.ssh.internal;

import dev.gitops.ssh.Host;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sweeps the temporary files that an interrupted write left behind ({@link HostFiles#temporaryName}:
 * {@code .NAME.gitops-<12 hex digits>.tmp}). Before the first write or delete into a directory
 * since the last read, the directory's regular files are listed and each leftover is deleted when
 * the file it was written for is owned by this owner and is not being written right now by this
 * target. Nothing else is ever deleted: not a look-alike name, not a symlink or directory, not the
 * leftover of a file another owner (or nobody) owns. The caller skips directories it just created. Thread-safe; not part of the public API.
 */
public final class Leftovers {
  private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.gitops-[0-9a-f]{12}\\.tmp", Pattern.DOTALL);
  private final Set<String> swept = ConcurrentHashMap.newKeySet();
  private final Map<String, Object> sweeping = new ConcurrentHashMap<>();
  private final Set<String> writing = ConcurrentHashMap.newKeySet();

  /** The name of the file a temporary file {@code name} was written for, or null when not one of ours. */
  public static String targetOf(String name) {
    Matcher m = TEMP.matcher(name);
    return m.matches() ? m.group(1) : null;
  }

  /** Forgets which directories were swept: the next apply sweeps again (called by every read). */
  public void reset() {
    swept.clear();
  }

  /** Records that {@code path} is being written (its temporary file may exist). */
  public void writing(String path) {
    writing.add(path);
  }

  /** Records that the write of {@code path} ended (its temporary file is renamed or deleted). */
  public void written(String path) {
    writing.remove(path);
  }

  /**
   * Deletes the leftovers in {@code dir} (relative, {@code "."} for the root) of files
   * {@code ledger} owns, once per directory until the next {@link #reset}.
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
      for (String name : host.files(full)) {
        String target = targetOf(name);
        if (target == null) {
          continue;
        }
        String path = dir.equals(".") ? target : dir + "/" + target;
        // listed before checking: a write that ended since has renamed or deleted its temporary file
        if (ledger.owns(path) && !writing.contains(path)) {
          host.delete(full + "/" + name);
        }
      }
      swept.add(dir);
    }
  }
}

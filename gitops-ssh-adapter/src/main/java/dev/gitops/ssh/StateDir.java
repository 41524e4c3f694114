package dev.gitops.ssh;

import dev.gitops.target.TargetException;
import java.io.IOException;

/**
 * The state folder {@code <root>/.gitops} (inventories, journals, the lock, the deploy history),
 * checked like any target path: it must be a real directory, never a symlink (its files would land
 * outside the root) nor anything else; when absent it is created {@code 0700}, the root too when
 * missing. It is looked at on the host ({@code stat}, not following a symlink) just before each
 * use, never taken from the last read: whoever can write the root can swap it for a symlink
 * between a read and the lock, the journal or the history that follow. A folder read as absent is
 * created with one {@code mkdir}, which fails on anything there, a symlink included, so needs no
 * look. Thread-safe; not part of the public API.
 */
final class StateDir {
  /** The mode a new state folder gets: the lock and inventories are nobody else's business. */
  public static final int MODE = 0700;
  private final Host host;
  private final String root;
  private final String path;
  private final String target;
  private volatile boolean absentAtRead;

  /**
   * @param host the host
   * @param root the target's root
   * @param target the target's description, for messages
   */
  public StateDir(Host host, String root, String target) {
    this.host = host;
    this.root = root;
    this.path = TargetPaths.join(root, TargetPaths.STATE_DIR);
    this.target = target;
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
   * What a read of the root found at {@code .gitops}: an absent one is created without a look first;
   * anything else is looked at before each use.
   */
  public void seen(Tar.Type type) {
    absentAtRead = type == null;
  }

  /**
   * Makes sure the folder is a real directory, creating it ({@code 0700}, and the root when missing).
   *
   * @throws TargetException when something else is there (a symlink, a file): not retryable
   * @throws IOException when the host cannot be asked
   */
  public void ensure() throws IOException {
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

  private void check(Host.Stat stat) {
    switch (stat.type()) {
      case DIRECTORY -> { }
      case SYMLINK -> throw new TargetException(null, target + ": '" + TargetPaths.STATE_DIR
          + "' is a symlink on the host: refusing to keep the lock, inventories and history outside the"
          + " root through it (replace it with a directory, or remove it)", false, null);
      default -> throw new TargetException(null, target + ": '" + TargetPaths.STATE_DIR
          + "' is not a directory on the host (" + stat.type().name().toLowerCase(java.util.Locale.ROOT)
          + "): refusing to use it (remove it)", false, null);
    }
  }
}

package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.HexFormat;

/** Atomic replacement of a file on a {@link Host}. Not part of the public API. */
final class HostFiles {

  private HostFiles() {}

  /**
   * Writes {@code data} to a temporary name in the same directory as {@code path}, sets the mode
   * (and owner and group when given), then renames it over {@code path}: readers see the old or the
   * new file, never a part of one. The temporary file is removed when a step fails. A mode with
 * setuid, setgid or sticky bits is set again after {@code chown} and checked before the rename: a
 * host that drops them is refused ({@link ModeDropped}), never left to drift.
   */
  public static void replace(Host host, String path, byte[] data, FileMode mode) throws IOException {
    put(host, path, data, mode, true);
  }

  /**
   * As {@link #replace}, or, when not {@code replace}, creates {@code path} atomically only if it
   * does not exist ({@link java.nio.file.FileAlreadyExistsException} otherwise).
   */
  public static void put(Host host, String path, byte[] data, FileMode mode, boolean replace)
      throws IOException {
    put(host, path, temporaryName(path), data, mode, replace);
  }

  /** As {@link #put(Host, String, byte[], FileMode, boolean)}, through the temporary file {@code tmp}. */
  public static void put(Host host, String path, String tmp, byte[] data, FileMode mode, boolean replace)
      throws IOException {
    try {
      int special = mode.permissions() & 07000;
      if (mode.owner().isEmpty() && mode.group().isEmpty() && special == 0) {
        host.writeAndRename(tmp, path, data, mode.permissions(), replace);
      } else {
        host.write(tmp, data, mode.permissions(), true);
        host.chown(tmp, mode.owner(), mode.group());
        if (special != 0) {
          host.chmod(tmp, mode.permissions()); // chown clears setuid and setgid
          int kept = host.stat(tmp).permissions();
          if (kept != mode.permissions()) {
            throw new ModeDropped(host.describe() + " keeps mode " + FileMode.of(kept) + " where " + mode
                + " was asked: it drops setuid, setgid or sticky bits; refusing to write a file whose mode would"
                + " differ from Git's for ever");
          }
        }
        host.rename(tmp, path, replace);
      }
    } catch (IOException | RuntimeException e) {
      try {
        host.delete(tmp);
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** The host cannot set the mode asked for (setuid, setgid or sticky bits dropped): retrying cannot help. */
  static final class ModeDropped extends IOException {
    private static final long serialVersionUID = 1L;

    ModeDropped(String message) {
      super(message);
    }
  }

  /**
   * {@code dir/.name.gitops-<random>.tmp}: hidden, unique, in the same directory; for the target's
   * own state files (in {@code .gitops/}, where no file of the tree can be). A file of the tree is
   * written through a {@link TempNames} name instead.
   */
  public static String temporaryName(String path) {
    int slash = path.lastIndexOf('/');
    byte[] random = new byte[6];
    ThreadLocalRandom.current().nextBytes(random); // uniqueness only: the create is exclusive
    return path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".gitops-"
        + HexFormat.of().formatHex(random) + ".tmp";
  }
}

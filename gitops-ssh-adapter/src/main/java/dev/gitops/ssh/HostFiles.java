package dev.gitops.ssh;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ThreadLocalRandom;
import java.util.HexFormat;

/** Atomic replacement of a file on a {@link Host}. Not part of the public API. */
final class HostFiles {

  private HostFiles() {}

  /**
   * What {@link Host#read} and {@link Host#append} throw for an entry that is not a regular file,
   * naming it, what it is and what was not done ({@code "read"}, {@code "appended to"}).
   */
  static IOException notRegular(String path, Host.Stat.Type type, String notDone) {
    return new IOException(path + " is " + what(type) + ", not a regular file: not " + notDone);
  }

  /**
   * What a file operation that never follows a final symlink throws when it found one at
   * {@code path}: {@code what} (e.g. {@code "set the mode of"}) was not done, to it nor through it.
   */
  static IOException symlink(String path, String what) {
    return new IOException("cannot " + what + " " + path + ": it is a symlink, never followed");
  }

  /** Throws {@link #notRegular} when {@code stat} is neither absent nor a regular file. */
  static void regularOrAbsent(String path, Host.Stat stat, String notDone) throws IOException {
    if (stat.type() != Host.Stat.Type.ABSENT && stat.type() != Host.Stat.Type.FILE) {
      throw notRegular(path, stat.type(), notDone);
    }
  }

  /** {@code "a symlink"}, {@code "a directory"}, {@code "a FIFO, socket or device"}, {@code "a file"}. */
  static String what(Host.Stat.Type type) {
    return switch (type) {
      case SYMLINK -> "a symlink";
      case DIRECTORY -> "a directory";
      case FILE -> "a file";
      case ABSENT -> "nothing";
      case OTHER -> "a FIFO, socket or device";
    };
  }

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

  /**
   * As {@link #put(Host, String, String, byte[], FileMode, boolean, String)} for a file's content,
   * written with {@code mode} (the content's bits; its owner and group, or those kept from the file
   * replaced: {@link KeptOwner}): a large one (over {@link Content.Bytes#LARGE} bytes) is streamed from
   * {@link Content.Bytes#open()} into {@code tmp} a chunk at a time ({@link Host#writeAndRename(String,
   * String, InputStream, long, FileMode, boolean, String)}), and its stream checks size and
   * SHA-256 at its end, before the rename: a file that changed since it was planned fails the write
   * and {@code path} keeps what it had.
   */
  public static void put(Host host, String path, String tmp, Content.Bytes content, FileMode mode, boolean replace,
      String root) throws IOException {
    if (!content.isLarge()) {
      put(host, path, tmp, content.data(), mode, replace, root);
      return;
    }
    try (InputStream in = content.open()) {
      host.writeAndRename(tmp, path, in, content.size(), mode, replace, root);
    } catch (IOException | RuntimeException e) {
      deleteAfter(host, tmp, e);
      throw e;
    }
  }

  /**
   * {@link Host#writeAndRename(String, String, InputStream, long, FileMode, boolean, String)} one call a
   * step, for a host that reaches its files its own way: the stream written to {@code tmp}, {@code chown},
   * {@link #settle}, a look at each directory, the rename.
   */
  static void streamChownRename(Host host, String tmp, String path, InputStream data, FileMode mode, boolean replace,
      String root) throws IOException {
    host.write(tmp, data, mode.permissions(), true);
    if (!mode.owner().isEmpty() || !mode.group().isEmpty()) {
      host.chown(tmp, mode.owner(), mode.group());
    }
    settle(host, tmp, mode);
    checkDirectories(host, root, path);
    host.rename(tmp, path, replace);
  }

  /** As {@link #put(Host, String, byte[], FileMode, boolean)}, through the temporary file {@code tmp}. */
  public static void put(Host host, String path, String tmp, byte[] data, FileMode mode, boolean replace)
      throws IOException {
    put(host, path, tmp, data, mode, replace, null);
  }

  /**
   * As {@link #put(Host, String, String, byte[], FileMode, boolean)}, for a file of the tree under
   * {@code root} (null: none): the directories between them are looked at again once {@code tmp}
   * is written, before the rename ({@link Host#writeAndRename(String, String, byte[], int, boolean, String)}).
   *
   * @throws Swapped when one of them is a symlink or not a directory by then
   */
  public static void put(Host host, String path, String tmp, byte[] data, FileMode mode, boolean replace, String root)
      throws IOException {
    try {
      int special = mode.permissions() & 07000;
      if (mode.owner().isEmpty() && mode.group().isEmpty() && special == 0) {
        if (root == null) {
          host.writeAndRename(tmp, path, data, mode.permissions(), replace);
        } else {
          host.writeAndRename(tmp, path, data, mode.permissions(), replace, root);
        }
      } else {
        host.writeAndRename(tmp, path, data, mode, replace, root);
      }
    } catch (IOException | RuntimeException e) {
      deleteAfter(host, tmp, e);
      throw e;
    }
  }

  /**
   * The default of {@link Host#writeAndRename(String, String, byte[], FileMode, boolean, String)}, one
   * call a step: the write, {@code chown}, {@link #settle}, a look at each directory, the rename.
   */
  static void writeChownRename(Host host, String tmp, String path, byte[] data, FileMode mode, boolean replace,
      String root) throws IOException {
    host.write(tmp, data, mode.permissions(), true);
    if (!mode.owner().isEmpty() || !mode.group().isEmpty()) {
      host.chown(tmp, mode.owner(), mode.group());
    }
    settle(host, tmp, mode);
    checkDirectories(host, root, path);
    host.rename(tmp, path, replace);
  }

  /**
   * Between the write of {@code tmp} (by its own calls, after which someone who can write the
   * directory could have swapped it) and the rename: sets setuid, setgid and sticky bits again after
   * {@code chown} (which clears them), then looks at {@code tmp}, which must still be a regular file
   * (never a link put in its place, which the rename would put in place of the file) with the mode
   * asked for (a host that drops special bits is refused).
   */
  private static void settle(Host host, String tmp, FileMode mode) throws IOException {
    if ((mode.permissions() & 07000) != 0) {
      host.chmod(tmp, mode.permissions()); // chown clears setuid and setgid
    }
    Host.Stat now = host.stat(tmp);
    if (now.type() != Host.Stat.Type.FILE) {
      throw new IOException(tmp + " is " + what(now.type()) + " now, not the file just written: not renamed into place");
    }
    if ((mode.permissions() & 07000) != 0) {
      int kept = now.permissions();
      if (kept != mode.permissions()) {
        throw new ModeDropped(host.describe() + " keeps mode " + FileMode.of(kept) + " where " + mode
            + " was asked: it drops setuid, setgid or sticky bits; refusing to write a file whose mode would"
            + " differ from Git's for ever");
      }
    }
  }

  private static void deleteAfter(Host host, String tmp, Exception failure) {
    try {
      host.delete(tmp);
    } catch (IOException | RuntimeException cleanup) {
      failure.addSuppressed(cleanup);
    }
  }

  /**
   * The default of {@link Host#writeAndRename(String, String, byte[], int, boolean, String)}: the
   * write, a look at each directory between {@code root} and {@code path}, the rename.
   */
  static void writeCheckRename(Host host, String tmp, String path, byte[] data, int permissions, boolean replace,
      String root) throws IOException {
    host.write(tmp, data, permissions, true);
    checkDirectories(host, root, path);
    host.rename(tmp, path, replace);
  }

  /**
   * The directories between {@code root} (not itself) and {@code path}, outermost first, as absolute
   * paths: empty when {@code root} is null.
   */
  static java.util.List<String> directories(String root, String path) {
    if (root == null) {
      return java.util.List.of();
    }
    String prefix = root.endsWith("/") ? root : root + "/";
    if (!path.startsWith(prefix)) {
      throw new IllegalArgumentException(path + " is not under " + root);
    }
    return TargetPaths.ancestors(path.substring(prefix.length())).stream().map(d -> TargetPaths.join(root, d))
        .toList();
  }

  /** Looks at each of {@link #directories}, never followed: {@link Swapped} for the first that is no directory. */
  static void checkDirectories(Host host, String root, String path) throws IOException {
    for (String dir : directories(root, path)) {
      Host.Stat.Type type = host.stat(dir).type();
      if (type != Host.Stat.Type.DIRECTORY) {
        throw new Swapped(dir, type);
      }
    }
  }

  /**
   * A directory between a tree's root and the file being written was, once the temporary file was
   * written, a symlink or no directory: swapped since it was looked at. Nothing was renamed.
   */
  static final class Swapped extends IOException {
    private static final long serialVersionUID = 1L;
    /** The directory, absolute. */
    final String dir;
    /** What it was. */
    final transient Host.Stat.Type type;

    Swapped(String dir, Host.Stat.Type type) {
      super(dir + (type == Host.Stat.Type.SYMLINK ? " is a symlink now" : " is not a directory now (" + what(type) + ")")
          + ", swapped since it was looked at: nothing renamed through it");
      this.dir = dir;
      this.type = type;
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

package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Set;

/**
 * {@link LocalHost}'s write of a file of a tree, as {@code Host}'s shell script writes one ({@code ShellFiles}):
 * in a folder of its own at the temporary name, {@code 0700} from its {@code mkdir}, opened once as a
 * {@link SecureDirectoryStream} and refused unless it is the folder made (a directory, no symlink, the
 * entry at that name), this user's and empty; then the file is created, given its owner and mode and
 * renamed into place relative to that open folder ({@code openat}, {@code fchown} and {@code fchmod}
 * through an {@code O_NOFOLLOW} open, {@code renameat}), where no one but this user (and root) can swap
 * it. The owner and group come first: each of the two opens the file for reading ({@code O_RDONLY},
 * {@code UnixSecureDirectoryStream}'s attribute view), which a mode that gives the owner no read
 * ({@code 0200}, {@code 0000}) set first makes fail for any user but root ({@code EACCES}: a user keeping a
 * group could not write such a file), and a {@code chown} clears the setuid and setgid bits
 * ({@code chown(2)}), so the mode is set last, as coreutils' {@code install} does ({@code change_attributes}).
 * A neighbour who can write the target's folder can still rename the folder away or put another at its
 * name: nothing done after the open follows the name. Chosen over a {@code SecureDirectoryStream} of
 * the target's folder alone, whose names a neighbour can swap as well as any path's, and over paths
 * through the private folder, which the folder's name leads to only while no one renames it: Java has no
 * {@code chdir}. The folder and the file in it are removed whatever happens; a run killed meanwhile leaves
 * them to {@link Leftovers} (the file of the folder's name, then the folder), as the shell's. Not part of
 * the public API.
 */
final class PrivateFolder {
  private static final FileAttribute<Set<PosixFilePermission>> FOLDER =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<Set<PosixFilePermission>> FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
      LinkOption.NOFOLLOW_LINKS);
  /** The uid this JVM runs as, -1 where it cannot tell. */
  private static final long ME = me();
  /** {@link #ME} as a principal to compare an owner with (by uid), null where unknown. */
  private static final UserPrincipal OWNER = principal();

  private PrivateFolder() {}

  private static long me() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid();
    } catch (LinkageError | RuntimeException e) { // no jdk.security.auth in this runtime, not a Unix
      return -1;
    }
  }

  /**
   * Someone who can write the target's folder, acting right before a step of a write ({@code "mkdir"},
   * {@code "open"}, {@code "write"}, {@code "chown"} when an owner or group is asked, {@code "chmod"},
   * {@code "rename"}, in that order) on whatever is at
   * the temporary name {@code tmp} by then, and before a {@code "chown"} by the name of a tree's temporary
   * file ({@link LocalHost#chown}: no write of a tree's file takes one, which tests check): a seam for tests;
   * {@link #NONE} in every host made by {@link LocalHost#create()}.
   */
  interface Neighbour {
    /** Does nothing. */
    Neighbour NONE = (step, tmp) -> { };

    /** Acts before {@code step} of the write through {@code tmp}. */
    void before(String step, String tmp) throws IOException;
  }

  /**
   * Writes {@code data} to {@code path} through the folder {@code tmp}, as the class says, the
   * directories between {@code root} and {@code path} looked at before the rename
   * ({@link HostFiles#checkDirectories}); nothing is left at {@code tmp}.
   *
   * @return false, having done nothing, when this cannot be done here and the caller takes
   *     {@code Host}'s shell script, which can: a mode with setuid, setgid or sticky bits (which
   *     {@code java.nio} sets only by a path), no {@link SecureDirectoryStream} or no uid known, or a
   *     folder this {@code mkdir} made that is not this user's (NFS with {@code root_squash} gives
   *     root's to {@code nobody}), which only the script can prove the user's ({@code /proc/self/fd})
   * @throws FileAlreadyExistsException when {@code tmp} exists, or {@code path} exists and not {@code replace}
   * @throws IOException when the folder at {@code tmp} is not the one made (swapped), a step fails or a
   *     directory was swapped ({@link HostFiles.Swapped})
   */
  static boolean write(LocalHost host, Neighbour neighbour, String tmp, String path, InputStream data, FileMode mode,
      boolean replace, String root) throws IOException {
    if ((mode.permissions() & 07000) != 0 || OWNER == null) {
      return false;
    }
    Path folderPath = Path.of(tmp);
    neighbour.before("mkdir", tmp);
    Files.createDirectory(folderPath, FOLDER);
    neighbour.before("open", tmp);
    Object key = null; // the folder's file key once proven the one made: removed at the end only if still there
    try (DirectoryStream<Path> opened = Files.newDirectoryStream(folderPath)) {
      if (!(opened instanceof SecureDirectoryStream<Path> folder)) {
        Files.delete(folderPath); // an empty folder: rmdir(2)
        return false;
      }
      PosixFileAttributes a = folder.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
      if (!a.fileKey().equals(entry(folderPath)) || folder.iterator().hasNext()) {
        throw new IOException(tmp + " was swapped before the write entered it (it is not the empty folder this write"
            + " made): nothing written; someone else can write " + folderPath.getParent());
      }
      key = a.fileKey();
      if (!a.owner().equals(OWNER)) {
        return false; // removed below; Host's script proves such a folder the user's, or refuses it
      }
      write(host, neighbour, folder, folderPath, path, data, mode, replace, root);
      return true;
    } finally {
      if (key != null) {
        removeIfStill(folderPath, key);
      }
    }
  }

  private static void write(LocalHost host, Neighbour neighbour, SecureDirectoryStream<Path> folder, Path folderPath,
      String path, InputStream data, FileMode mode, boolean replace, String root) throws IOException {
    Path name = folderPath.getFileName();
    try {
      neighbour.before("write", folderPath.toString());
      try (SeekableByteChannel channel = folder.newByteChannel(name, CREATE, FILE);
           OutputStream out = Channels.newOutputStream(channel)) {
        data.transferTo(out);
      }
      PosixFileAttributeView file = folder.getFileAttributeView(name, PosixFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS);
      if (!mode.owner().isEmpty() || !mode.group().isEmpty()) { // before the mode: see the class
        neighbour.before("chown", folderPath.toString());
        chown(file, folderPath, mode, path);
      }
      neighbour.before("chmod", folderPath.toString());
      file.setPermissions(LocalHost.permissions(mode.permissions()));
      HostFiles.checkDirectories(host, root, path);
      neighbour.before("rename", folderPath.toString());
      rename(folder, folderPath, name, Path.of(path), replace);
    } finally {
      try {
        folder.deleteFile(name);
      } catch (NoSuchFileException renamed) {
        // renamed into place, or never made
      }
    }
  }

  /**
   * By name, else by number ({@code java.nio} takes a name it does not know that is a number as an id):
   * unlike {@code LocalHost.chown}, a user whose name is a number is taken by that name.
   */
  private static void chown(PosixFileAttributeView file, Path folderPath, FileMode mode, String path)
      throws IOException {
    UserPrincipalLookupService lookup = folderPath.getFileSystem().getUserPrincipalLookupService();
    String asked = mode.owner(); // named from here: JDK 25's exception names "" where 17's named the name
    try {
      if (!mode.owner().isEmpty()) {
        file.setOwner(lookup.lookupPrincipalByName(mode.owner()));
      }
      asked = mode.group();
      if (!mode.group().isEmpty()) {
        file.setGroup(lookup.lookupPrincipalByGroupName(mode.group()));
      }
    } catch (UserPrincipalNotFoundException e) {
      throw new IOException("no such user or group on local: '" + dev.gitops.model.ResourceId.escape(asked) + "' (owner of " + path + ")", e);
    }
  }

  /**
   * Renames the file {@code name} of {@code folder} to {@code to} ({@code renameat}: from the open
   * folder, to the absolute path, as the rename by path did). Not replacing: a hard link by paths, the
   * one way to create a name only if absent, then proven the file made (the folder's name could have
   * led elsewhere by then): a link to anything else is removed at once and nothing is renamed.
   */
  private static void rename(SecureDirectoryStream<Path> folder, Path folderPath, Path name, Path to, boolean replace)
      throws IOException {
    if (replace) {
      folder.move(name, folder, to);
      return;
    }
    Object made = folder.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .readAttributes().fileKey();
    Files.createLink(to, folderPath.resolve(name));
    if (!made.equals(Files.readAttributes(to, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey())) {
      Files.deleteIfExists(to);
      throw new IOException(folderPath + " was swapped before the rename (it no longer leads to the folder this write"
          + " made): what it led to was not put in place; someone else can write " + folderPath.getParent());
    }
  }

  /** The file key of the entry at {@code p}, never followed; null when none or a symlink. */
  private static Object entry(Path p) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return a.isDirectory() ? a.fileKey() : null;
  }

  /** The principal of uid {@link #ME} (a user whose name is a number aside: it is looked up as a name first). */
  private static UserPrincipal principal() {
    try {
      return ME < 0 ? null : java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService()
          .lookupPrincipalByName(Long.toString(ME));
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** Removes the folder at {@code p} (when empty) if that name still leads to the folder of {@code key}. */
  private static void removeIfStill(Path p, Object key) {
    try {
      if (key.equals(entry(p))) {
        Files.delete(p);
      }
    } catch (IOException e) {
      // left for the sweep (Leftovers), as the shell's is
    }
  }
}

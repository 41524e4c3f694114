package dev.gitops.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * This machine, through {@code java.nio} and {@link ProcessBuilder}: the embedded default host.
 * Commands run directly (no shell in between unless the command is one). Thread-safe; holds no
 * resources.
 *
 * <p>{@code FilesTarget.of(LocalHost.create(), "/srv/app")} converges a local directory.
 */
public final class LocalHost implements Host {
  private static final PosixFilePermission[] BITS = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

  private static final java.nio.charset.Charset NAMES = names();
  /** An owner or group given as a number, which {@link #chown} sets as an id. */
  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("\\d{1,9}");

  /** Acts between the steps of a write in tests ({@link PrivateFolder.Neighbour}); {@code NONE} otherwise. */
  private final PrivateFolder.Neighbour neighbour;

  private LocalHost(PrivateFolder.Neighbour neighbour) {
    this.neighbour = neighbour;
  }

  private static java.nio.charset.Charset names() {
    try {
      return java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    } catch (IllegalArgumentException e) {
      return java.nio.charset.StandardCharsets.UTF_8;
    }
  }

  /** {@return a host for this machine, running commands and touching files as this process's user} */
  public static LocalHost create() {
    return new LocalHost(PrivateFolder.Neighbour.NONE);
  }

  /** A host whose writes let {@code neighbour} act before each of their steps: for tests. */
  static LocalHost withNeighbour(PrivateFolder.Neighbour neighbour) {
    return new LocalHost(neighbour);
  }

  /**
   * Runs the command with its output going to temporary files (so that a process it leaves running
   * with those streams open never holds this call up). Once the command ended, every process it
   * started that still runs is killed, those that left its tree ({@code cmd &}, {@code setsid}) too,
   * found by a mark in their environment (Linux). When {@code timeout} runs out, the command is
   * killed with them, then {@link CommandTimeoutException} is thrown.
   */
  @Override
  public Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
    return execKeepingTail(command, stdin, timeout, Integer.MAX_VALUE);
  }

  /** The output goes to temporary files, of which only the last {@code keep} bytes are read. */
  @Override
  public Result execKeepingTail(List<String> command, byte[] stdin, Duration timeout, int keep) throws IOException {
    return Processes.runLeavingNothing(command, stdin, timeout, describe() + ": " + command.get(0), keep);
  }

  @Override
  public Channel start(List<String> command) throws IOException {
    return Processes.start(command);
  }

  /**
   * An exclusive write creates and writes the file through one open ({@code O_CREAT|O_EXCL|O_NOFOLLOW}),
   * so nothing put at the path meanwhile (a FIFO, a link) is ever opened or written through.
   */
  @Override
  public void write(String path, byte[] data, int permissions, boolean exclusive) throws IOException {
    try (OutputStream out = open(path, exclusive)) {
      out.write(data);
    }
    chmod(path, permissions);
  }

  /** Streamed into the file: memory holds one buffer whatever the size. */
  @Override
  public void write(String path, InputStream data, int permissions, boolean exclusive) throws IOException {
    try (OutputStream out = open(path, exclusive)) {
      data.transferTo(out);
    }
    chmod(path, permissions);
  }

  /** The file opened for writing, never through a final symlink: new ({@code 0600}), or truncated when a regular file. */
  private OutputStream open(String path, boolean exclusive) throws IOException {
    if (!exclusive) {
      HostFiles.regularOrAbsent(path, stat(path), "written"); // an open for writing waits for a FIFO's reader
    }
    Set<java.nio.file.OpenOption> how = new java.util.HashSet<>(List.of(StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS));
    how.addAll(exclusive ? List.of(StandardOpenOption.CREATE_NEW)
        : List.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING));
    return java.nio.channels.Channels.newOutputStream(
        Files.newByteChannel(Path.of(path), how, PosixFilePermissions.asFileAttribute(permissions(0600))));
  }

  /**
   * All twelve bits, through the {@code unix} attribute view (the POSIX view knows only nine); never
   * through a symlink, and never on a FIFO, socket or device: the view opens the file
   * ({@code O_NOFOLLOW}, then {@code fchmod}), and an open of a FIFO waits for its other end for ever.
   */
  @Override
  public void chmod(String path, int permissions) throws IOException {
    Stat.Type type = stat(path).type();
    if (type == Stat.Type.SYMLINK) {
      throw HostFiles.symlink(path, "set the mode of");
    }
    if (type == Stat.Type.OTHER) {
      throw HostFiles.notRegular(path, type, "given a mode");
    }
    Files.setAttribute(Path.of(path), "unix:mode", permissions & 07777, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * In a {@code 0700} folder of its own at {@code tmp}, every step relative to that open folder
   * ({@link PrivateFolder}): a neighbour who can write the target's folder swaps nothing between the steps.
   * Where that cannot be done (see {@link PrivateFolder#write}), {@code Host}'s one shell script, run here.
   * A state file: the write, a look at each directory, the rename, by name ({@link #inStateFolder}).
   */
  @Override
  public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace, String root)
      throws IOException {
    if (inStateFolder(path, root)) {
      HostFiles.writeCheckRename(this, tmp, path, data, permissions, replace, root);
    } else if (!PrivateFolder.write(this, neighbour, tmp, path, new java.io.ByteArrayInputStream(data),
        dev.gitops.model.FileMode.of(permissions), replace, root)) {
      ShellFiles.writeAndRename(this, tmp, path, data, permissions, replace, root);
    }
  }

  /**
   * Under a {@code root}, as {@link #writeAndRename(String, String, byte[], int, boolean, String)}, the
   * owner and group set from inside the folder too. A state file ({@code root} null, or in the target's own
   * {@code 0700} folder): one call a step through {@code java.nio}: {@link #write}, {@link #chown},
   * {@link #chmod} again for setuid, setgid and sticky bits, a look at {@code tmp}, {@link #rename}.
   */
  @Override
  public void writeAndRename(String tmp, String path, byte[] data, dev.gitops.model.FileMode mode, boolean replace,
      String root) throws IOException {
    if (root == null || inStateFolder(path, root)) {
      HostFiles.writeChownRename(this, tmp, path, data, mode, replace, root);
    } else if (!PrivateFolder.write(this, neighbour, tmp, path, new java.io.ByteArrayInputStream(data), mode, replace,
        root)) {
      ShellFiles.writeAndRename(this, tmp, path, data, mode, replace, root);
    }
  }

  /**
   * True for a file of the target's state folder ({@code root/.gitops}), written flat, by name, as
   * {@code Host}'s script writes it: the folder is this user's and {@code 0700} ({@link StateDir} checks it
   * before each use), so no one else can swap a name in it, and what a killed run leaves there is a file,
   * which the fold's sweep removes.
   */
  private static boolean inStateFolder(String path, String root) {
    return root != null && path.equals(TargetPaths.join(TargetPaths.join(root, TargetPaths.STATE_DIR),
        TargetPaths.name(path)));
  }

  /**
   * A large file of a tree, as a small one: in a private folder ({@link PrivateFolder}); where that
   * cannot be done here (it says so before reading {@code data}: setuid, setgid or sticky bits, a folder
   * not this user's once made), {@code Host}'s private-folder script, run here, one command a MiB
   * ({@link PrivateScripts#stream}). Before, such a file took one call a step by the temporary file's
   * name in the target's folder (the stream, {@link #chown}, {@link #chmod}, a look, {@link #rename}): a
   * hard link swapped in before the {@code chown} was given the kept owner and the setuid mode and renamed
   * into place ({@code LocalHostSwapTest}). Outside a tree ({@code root} null), those steps.
   */
  @Override
  public void writeAndRename(String tmp, String path, InputStream data, long size, dev.gitops.model.FileMode mode,
      boolean replace, String root) throws IOException {
    if (root == null) {
      HostFiles.streamChownRename(this, tmp, path, data, mode, replace, root);
    } else if (!PrivateFolder.write(this, neighbour, tmp, path, data, mode, replace, root)) {
      PrivateScripts.stream(this, tmp, path, data, size, mode, replace, root);
    }
  }

  @Override
  public void append(String path, byte[] data) throws IOException {
    Path p = Path.of(path);
    try {
      Files.createFile(p, PosixFilePermissions.asFileAttribute(permissions(0600)));
    } catch (FileAlreadyExistsException e) {
      HostFiles.regularOrAbsent(path, stat(path), "appended to"); // appending to the existing file
    }
    Files.write(p, data, StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void chown(String path, String owner, String group) throws IOException {
    if (neighbour != PrivateFolder.Neighbour.NONE && TempNames.isShaped(TargetPaths.name(path))) { // tests only
      neighbour.before("chown", path); // a tree's temporary file, by name: no write of one takes this call
    }
    Path p = Path.of(path);
    UserPrincipalLookupService lookup = p.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS);
    if (ID.matcher(owner).matches()) { // an id: lchown by number
      Files.setAttribute(p, "unix:uid", Integer.parseInt(owner), LinkOption.NOFOLLOW_LINKS);
    } else if (!owner.isEmpty()) {
      try {
        view.setOwner(lookup.lookupPrincipalByName(owner));
      } catch (UserPrincipalNotFoundException e) {
        throw new IOException("no such user on " + describe() + ": '" + owner + "' (owner of " + path + ")", e);
      }
    }
    if (ID.matcher(group).matches()) {
      Files.setAttribute(p, "unix:gid", Integer.parseInt(group), LinkOption.NOFOLLOW_LINKS);
    } else if (!group.isEmpty()) {
      try {
        view.setGroup(lookup.lookupPrincipalByGroupName(group));
      } catch (UserPrincipalNotFoundException e) {
        throw new IOException("no such group on " + describe() + ": '" + group + "' (group of " + path + ")", e);
      }
    }
  }

  @Override
  public void rename(String from, String to, boolean replace) throws IOException {
    if (!replace) {
      Files.createLink(Path.of(to), Path.of(from));
      Files.delete(Path.of(from));
      return;
    }
    try {
      Files.move(Path.of(from), Path.of(to), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + from + " atomically", e);
    }
  }

  @Override
  public boolean delete(String path) throws IOException {
    return Files.deleteIfExists(Path.of(path));
  }

  @Override
  public boolean deleteDirectory(String path) throws IOException {
    Path p = Path.of(path);
    try {
      if (!Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
        return false;
      }
      Files.delete(p); // rmdir(2) for a directory: fails unless empty
      return true;
    } catch (NoSuchFileException | DirectoryNotEmptyException e) {
      return false;
    }
  }

  @Override
  public java.util.Map<String, Stat.Type> entries(String dir) throws IOException {
    java.util.Map<String, Stat.Type> out = new java.util.HashMap<>();
    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(dir))) {
      for (Path p : entries) {
        java.nio.file.attribute.BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
          continue;
        }
        if (a.isRegularFile() || a.isDirectory()) {
          out.put(p.getFileName().toString(), a.isDirectory() ? Stat.Type.DIRECTORY : Stat.Type.FILE);
        }
      }
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return java.util.Map.of();
    }
    return out;
  }

  @Override
  public List<String> files(String dir) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(dir))) {
      for (Path p : entries) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(p.getFileName().toString());
        }
      }
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return List.of();
    }
    return out;
  }

  @Override
  public void mkdir(String path, int permissions) throws IOException {
    Files.createDirectory(Path.of(path), PosixFilePermissions.asFileAttribute(permissions(permissions)));
  }

  @Override
  public void mkdirs(String path) throws IOException {
    Files.createDirectories(Path.of(path));
  }

  @Override
  public byte[] read(String path) throws IOException {
    return read(path, Integer.MAX_VALUE);
  }

  /** As {@link #read(String)}, at most {@code max} bytes read ({@link BoundedReads}). */
  byte[] read(String path, int max) throws IOException {
    Stat stat = stat(path);
    HostFiles.regularOrAbsent(path, stat, "read");
    if (stat.type() == Stat.Type.ABSENT) {
      return null;
    }
    try (InputStream in = Files.newInputStream(Path.of(path), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      return in.readNBytes(max);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public Stat stat(String path) throws IOException {
    java.util.Map<String, Object> a;
    try {
      a = Files.readAttributes(Path.of(path), "unix:mode,uid,gid,lastModifiedTime,size", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Stat.ABSENT;
    }
    int mode = (Integer) a.get("mode");
    Stat.Type type = switch (mode & 0170000) {
      case 0100000 -> Stat.Type.FILE;
      case 0040000 -> Stat.Type.DIRECTORY;
      case 0120000 -> Stat.Type.SYMLINK;
      default -> Stat.Type.OTHER;
    };
    return new Stat(type, mode & 07777, ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant(),
        type == Stat.Type.FILE ? (Long) a.get("size") : -1, (Integer) a.get("uid"), (Integer) a.get("gid"));
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(BITS[i]);
      }
    }
    return set;
  }

  /**
   * Linux's, with the charset this JVM names files in ({@code sun.jnu.encoding}): under a POSIX
   * locale that is ASCII, and a name with other characters cannot be written (run Java with
   * {@code LANG=C.UTF-8} or {@code -Dsun.jnu.encoding=UTF-8}).
   */
  @Override
  public HostLimits limits() {
    return new HostLimits(255, 4096, NAMES);
  }

  @Override
  public String describe() {
    return "local";
  }

  /** Nothing to release. */
  @Override
  public void close() {
    // no connection to close
  }

  @Override
  public String toString() {
    return describe();
  }
}

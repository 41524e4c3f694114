package dev.gitops.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where a {@link SystemSshHost}'s control socket lives: a private temporary folder of its own, or a
 * folder kept for later hosts ({@link SystemSshHost.Builder#controlFolder}). A Unix socket's path has
 * at most 107 bytes, and {@code ssh} adds 17 while it binds. Not part of the public API.
 */
final class ControlSockets {
  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private ControlSockets() {}

  /** The socket in a new private ({@code 0700}) temporary folder; a long {@code java.io.tmpdir} gives way to /tmp. */
  static Path temporary() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    return Files.createTempDirectory(tmp.toString().length() > 60 ? Path.of("/tmp") : tmp, "gitops-ssh", PRIVATE)
        .resolve(SystemSshArguments.SOCKET);
  }

  /**
   * The socket {@code name} in {@code folder}, or null when the folder cannot hold it safely: not a
   * directory of its own (a symlink is not followed), open to group or others, not writable by this
   * process, or so deep that the socket's path would pass 107 bytes. Created {@code 0700} when missing.
   */
  static Path kept(Path folder, String name) {
    try {
      Path dir = folder.toAbsolutePath();
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir, PRIVATE);
      }
      PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Path path = dir.resolve(name);
      boolean open = a.permissions().stream().anyMatch(p -> !p.name().startsWith("OWNER_"));
      if (!a.isDirectory() || open || !Files.isWritable(dir) || path.toString().length() + 17 > 107) {
        return null;
      }
      return path;
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }
}

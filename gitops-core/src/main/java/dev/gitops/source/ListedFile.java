package dev.gitops.source;

import dev.gitops.internal.Digests;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Set;

/**
 * A file a {@link DirectoryWalk} listed, read through the descriptor of the folder it was listed in
 * ({@code folder}, a {@link SecureDirectoryStream}: {@code openat} and {@code fstatat} of its name, links
 * not followed), so that a folder on the way swapped for a symbolic link after it was entered cannot
 * make a read leave the root: a path is resolved again at every open, through whatever stands at each
 * of its folders then, a descriptor is not. With no {@code folder} (a platform without such streams, a
 * symbolic link's target, a file opened again), by its path. Not part of the public API.
 *
 * @param file the file's path (below the root's real path when read through descriptors), for messages and
 *     later opens ({@link Reopen}, which checks what it opens)
 * @param folder the open folder it is listed in, or null
 */
record ListedFile(Path file, SecureDirectoryStream<Path> folder) {
  private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

  /**
   * The file at {@code target} (a real path below {@code realRoot}, as {@code toRealPath} gives it), its
   * folder opened through the descriptors of the folders from {@code realRoot} down, links not followed
   * (with {@code descriptors} false, or none on this platform, by its path). The caller closes the folder.
   *
   * @throws IOException when a folder on the way is no longer one (a link, or another file, swapped in)
   */
  static ListedFile inRoot(Path realRoot, Path target, boolean descriptors) throws IOException {
    DirectoryStream<Path> opened = descriptors ? Files.newDirectoryStream(realRoot) : null;
    if (!(opened instanceof SecureDirectoryStream<Path> top)) {
      if (opened != null) {
        opened.close();
      }
      return new ListedFile(target, null);
    }
    SecureDirectoryStream<Path> folder = top;
    Path inside = realRoot.relativize(target);
    try {
      for (int i = 0; i < inside.getNameCount() - 1; i++) {
        SecureDirectoryStream<Path> next = folder.newDirectoryStream(inside.getName(i), LinkOption.NOFOLLOW_LINKS);
        folder.close();
        folder = next;
      }
    } catch (IOException | RuntimeException e) {
      folder.close();
      throw e;
    }
    return new ListedFile(target, folder);
  }

  /**
   * The file the symbolic link {@code file} names, when that is inside the root ({@code realRoot}); else an
   * error naming it ({@code where}: the source; {@code rel}: the link's path).
   * The link is resolved ({@code toRealPath}), then its target opened as the walk opens files: through the
   * descriptors of the folders from the real root down, links not followed, so that a folder on the way
   * swapped for a link after the resolution cannot lead the read out of the root (it was opened by the
   * resolved path). The caller closes the returned file's folder. Without {@code descriptors} (none on this
   * platform), by its path.
   */
  static ListedFile linked(Path file, BasicFileAttributes attrs, Path realRoot, boolean descriptors, String where,
      String rel) throws IOException {
    String name = "'" + ResourceId.escape(rel) + "'";
    if (!attrs.isSymbolicLink()) {
      throw new SourceException(where + ": " + name + " is " + (attrs.isDirectory() ? "a directory" : "a FIFO, socket"
          + " or device") + ", not a regular file");
    }
    Path target;
    try {
      target = file.toRealPath();
    } catch (java.nio.file.NoSuchFileException dangling) {
      throw new SourceException(where + ": " + name + " is a dangling symbolic link", dangling);
    } catch (java.nio.file.FileSystemException loop) {
      throw new SourceException(where + ": " + name + " is a symbolic link that cannot be resolved ("
          + ResourceId.escape(String.valueOf(loop.getReason())) + "), not a regular file", loop);
    }
    if (!target.startsWith(realRoot)) {
      throw new SourceException(where + ": " + name + " is a symbolic link leaving the root, not a regular file");
    }
    if (target.equals(realRoot)) {
      throw new SourceException(where + ": " + name + " is a symbolic link to a directory (never followed), not a"
          + " regular file");
    }
    try {
      return inRoot(realRoot, target, descriptors);
    } catch (IOException e) {
      throw new SourceException(where + ": " + name + " is a symbolic link whose target's folders changed while it"
          + " was read (a folder on the way is no longer one, or a link): read the directory again once the writing"
          + " is done", e);
    }
  }

  /** What stands at a link's target {@code target}, when it is a regular file; else an error naming the link. */
  static BasicFileAttributes regularTarget(ListedFile target, String where, String rel) throws IOException {
    BasicFileAttributes now = target.attributes();
    if (!now.isRegularFile()) {
      throw new SourceException(where + ": '" + ResourceId.escape(rel) + "' is a symbolic link to " + (now.isDirectory()
          ? "a directory (never followed)" : now.isSymbolicLink() ? "a link that changed while it was read"
          : "a FIFO, socket or device") + ", not a regular file");
    }
    return now;
  }

  /** The file opened for reading, links not followed. */
  InputStream open() throws IOException {
    return Channels.newInputStream(channel());
  }

  /** The file opened for reading as a channel, links not followed. */
  SeekableByteChannel channel() throws IOException {
    return folder == null ? Files.newByteChannel(file, READ) : folder.newByteChannel(file.getFileName(), READ);
  }

  /** What stands at its name now, links not followed. */
  BasicFileAttributes attributes() throws IOException {
    return folder == null ? Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        : folder.getFileAttributeView(file.getFileName(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .readAttributes();
  }

  /**
   * The {@code size} bytes of {@code file}, calling {@code tick} as it reads: read whole up to
   * {@link Content.Bytes#LARGE}, else held by reference (its SHA-256 streamed now, its bytes opened
   * again when a target writes them, through descriptors from {@code realRoot} when it is given, else by
   * its path, and checked then: {@link Reopen}, the digest). Never
   * reads past {@code size}: a file that grew or shrank since it was counted is an error. Checked by
   * {@code filters} as {@code rel} on the bytes read: a small file whole, a large one by its first
   * bytes, kept while its digest is streamed.
   */
  static Content.Bytes content(ListedFile file, Path realRoot, long size, FileMode mode, String name, String where,
      CheckoutFilters filters, String rel, Runnable tick) throws IOException {
    try (InputStream in = file.open()) {
      tick.run();
      if (size <= Content.Bytes.LARGE) {
        byte[] data = in.readNBytes((int) size);
        if (data.length < size || in.read() >= 0) {
          throw changed(name, size, where);
        }
        filters.check(rel, data, data.length);
        return Content.bytes(data, mode);
      }
      MessageDigest digest = Digests.sha256();
      byte[] buf = new byte[64 * 1024];
      byte[] head = new byte[LfsPointer.READ_LIMIT];
      long read = 0;
      int n;
      while (read <= size && (n = in.read(buf, 0, (int) Math.min(buf.length, size + 1 - read))) >= 0) {
        if (read < head.length) {
          System.arraycopy(buf, 0, head, (int) read, (int) Math.min(n, head.length - read));
        }
        digest.update(buf, 0, n);
        read += n;
        tick.run();
      }
      if (read != size) {
        throw changed(name, size, where);
      }
      filters.check(rel, head, size);
      Object key = file.attributes().fileKey();
      Path path = file.file();
      return Content.bytes(size, Digests.format(digest), mode, () -> Reopen.open(realRoot, path, key, size, name));
    }
  }

  private static SourceException changed(String name, long size, String where) {
    return new SourceException(where + ": '" + name + "' changed while it was read (" + size + " bytes when listed):"
        + " something writes to the directory; read it again once the writing is done");
  }

  /** {@link FileMode#EXECUTABLE} when the owner may execute the file, else {@link FileMode#REGULAR}. */
  FileMode mode() {
    try {
      Set<PosixFilePermission> permissions = folder == null
          ? Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
          : folder.getFileAttributeView(file.getFileName(), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .readAttributes().permissions();
      return permissions.contains(PosixFilePermission.OWNER_EXECUTE) ? FileMode.EXECUTABLE : FileMode.REGULAR;
    } catch (IOException | UnsupportedOperationException e) {
      return FileMode.REGULAR; // no POSIX permissions here
    }
  }
}

package dev.gitops.source;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain directory as a source, for local work and tests. The revision id is the snapshot's content
 * digest ({@code sha256:...}), so an unchanged directory yields the same revision. Files are
 * selected by path and include/exclude lists read as {@code .gitignore} files
 * ({@link dev.gitops.model.PathGlob}), like {@link GitSource}; a file with
 * the owner's execute bit gets mode {@code 0755}, others {@code 0644}.
 *
 * <p>Symbolic links are never followed out of the root: a link to a regular file inside the root is
 * read as that file, any other link (outside the root, to a directory, dangling) is a
 * {@link SourceException} naming it. Thread-safe; each call reads the directory.
 */
public final class DirectorySource implements Source {
  private final Path root;
  private final String path;
  private final Globs globs;
  private volatile Snapshot last;

  private DirectorySource(Path root, String path, List<String> include, List<String> exclude) {
    this.root = root.toAbsolutePath().normalize();
    this.path = path;
    this.globs = Globs.of(include, exclude);
  }

  /**
   * All files under {@code root}.
   *
   * @param root the directory to read; it need not exist yet (reading a missing one throws
   *     {@link SourceException})
   * @return a source that reads {@code root} on every call, skipping {@code .git}
   */
  public static DirectorySource of(Path root) {
    return new DirectorySource(root, "", List.of(), List.of());
  }

  /**
   * Files under {@code root/path}, selected by patterns (empty {@code include}: every file).
   *
   * @param root the directory that bounds the source: symbolic links may not leave it
   * @param path relative directory, {@code ""} (or null) for the root; leading and trailing
   *     slashes are dropped
   * @param include gitignore-style lines selecting files, relative to {@code root/path}; empty
   *     selects every file
   * @param exclude gitignore-style lines removing files from the selection; may be empty
   * @return a source that reads the directory on every call
   * @throws IllegalArgumentException naming a line of {@code include} or {@code exclude} that is no
   *     glob
   */
  public static DirectorySource of(Path root, String path, List<String> include, List<String> exclude) {
    return new DirectorySource(root, path == null ? "" : path.replaceAll("^/+|/+$", ""), include, exclude);
  }

  /** Reads the directory; the revision is its content digest. */
  @Override
  public Revision latest() {
    Map<String, Content.Bytes> files = read();
    String digest = Snapshot.of(Revision.of("pending"), files).digest();
    Snapshot snapshot = Snapshot.of(new Revision(digest, root.toString(), "", Instant.EPOCH, ""), files);
    last = snapshot;
    return snapshot.revision();
  }

  /** The files of {@code revision}; throws when the directory has changed since. */
  @Override
  public Snapshot fetch(Revision revision) {
    Snapshot cached = last;
    if (cached != null && cached.revision().id().equals(revision.id())) {
      return cached;
    }
    Revision now = latest();
    if (!now.id().equals(revision.id())) {
      throw new SourceException(describe() + ": directory changed since revision " + revision.id()
          + " (now " + now.id() + ")");
    }
    return last;
  }

  @Override
  public String describe() {
    return "directory " + root + (path.isEmpty() ? "" : " (path " + path + ")");
  }

  @Override
  public String toString() {
    return describe();
  }

  private Map<String, Content.Bytes> read() {
    Path base = root.resolve(path).normalize();
    if (!base.startsWith(root) || !Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
      throw new SourceException(describe() + ": no directory '" + (path.isEmpty() ? root : path) + "'");
    }
    Map<String, Content.Bytes> files = new TreeMap<>();
    List<String> unnamed = new ArrayList<>();
    try {
      Files.walkFileTree(base, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          String rel = relative(base, dir);
          if (!rel.isEmpty() && (rel.equals(".git") || globs.excludesDirectory(rel))) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          if (!rel.isEmpty() && !representable(dir)) {
            unnamed.add("'" + ResourceId.escape(rel) + "'");
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          String rel = relative(base, file);
          if (globs.selects(rel)) {
            if (!representable(file)) {
              unnamed.add("'" + ResourceId.escape(rel) + "'");
            } else {
              files.put(rel, content(regular(file, attrs, rel), mode(file)));
            }
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new SourceException(describe() + ": cannot read: " + ResourceId.escape(String.valueOf(e.getMessage())), e);
    }
    if (!unnamed.isEmpty()) {
      unnamed.sort(null);
      throw new SourceException(describe() + ": " + String.join(", ", unnamed) + (unnamed.size() == 1
          ? " has a name that is" : " have names that are") + " not " + System.getProperty("sun.jnu.encoding", "UTF-8")
          + " (the encoding this JVM names files in; bad bytes shown as \ufffd), which no target writes byte for"
          + " byte: rename " + (unnamed.size() == 1 ? "it" : "them"));
    }
    return files;
  }

  /** False when {@code p}'s name has bytes this JVM's file name encoding cannot decode (it prints them as U+FFFD). */
  private static boolean representable(Path p) {
    return p.getFileSystem().getPath(p.toString()).equals(p);
  }

  private Path regular(Path file, BasicFileAttributes attrs, String rel) throws IOException {
    if (attrs.isRegularFile()) {
      return file;
    }
    if (attrs.isSymbolicLink()) {
      try {
        Path target = file.toRealPath();
        if (target.startsWith(root.toRealPath()) && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
          return target;
        }
      } catch (IOException dangling) {
        throw new SourceException(describe() + ": '" + ResourceId.escape(rel) + "' is a dangling symbolic link", dangling);
      }
    }
    throw new SourceException(describe() + ": '" + ResourceId.escape(rel) + "' is " + (attrs.isSymbolicLink()
        ? "a symbolic link leaving the root" : attrs.isDirectory() ? "a directory" : "a FIFO, socket or device")
        + ", not a regular file");
  }

  /**
   * A file of at most {@link Content.Bytes#LARGE} bytes read whole; a larger one by reference: its
   * SHA-256 streamed now, its bytes opened again when a target writes them (and checked then).
   */
  private static Content.Bytes content(Path file, FileMode mode) throws IOException {
    long size = Files.size(file);
    if (size <= Content.Bytes.LARGE) {
      return Content.bytes(Files.readAllBytes(file), mode);
    }
    String sha256 = TreeReader.sha256(Files.newInputStream(file));
    return Content.bytes(size, sha256, mode, () -> Files.newInputStream(file));
  }

  private static FileMode mode(Path file) {
    try {
      return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE)
          ? FileMode.EXECUTABLE : FileMode.REGULAR;
    } catch (IOException | UnsupportedOperationException e) {
      return FileMode.REGULAR;
    }
  }

  private static String relative(Path base, Path p) {
    return base.relativize(p).toString().replace('\\', '/');
  }
}

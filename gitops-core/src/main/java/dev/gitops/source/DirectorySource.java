package dev.gitops.source;

import dev.gitops.model.Content;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A plain directory as a source, for local work and tests. The revision id is the snapshot's content
 * digest ({@code sha256:...}), so an unchanged directory yields the same revision. Files are
 * selected by path and include/exclude lists read as {@code .gitignore} files
 * ({@link dev.gitops.model.PathGlob}), like {@link GitSource}; a file with
 * the owner's execute bit gets mode {@code 0755}, others {@code 0644}.
 *
 * <p>Symbolic links are never followed out of the root: a link to a regular file inside the root is
 * read as that file, any other link (outside the root, to a directory, dangling, in a loop) is a
 * {@link SourceException} naming it; a link to a directory is never walked, so a loop cannot hold a
 * read, and a folder of the source path that is a link is refused, not followed. Files are opened
 * through the descriptors of the folders the read entered ({@code openat}, where the platform has
 * {@link java.nio.file.SecureDirectoryStream}s), so a folder swapped for a link while it is read
 * cannot make the read leave the root. At most {@link #withLimits} files and bytes are read, each file counted from its size before
 * its bytes are read, and none past that size (a file that grows or shrinks while read is an error
 * naming it); directories nest at most 256 levels below the path. A large file, held by reference, is
 * opened again only while the same file (device and inode, size) stands at its path: a FIFO or another
 * file put there since is refused unread, and an open that blocks (a FIFO swapped in between that check
 * and the open) is abandoned after 10 s with an {@link java.io.IOException} naming the file; a read of
 * the directory that makes no progress for 10 s (its own open of a listed file blocked the same way) is
 * abandoned with a {@link SourceException} naming the file. An abandoned open is released by opening
 * the FIFO still at its path at its other end; while 16 opens in this JVM remain blocked (their FIFOs
 * moved away), reads and reopens are refused at once, saying so.
 *
 * <p>Names are checked as a Git tree's are: a {@code .git} folder is skipped at any depth (a nested
 * clone's or submodule's own, which Git never commits), a name a host would write as {@code .git}
 * ({@code .GIT}, {@code .git.}, NTFS's short name {@code git~1}, {@code .git::$INDEX_ALLOCATION}, {@code .git}
 * with a code point HFS+ ignores, as Git's {@code core.protectHFS} and {@code protectNTFS} judge them) and, where {@code /} separates names, a name with a backslash (which
 * Windows reads as a separator) are refused naming them.
 *
 * <p>What a Git checkout would have replaced is refused as a {@link GitSource} refuses it, before
 * anything is loaded, naming the files (ten per kind, then a count) and what helps: a Git LFS pointer
 * as git-lfs reads one ({@link LfsPointer}; a checkout made without Git LFS: {@code git lfs pull}) and a
 * file git-crypt encrypted (a checkout never unlocked: {@code git-crypt unlock}). They are found by their
 * bytes, from what is read anyway (git-lfs reads a file's first 1,024 bytes; a large file's are kept
 * while its digest is streamed);
 * the folder's {@code .gitattributes} do not matter: a pointer is refused whatever they say, and a file
 * under {@code filter=lfs} that is no pointer is the file Git LFS wrote. Thread-safe; each call reads
 * the directory.
 */
public final class DirectorySource implements Source {
  private final Path root;
  private final String path;
  private final Globs globs;
  private final ReadLimits limits;
  private volatile Snapshot last;

  private DirectorySource(Path root, String path, Globs globs, ReadLimits limits) {
    this.root = root.toAbsolutePath().normalize();
    this.path = path;
    this.globs = globs;
    this.limits = limits;
  }

  /**
   * All files under {@code root}.
   *
   * @param root the directory to read; it need not exist yet (reading a missing one throws
   *     {@link SourceException})
   * @return a source that reads {@code root} on every call, skipping {@code .git} folders
   */
  public static DirectorySource of(Path root) {
    return of(root, "", List.of(), List.of());
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
    return new DirectorySource(root, path == null ? "" : path.replaceAll("^/+|/+$", ""), Globs.of(include, exclude),
        ReadLimits.DEFAULTS);
  }

  /**
   * This source with other limits: the most files its path and globs may select, and the most bytes
   * those may hold together (a symbolic link counted as the file it names, so a file and a link to it
   * twice); default 100,000 files and 1 GiB, as a {@link GitSource}'s. Counted from each file's size
   * before its bytes are read: a read that passes one stops there and fails with a
   * {@link SourceException} naming the limit and the file that passed it, where a directory of a
   * million files or a 50 GB file would fill the heap or hold the read for hours. Which file passes
   * depends on the order the file system lists a directory's entries.
   *
   * @param files at least 1
   * @param bytes at least 1
   * @return a copy of this source with these limits
   * @throws IllegalArgumentException when either is below 1
   */
  public DirectorySource withLimits(int files, long bytes) {
    return new DirectorySource(root, path, globs, new ReadLimits(files, bytes));
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
    return "directory " + ResourceId.escape(root.toString()) + (path.isEmpty() ? "" : " (path " + ResourceId.escape(path) + ")");
  }

  @Override
  public String toString() {
    return describe();
  }

  private Map<String, Content.Bytes> read() {
    Path base = root.resolve(path).normalize();
    if (!base.startsWith(root) || !Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
      throw new SourceException(describe() + ": no directory '" + ResourceId.escape((path.isEmpty() ? root : path).toString()) + "'");
    }
    Path folder = root;
    for (Path name : root.relativize(base)) { // the last one alone was checked: NOFOLLOW_LINKS holds for it only
      folder = folder.resolve(name);
      if (Files.isSymbolicLink(folder)) {
        throw new SourceException(describe() + ": '" + ResourceId.escape(root.relativize(folder).toString())
            + "' on the path '" + ResourceId.escape(path) + "' is a symbolic link, never followed");
      }
    }
    return DirectoryWalk.read(root, base, globs, limits, describe());
  }
}

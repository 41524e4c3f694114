package dev.gitops.source;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One read of a {@link DirectorySource}: walks the directory (links never followed, {@code .git} and
 * excluded directories skipped), counts each selected file against the {@link ReadLimits} from its
 * size before its bytes are read, and stops at the first file that passes one. A file is read no
 * further than the size it was counted with: one that grew or shrank since is an error, so a file
 * being written cannot slip past the byte limit nor be read for ever. Directories nest at most
 * {@value #DEPTH} levels below the source's path (the JDK's walk holds one open directory a level).
 * The walk runs on a thread of its own, abandoned when it makes no progress for {@link #STALL} (an open
 * blocked on a FIFO swapped in at a listed file's path; the FIFO is then opened at its other end, so that
 * the thread returns and stops: {@link AbandonedOpens}). Not thread-safe; not part of the public API.
 */
final class DirectoryWalk extends SimpleFileVisitor<Path> {
  /**
   * The most directories a file may sit in below the source's path: far beyond any real tree, and few
   * open directories (one a level) and path lookups (each costs its depth) however hostile the tree.
   */
  static final int DEPTH = 256;
  /** The longest a read may make no progress (list a directory, open a file, read a buffer) before it is abandoned. */
  static final Duration STALL = Reopen.TIMEOUT;

  private final Path root;
  /** The root's real path ({@code toRealPath}), once asked. */
  private Path realRoot;
  private final Path base;
  private final Globs globs;
  private final String where;
  private final ReadLimits.Count count;
  private final Map<String, Content.Bytes> files = new TreeMap<>();
  /** Names this JVM cannot represent: the first {@value Listing#LISTED} in sorted order are named. */
  private final Listing unnamed = Listing.sorted();
  private final CheckoutFilters filters = CheckoutFilters.ofFolder();
  /** Steps taken by the walk's thread, which {@link #watched} waits on; the file it is at. */
  private volatile long progress;
  private volatile String current = "";
  private volatile Path currentPath;
  /** The descriptors of the folders the walk is in, innermost first (none where the platform has no such streams). */
  private final Deque<SecureDirectoryStream<Path>> folders = new ArrayDeque<>();
  /** Completed by the walk's thread at its end, or by {@link #watched} when it abandons the walk. */
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  private DirectoryWalk(Path root, Path base, Globs globs, ReadLimits limits, String where) {
    this.root = root;
    this.base = base;
    this.globs = globs;
    this.where = where;
    this.count = limits.count(where, "DirectorySource.withLimits");
  }

  /**
   * The selected files under {@code base}, keyed by path relative to it.
   *
   * @param root the directory symbolic links may not leave
   * @param where prefix for error messages (the source)
   * @throws SourceException when the files pass a limit, one is no regular file (nor a link to one
   *     inside {@code root}), changed while read, nests too deep, has a name this JVM cannot
   *     represent, or cannot be read
   */
  static Map<String, Content.Bytes> read(Path root, Path base, Globs globs, ReadLimits limits, String where) {
    DirectoryWalk walk = new DirectoryWalk(root, base, globs, limits, where);
    walk.watched(() -> {
      try {
        Files.walkFileTree(base, Set.of(), DEPTH + 1, walk);
      } finally {
        walk.closeFolders();
      }
    });
    if (!walk.unnamed.isEmpty()) {
      boolean one = walk.unnamed.count() == 1;
      throw new SourceException(where + ": " + walk.unnamed.names(name -> name) + (one ? " has a name that is"
          : " have names that are") + " not " + System.getProperty("sun.jnu.encoding", "UTF-8") + " (the encoding this"
          + " JVM names files in; bad bytes shown as \ufffd), which no target writes byte for byte: rename "
          + (one ? "it" : "them"));
    }
    String unconverted = walk.filters.refusal(where, "");
    if (unconverted != null) {
      throw new SourceException(unconverted);
    }
    return walk.files;
  }

  /**
   * Runs {@code walk} on a daemon thread of its own, waiting while it makes progress (a directory
   * listed, a file opened, a buffer read). An open can block for ever (a FIFO swapped in at a
   * listed file's path between its listing and its open: Java opens no file without blocking), so a
   * walk that makes none for {@link #STALL} is abandoned (its thread released where the FIFO still
   * stands at the file's path, else left blocked and counted: {@link AbandonedOpens}), and a
   * {@link SourceException} names the file it was at.
   */
  private void watched(Walk walk) {
    try {
      AbandonedOpens.checkRoom(".");
    } catch (IOException e) {
      throw new SourceException(where + ": " + e.getMessage(), e);
    }
    Thread walker = new Thread(() -> {
      boolean ended;
      try {
        walk.run();
        ended = done.complete(null);
      } catch (IOException | RuntimeException | Error e) {
        ended = done.completeExceptionally(e);
      }
      if (!ended) {
        AbandonedOpens.returned();
      }
    }, "gitops-directory-read");
    walker.setDaemon(true);
    walker.start();
    long seen = progress;
    long since = System.nanoTime();
    while (true) {
      try {
        done.get(1, TimeUnit.SECONDS);
        return;
      } catch (TimeoutException e) {
        long now = progress;
        if (now != seen) {
          seen = now;
          since = System.nanoTime();
        } else if (System.nanoTime() - since >= STALL.toNanos() && done.completeExceptionally(e)) {
          AbandonedOpens.abandoned();
          Path at = currentPath;
          if (at != null) {
            AbandonedOpens.release(at); // the walk's thread then returns, sees it is abandoned and stops
          }
          throw new SourceException(where + ": '" + current + "' could not be opened or read within "
              + STALL.toSeconds() + " s: what stands at its path blocks (a FIFO or a device swapped in since it was"
              + " listed); the read is abandoned: read the directory again once the writing is done");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (done.completeExceptionally(e)) {
          AbandonedOpens.abandoned();
        }
        throw new SourceException(where + ": interrupted while reading the directory", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new SourceException(where + ": cannot read: " + ResourceId.escape(String.valueOf(cause.getMessage())),
            cause);
      }
    }
  }

  /** The walk {@link #watched} runs. */
  private interface Walk {
    void run() throws IOException;
  }

  /**
   * Enters {@code dir} unless it is skipped: through the descriptor of the folder it was listed in,
   * links not followed ({@link ListedFile}), so that what is read below it is what stands in it, whatever
   * is swapped in at its path later; one that is no longer a folder there is an error.
   */
  @Override
  public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
    FileVisitResult entered = judge(dir);
    if (entered == FileVisitResult.CONTINUE) {
      SecureDirectoryStream<Path> parent = folders.peek();
      DirectoryStream<Path> opened = parent != null
          ? parent.newDirectoryStream(dir.getFileName(), LinkOption.NOFOLLOW_LINKS)
          : folders.isEmpty() && dir.equals(base) ? Files.newDirectoryStream(dir) : null;
      if (opened instanceof SecureDirectoryStream<Path> secure) {
        folders.push(secure);
      } else if (opened != null) {
        opened.close(); // no descriptors on this platform: files are opened by their paths
      }
    }
    return entered;
  }

  /** Leaves {@code dir}, closing its descriptor. */
  @Override
  public FileVisitResult postVisitDirectory(Path dir, IOException failed) throws IOException {
    SecureDirectoryStream<Path> left = folders.poll();
    if (left != null) {
      left.close();
    }
    if (failed != null) {
      throw failed;
    }
    return FileVisitResult.CONTINUE;
  }

  /** Closes the descriptors of the folders still entered (a walk that ended early). */
  private void closeFolders() {
    for (SecureDirectoryStream<Path> open; (open = folders.poll()) != null; ) {
      try {
        open.close();
      } catch (IOException e) {
        // closing a directory descriptor fails only when it is no longer open
      }
    }
  }

  /** Whether the walk enters {@code dir}: not when it is a repository's folder, excluded or unnamed. */
  private FileVisitResult judge(Path dir) {
    if (done.isDone()) {
      return FileVisitResult.TERMINATE; // abandoned: nobody waits for the rest
    }
    progress++;
    String rel = relative(dir);
    if (rel.isEmpty()) {
      return FileVisitResult.CONTINUE;
    }
    if (isGitFolder(dir) || globs.excludesDirectory(rel)) {
      return FileVisitResult.SKIP_SUBTREE;
    }
    if (!representable(dir)) {
      unnamed.add(TreeReader.quoted("", rel));
      return FileVisitResult.SKIP_SUBTREE;
    }
    checkName(rel);
    return FileVisitResult.CONTINUE;
  }

  @Override
  public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
    if (done.isDone()) {
      return FileVisitResult.TERMINATE; // abandoned: nobody waits for the rest
    }
    String rel = relative(file);
    if (attrs.isDirectory()) { // only at the walk's depth: links are not followed
      if (judge(file) == FileVisitResult.CONTINUE) {
        throw tooDeep(rel);
      }
      return FileVisitResult.CONTINUE;
    }
    if (isGitFolder(file)) {
      return FileVisitResult.CONTINUE; // a nested repository's link to its folder (a submodule's checkout)
    }
    if (globs.selects(rel)) {
      if (!representable(file)) {
        unnamed.add(TreeReader.quoted("", rel));
      } else {
        checkName(rel);
        Path realRoot = folders.isEmpty() ? null : realRoot(); // null: no descriptors, files opened by path
        ListedFile listed = new ListedFile(realRoot == null ? file : realRoot.resolve(root.relativize(file)),
            folders.peek());
        BasicFileAttributes now = listed.folder() == null ? attrs : listed.attributes(); // in the folder entered
        SecureDirectoryStream<Path> opened = null; // the target's folder, when a link's target is read
        try {
          if (!now.isRegularFile()) {
            listed = ListedFile.linked(file, now, realRoot(), !folders.isEmpty(), where, rel);
            opened = listed.folder();
            now = ListedFile.regularTarget(listed, where, rel);
          }
          String name = ResourceId.escape(rel);
          count.add(name, now.size());
          current = name;
          currentPath = listed.file();
          progress++;
          files.put(rel, ListedFile.content(listed, realRoot, now.size(), listed.mode(), name, where, filters, rel,
              () -> progress++));
        } finally {
          if (opened != null) {
            opened.close();
          }
        }
      }
    }
    return FileVisitResult.CONTINUE;
  }

  private SourceException tooDeep(String rel) {
    String shown = ResourceId.escape(rel);
    return new SourceException(where + ": '" + (shown.length() > 120 ? shown.substring(0, 120) + "..." : shown)
        + "' nests directories more than " + DEPTH + " levels deep, which no desired state needs: exclude it");
  }

  /** False when {@code p}'s name has bytes this JVM's file name encoding cannot decode (it prints them as U+FFFD). */
  private static boolean representable(Path p) {
    return p.getFileSystem().getPath(p.toString()).equals(p);
  }

  /**
   * The {@code size} bytes of {@code file}, opened by its path ({@link ListedFile#content}).
   */
  static Content.Bytes content(Path file, long size, FileMode mode, String name, String where,
      CheckoutFilters filters, String rel) throws IOException {
    return ListedFile.content(new ListedFile(file, null), null, size, mode, name, where, filters, rel, () -> { });
  }

  /**
   * True for a repository's own folder, {@code .git}, at any depth (a nested clone's or a submodule's:
   * its configuration, with the tokens remote URLs may hold, and its hooks are no content, as Git
   * never commits them). A name that a host would write as {@code .git} ({@code .GIT}, {@code .git.},
   * {@code git~1}, {@code .git} with an ignorable code point: {@link GitNames}) is refused, as {@link TreeReader#checkSafe} refuses it.
   */
  private boolean isGitFolder(Path p) {
    Path last = p.getFileName();
    String name = last == null ? "" : last.toString();
    if (name.equals(".git")) {
      return true;
    }
    if (GitNames.isDotGit(name)) {
      throw new SourceException(where + ": unsafe path '" + ResourceId.escape(relative(p)) + "': a name a host may"
          + " write as .git, a repository's own folder, which Git never checks out (Git sources refuse it too)");
    }
    return false;
  }

  /** The root's real path, resolved once a walk. */
  private Path realRoot() throws IOException {
    if (realRoot == null) {
      realRoot = root.toRealPath();
    }
    return realRoot;
  }

  /** {@code p} relative to the base, with {@code /} between names. */
  private String relative(Path p) {
    String rel = base.relativize(p).toString();
    return p.getFileSystem().getSeparator().equals("/") ? rel : rel.replace('\\', '/');
  }

  /**
   * Where the file system's separator is {@code /}, a backslash is a character of a name, which is
   * refused as {@link TreeReader#checkSafe} refuses it in a Git tree: read as a separator (as Windows
   * does) the file {@code a\b} would be {@code a/b} on a target, one of two such files silently
   * replacing the other, and {@code ..\x} would climb.
   */
  private void checkName(String rel) {
    if (rel.indexOf('\\') >= 0) {
      throw new SourceException(where + ": unsafe path '" + ResourceId.escape(rel) + "': a backslash in a name,"
          + " which a target may read as a folder separator (Git sources refuse it too): rename it");
    }
  }
}

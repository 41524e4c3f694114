package dev.gitops.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The local cache of one remote: a bare repository {@code <dir>/<key>.git} next to a lock file
 * {@code <dir>/<key>.lock}. Writers (fetch, rebuild) hold an exclusive {@link FileLock} on the lock
 * file, so several processes and several sources in one process can share a directory. A cache that
 * does not open, has no {@code HEAD} or {@code objects}, or has refs to missing objects is corrupt
 * and gets rebuilt empty. Caches of one directory in this JVM share one open {@link Repository}
 * (counted, closed with the last cache): a fleet's sources of one repository, one per path, would
 * otherwise each hold their own, and JGit keeps a pack's index per repository (1,000 sources of a
 * repository of 1,000 folders held 1,000 copies of its index). Not part of the public API.
 */
final class GitCache implements AutoCloseable {
  /** One lock per lock file in this JVM: {@link FileChannel#lock()} is per process, not per thread. */
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

  /** The repository open for each cache directory in this JVM, and how many caches use it. */
  private static final ConcurrentHashMap<Path, Shared> OPEN = new ConcurrentHashMap<>();

  private final Path repoDir;
  private final Path lockFile;
  /** The directory's shared repository, once this cache opened it; null before and after close. */
  private Shared shared;
  private int rebuilds;

  /** One open repository (null until opened) and the number of caches using it; guarded by itself. */
  private static final class Shared {
    Repository repo;
    int users;
    final TreeIndex trees = new TreeIndex();
    final BlobDigests digests;

    Shared(Path repoDir) {
      digests = new BlobDigests(repoDir.resolve(DIGESTS));
    }
  }

  /** The file of the repository directory that keeps blobs' SHA-256 ({@link BlobDigests}); git ignores it. */
  static final String DIGESTS = "gitops-blob-sha256";

  /** A cache for {@code remoteKey} (e.g. the URL without credentials) under {@code dir}. */
  public GitCache(Path dir, String remoteKey) {
    String key = name(remoteKey);
    this.repoDir = dir.toAbsolutePath().normalize().resolve(key + ".git");
    this.lockFile = repoDir.resolveSibling(key + ".lock");
  }

  /** Work that may throw {@link IOException}. */
  @FunctionalInterface
  public interface IoWork<T> {
    /** Does the work. */
    T run() throws IOException;
  }

  /**
   * The default cache directory: {@code $XDG_CACHE_HOME/gitops/git} when that variable holds an
   * absolute path, else {@code ~/.cache/gitops/git} — the user's own, never a folder in the system's
   * temporary directory that every user can read.
   */
  public static Path userCacheDirectory(Map<String, String> env, String userHome) {
    String xdg = env.get("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
        ? Path.of(xdg) : Path.of(userHome, ".cache");
    return base.resolve("gitops").resolve("git").toAbsolutePath().normalize();
  }

  /** {@link #userCacheDirectory(Map, String)} of this process's environment and user. */
  public static Path userCacheDirectory() {
    return userCacheDirectory(System.getenv(), System.getProperty("user.home"));
  }

  /** Runs {@code work} holding the cache's exclusive lock (threads and processes alike). */
  public <T> T locked(IoWork<T> work) throws IOException {
    privateDirectory(lockFile.getParent());
    ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile, p -> new ReentrantLock());
    local.lock();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      return work.run();
    } finally {
      local.unlock();
    }
  }

  /**
   * The repository, opened (and created, or rebuilt when corrupt) on first use; the one every other
   * cache of this directory in this JVM uses too.
   */
  public Repository open() throws IOException {
    Shared s = joined();
    synchronized (s) {
      if (s.repo == null) {
        s.repo = locked(() -> {
          Repository r = tryOpen();
          if (r == null && Files.exists(repoDir)) {
            count();
            delete(repoDir);
          }
          return r != null ? r : create();
        });
      }
      return s.repo;
    }
  }

  /** The trees read on the way to paths, shared with every other cache of this directory in this JVM. */
  public TreeIndex trees() {
    return joined().trees;
  }

  /**
   * The SHA-256 of blobs read before, kept in the repository directory for the next process and
   * shared with every other cache of this directory in this JVM.
   */
  BlobDigests digests() {
    return joined().digests;
  }

  /** This cache's share of the directory's repository, joined on first use. */
  private synchronized Shared joined() {
    if (shared == null) {
      shared = OPEN.compute(repoDir, (dir, s) -> {
        Shared joined = s == null ? new Shared(dir) : s;
        synchronized (joined) {
          joined.users++;
        }
        return joined;
      });
    }
    return shared;
  }

  private synchronized void count() {
    rebuilds++;
  }

  /**
   * Deletes the cache and creates it empty, for every cache of this directory; call while holding
   * {@link #locked}.
   */
  public Repository rebuild() throws IOException {
    Shared s = joined();
    synchronized (s) {
      if (s.repo != null) {
        s.repo.close();
      }
      count();
      delete(repoDir);
      s.trees.clear();
      s.digests.clear();
      s.repo = create();
      return s.repo;
    }
  }

  /** How many times this cache was found corrupt and rebuilt. */
  public synchronized int rebuilds() {
    return rebuilds;
  }

  /** True when the repository is readable: HEAD, objects, and every ref's object present. */
  public static boolean isHealthy(Repository r) {
    try {
      if (!Files.isRegularFile(r.getDirectory().toPath().resolve("HEAD"))
          || !Files.isDirectory(r.getDirectory().toPath().resolve("objects"))) {
        return false;
      }
      for (Ref ref : r.getRefDatabase().getRefs()) {
        if (ref.getObjectId() != null && !r.getObjectDatabase().has(ref.getObjectId())) {
          return false;
        }
        if (ref.getObjectId() != null) {
          r.open(ref.getObjectId()).getType();
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The repository directory. */
  public Path directory() {
    return repoDir;
  }

  /**
   * Leaves the directory's repository; the last cache to leave writes the blobs' digests read since
   * ({@link BlobDigests}) and closes it. Harmless when repeated.
   */
  @Override
  public void close() {
    Shared s;
    synchronized (this) {
      s = shared;
      shared = null;
    }
    if (s == null) {
      return;
    }
    OPEN.compute(repoDir, (dir, current) -> {
      synchronized (s) {
        if (--s.users > 0) {
          return current;
        }
        s.digests.save(); // for the next process: its read of an unchanged file hashes nothing
        if (s.repo != null) {
          s.repo.close();
          s.repo = null;
        }
        return current == s ? null : current;
      }
    });
  }

  private Repository tryOpen() {
    if (!Files.isDirectory(repoDir)) {
      return null;
    }
    try {
      Repository r = new FileRepositoryBuilder().setGitDir(repoDir.toFile()).setMustExist(true).setBare().build();
      if (isHealthy(r)) {
        return inForeground(r);
      }
      r.close();
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Creates {@code dir} and its missing parents {@code 0700} (on POSIX file systems); the default
   * directory is made {@code 0700} even when it exists. A directory given by the caller that exists
   * keeps its permissions.
   */
  static void privateDirectory(Path dir) throws IOException {
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!posix) {
      Files.createDirectories(dir);
      return;
    }
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
    if (dir.toAbsolutePath().normalize().equals(userCacheDirectory())
        && !Files.getPosixFilePermissions(dir).equals(PRIVATE)) {
      Files.setPosixFilePermissions(dir, PRIVATE);
    }
  }

  private Repository create() throws IOException {
    privateDirectory(repoDir.getParent());
    Repository r = new FileRepositoryBuilder().setGitDir(repoDir.toFile()).setBare().build();
    r.create(true);
    return inForeground(r);
  }

  /**
   * {@code r} with JGit's automatic gc (after a fetch, when loose objects or packs pile up) run in
   * the fetching thread, under this cache's lock, instead of a background thread that may still
   * write the directory once the lock is released or the cache rebuilt (this instance's
   * configuration only; nothing is written).
   */
  private static Repository inForeground(Repository r) {
    r.getConfig().setBoolean(ConfigConstants.CONFIG_GC_SECTION, null,
        ConfigConstants.CONFIG_KEY_AUTODETACH, false);
    return r;
  }

  /**
   * Deletes {@code dir} and everything in it. A file that vanishes or appears meanwhile (a lock file
   * of a Git process still at work on the old repository) makes it walk again, three times at most.
   */
  private static void delete(Path dir) throws IOException {
    for (int attempt = 1; Files.exists(dir); attempt++) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      } catch (UncheckedIOException | DirectoryNotEmptyException e) {
        if (attempt == 3) {
          throw e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
        }
      }
    }
  }

  private static String name(String remoteKey) {
    byte[] hash = dev.gitops.internal.Digests.sha256().digest(remoteKey.getBytes(StandardCharsets.UTF_8));
    String tail = remoteKey.replaceAll("\\.git/*$", "").replaceAll("/+$", "");
    tail = tail.substring(tail.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    tail = tail.isEmpty() || tail.startsWith(".") ? "repo" : tail;
    return tail + "-" + HexFormat.of().formatHex(hash, 0, 6);
  }
}

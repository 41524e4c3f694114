package dev.gitops.source;

import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens a large file of a {@link DirectorySource} again (when a loader or a target reads the bytes
 * held by reference), only while the file that was read stands at its path, and never so that the
 * open can hang.
 *
 * <p>What stands at the path is checked before the open (a regular file, the same one by device and
 * inode, of the same size), but anything can be swapped in between that check and the open. Java
 * opens no file without blocking ({@code O_NONBLOCK} is not among its open options; with
 * {@code NOFOLLOW_LINKS} an open for reading still waits for a writer on a FIFO, as on some devices),
 * so the open runs on a helper thread of its own, and a caller waits for it at most
 * {@link #TIMEOUT}: past that, the open is abandoned (the daemon thread closes what it opens, if ever
 * it does; a FIFO still at the path is opened at its other end so that it does: {@link AbandonedOpens})
 * and reported as an {@link IOException} naming the file. What the open returned is checked
 * again: its size asked of the opened file itself ({@code fstat}: a FIFO or a device has none, another
 * file may have another), then the path's device and inode once more; bytes changed after that fail
 * the digest the stream checks at its end.
 */
final class Reopen {
  /** The longest a reopen waits for the open itself: a local file opens in microseconds. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Reopen() {}

  /**
   * {@code file} opened again, once checked to be the file read with {@code key} and {@code size}; with
   * {@code realRoot} (the real path of the root {@code file} lies below, null where the platform has no
   * {@link java.nio.file.SecureDirectoryStream}) through the descriptors of the folders from that root
   * down, links not followed ({@link ListedFile#inRoot}), the checks and the open made in the file's
   * folder: a folder on the way swapped for a link out of the root cannot lead the open elsewhere, as it
   * could by the path between the check and the open.
   *
   * @param name the file's path as shown in messages (escaped)
   * @throws IOException naming the file when another file, a FIFO, a socket or a device stands at the
   *     path, a folder on the way is no longer one, or the open does not return within {@link #TIMEOUT},
   *     or too many earlier ones are still blocked ({@link AbandonedOpens#checkRoom})
   */
  static InputStream open(Path realRoot, Path file, Object key, long size, String name) throws IOException {
    if (realRoot == null) {
      return open(file, key, size, name);
    }
    ListedFile at;
    try {
      at = ListedFile.inRoot(realRoot, file, true);
    } catch (IOException e) {
      throw refused(name, "a folder on its path is no longer one (a symbolic link or another file swapped in)");
    }
    boolean handed = false; // once the opener has the folder, it closes it: closing it while an open on it
    try { //                   blocks (a FIFO) would wait for that open (the JDK locks the stream)
      String changed = changed(at.attributes(), key, size);
      if (changed != null) {
        throw refused(name, changed);
      }
      handed = true;
      return Channels.newInputStream(bounded(() -> checkedOpen(at, key, size, name), file, name, TIMEOUT));
    } catch (java.nio.file.NoSuchFileException e) {
      throw refused(name, "nothing stands at its path any more");
    } finally {
      if (!handed && at.folder() != null) {
        at.folder().close();
      }
    }
  }

  /**
   * {@code at} opened (on the opener's thread), then checked again in its folder: what was opened has the
   * size read ({@code fstat}), and the file at the name is still the one read. Closes the folder.
   */
  private static SeekableByteChannel checkedOpen(ListedFile at, Object key, long size, String name)
      throws IOException {
    try {
      SeekableByteChannel channel = at.channel();
      try {
        long opened = channel.size(); // fstat of what was opened
        String changed = opened != size ? "what the open returned is " + opened + " bytes, not " + size
            + " (a FIFO, socket or device, or another file, swapped in)" : changed(at.attributes(), key, size);
        if (changed != null) {
          throw refused(name, changed);
        }
        return channel;
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } finally {
      if (at.folder() != null) {
        at.folder().close();
      }
    }
  }

  /** {@link #open(Path, Path, Object, long, String)} by the path alone. */
  static InputStream open(Path file, Object key, long size, String name) throws IOException {
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new IOException("'" + name + "' cannot be opened again: " + ResourceId.escape(String.valueOf(e.getMessage()))
          + "; read the directory again", e);
    }
    String changed = changed(now, key, size);
    if (changed != null) {
      throw refused(name, changed);
    }
    FileChannel channel = bounded(file, name, TIMEOUT);
    try {
      long opened = channel.size(); // fstat of what was opened, not of the path
      changed = opened != size ? "what the open returned is " + opened + " bytes, not " + size
          + " (a FIFO, socket or device, or another file, swapped in)"
          : changed(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS), key, size);
      if (changed != null) {
        throw refused(name, changed);
      }
      return Channels.newInputStream(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Why {@code now}, what stands at the file's path, is not the file read, or null when it is. */
  private static String changed(BasicFileAttributes now, Object key, long size) {
    return !now.isRegularFile() ? (now.isSymbolicLink() ? "a symbolic link" : now.isDirectory()
        ? "a directory" : "a FIFO, socket or device") + " stands in its place"
        : key != null && !key.equals(now.fileKey()) ? "another file stands at its path (a directory on the way"
            + " replaced or linked elsewhere, or the file replaced)"
        : now.size() != size ? "it is " + now.size() + " bytes, not " + size : null;
  }

  private static IOException refused(String name, String changed) {
    return new IOException("'" + name + "' changed since it was read: " + changed + "; nothing of it is read:"
        + " read the directory again once the writing is done");
  }

  /**
   * {@code file} opened for reading (links not followed) on a daemon thread, waited for at most
   * {@code timeout}; an open still blocked then is abandoned, and what it opens later is closed.
   */
  static FileChannel bounded(Path file, String name, Duration timeout) throws IOException {
    return bounded(() -> FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS), file, name,
        timeout);
  }

  /** An open that may block. */
  interface Opening<C extends SeekableByteChannel> {
    C open() throws IOException;
  }

  /**
   * {@code opening} run on a daemon thread, waited for at most {@code timeout}; an open still blocked then
   * is abandoned (a FIFO at {@code file} opened at its other end: {@link AbandonedOpens#release}), and what
   * it opens later is closed.
   */
  static <C extends SeekableByteChannel> C bounded(Opening<C> open, Path file, String name, Duration timeout)
      throws IOException {
    AbandonedOpens.checkRoom(name);
    CompletableFuture<C> opening = new CompletableFuture<>();
    Thread opener = new Thread(() -> {
      try {
        C channel = open.open();
        if (!opening.complete(channel)) {
          channel.close(); // abandoned: the caller has gone
          AbandonedOpens.returned();
        }
      } catch (IOException | RuntimeException e) {
        if (!opening.completeExceptionally(e)) {
          AbandonedOpens.returned();
        }
      }
    }, "gitops-reopen");
    opener.setDaemon(true);
    opener.start();
    try {
      return opening.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (opening.completeExceptionally(e)) {
        AbandonedOpens.abandoned();
        AbandonedOpens.release(file);
        throw new IOException("'" + name + "' could not be opened again within " + timeout.toSeconds() + " s: what"
            + " stands at its path blocks an open (a FIFO or a device swapped in since it was read); the open is"
            + " abandoned and nothing of it is read: read the directory again once the writing is done");
      }
      return done(opening, name); // it returned just now
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (opening.completeExceptionally(e)) {
        AbandonedOpens.abandoned();
        AbandonedOpens.release(file);
        throw new InterruptedIOException("'" + name + "': interrupted while opening it again");
      }
      return done(opening, name);
    } catch (ExecutionException e) {
      return done(opening, name);
    }
  }

  /** The channel {@code opening} completed with, or its failure naming the file. */
  private static <C> C done(CompletableFuture<C> opening, String name) throws IOException {
    try {
      return opening.getNow(null);
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      throw new IOException("'" + name + "' cannot be opened again: " + ResourceId.escape(String.valueOf(
          cause instanceof IOException ? cause.getMessage() : cause)) + "; read the directory again", cause);
    }
  }
}

package dev.gitops.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The helper threads this JVM abandoned in an open that blocks ({@link Reopen}, {@link DirectoryWalk}:
 * a FIFO swapped in at a file's path; Java opens no file without blocking). When one is abandoned, the
 * FIFO still standing at the path is opened at its other end ({@link #release}), which lets the blocked
 * open return and its thread end. One moved away since cannot be found from Java, so its thread stays
 * blocked until something opens that FIFO: a repository read again and again could pile such threads
 * up, each holding what it references, so past {@value #MAX} of them still blocked no new helper is
 * started ({@link #checkRoom}) until one returns. Process-wide, as threads are. Thread-safe. Not part of
 * the public API.
 */
final class AbandonedOpens {
  /** The most abandoned helper threads left blocked before reads that need one are refused. */
  static final int MAX = 16;
  /** {@code S_IFMT} and {@code S_IFIFO} of a {@code st_mode} ({@code sys/stat.h}). */
  private static final int TYPE = 0170000;
  private static final int FIFO = 0010000;
  private static final AtomicInteger BLOCKED = new AtomicInteger();

  private AbandonedOpens() {}

  /** How many abandoned helper threads are still blocked. */
  static int blocked() {
    return BLOCKED.get();
  }

  /**
   * Refuses to start another helper while {@value #MAX} abandoned ones are still blocked.
   *
   * @param name what is about to be read (escaped), for the message
   * @throws IOException naming it, and why
   */
  static void checkRoom(String name) throws IOException {
    int now = BLOCKED.get();
    if (now >= MAX) {
      throw new IOException("'" + name + "' is not read: " + now + " earlier opens in this JVM are still blocked on"
          + " FIFOs or devices swapped into a source's directory (each abandoned after " + Reopen.TIMEOUT.toSeconds()
          + " s), the most left waiting; remove those FIFOs from the directories read (or open them for writing),"
          + " then read again");
    }
  }

  /** Counts a helper thread abandoned while blocked; {@link #returned} when it ends. */
  static void abandoned() {
    BLOCKED.incrementAndGet();
  }

  /** Counts an abandoned helper thread that returned at last. */
  static void returned() {
    BLOCKED.decrementAndGet();
  }

  /**
   * Lets an open blocked on the FIFO at {@code file} return: opens it for reading and writing, which
   * never blocks on a FIFO (Linux's fifo(7); the open counts as a writer, which wakes every reader
   * waiting in {@code open}), and closes it at once, nothing written. Only a FIFO is opened (its
   * {@code st_mode} asked first, links not followed): never a file, a device or a socket; nothing is
   * done where the {@code unix} attribute view is missing or the FIFO cannot be opened.
   */
  static void release(Path file) {
    try {
      if (Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) instanceof Integer mode
          && (mode & TYPE) == FIFO) {
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS).close();
      }
    } catch (IOException | RuntimeException e) {
      // gone, moved, swapped for something else, or no unix view: the thread stays counted
    }
  }
}

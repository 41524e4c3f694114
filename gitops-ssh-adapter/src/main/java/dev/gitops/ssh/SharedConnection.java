package dev.gitops.ssh;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The connection a {@link SystemSshHost}'s commands share (OpenSSH's {@code ControlMaster}): its
 * control socket, the master, opened alone ({@code ssh -f -N}) before the commands that use it, and
 * the sessions it carries at once. Without the first, commands started together before a master
 * listened each made a connection of their own ({@code ControlSocket ... already exists, disabling
 * multiplexing}); without the last, a command past the server's {@code MaxSessions} was refused a
 * session ({@code Session open refused by peer}) and made a connection of its own, and past
 * {@code sshd}'s {@code MaxStartups} such connections were dropped ({@code kex_exchange_identification:
 * Connection reset by peer}, exit 255). Thread-safe; not part of the public API.
 */
final class SharedConnection {
  /** What an {@code ssh} run gave, checked: throws when {@code ssh} itself failed. */
  interface Check {
    void check(Host.Result result) throws IOException;
  }

  private final SystemSshArguments arguments;
  private final String describe;
  private final boolean shared;
  private final Path controlFolder;
  private final int most;
  private final Semaphore sessions;
  /** Held while the master is being opened: one opens it, the others then share it. */
  private final Object opening = new Object();
  /** The control socket; null until the first command, and after close. */
  private Path socket;
  /** True when {@link #socket} is in the control folder, kept beyond close. */
  private boolean kept;

  SharedConnection(SystemSshArguments arguments, String describe, boolean shared, Path controlFolder, int most) {
    this.arguments = arguments;
    this.describe = describe;
    this.shared = shared;
    this.controlFolder = controlFolder;
    this.most = most;
    this.sessions = new Semaphore(most, true);
  }

  /**
   * Takes one of the sessions, waiting at most {@code wait} for one to be free, and opens the master
   * when none listens; {@link #release()} gives the session back.
   *
   * @param wait how long to wait for a session and for the master to open
   * @param check what tells a failed {@code ssh} (host key, login) from one that opened the master
   * @return the control socket to run the command through; null when commands do not share a connection
   * @throws Host.CommandTimeoutException when no session was free within {@code wait}
   */
  Path open(Duration wait, Check check) throws IOException {
    try {
      if (!sessions.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new Host.CommandTimeoutException(describe + ": no session free within " + wait + ": " + most
            + " commands (maxSessions) already run over the connection");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(describe + ": interrupted while waiting for a session");
    }
    return opened(wait, check);
  }

  /**
   * As {@link #open}, for a command that lasts (a long-running reader): takes a session only when
   * another then stays free, and never waits, so that such commands never hold every session and
   * leave the others waiting for ever.
   *
   * @throws IOException when no session can be spared (the caller then runs one command instead)
   */
  Path openLasting(Duration wait, Check check) throws IOException {
    if (!sessions.tryAcquire(2)) {
      throw new IOException(describe + ": no session to spare for a long-running command (maxSessions " + most + ")");
    }
    sessions.release();
    return opened(wait, check);
  }

  /** The socket, the master opened when none listens; the session taken is given back when that fails. */
  private Path opened(Duration wait, Check check) throws IOException {
    try {
      return master(wait, check);
    } catch (IOException | RuntimeException e) {
      sessions.release();
      throw e;
    }
  }

  /** Gives back the session {@link #open} took. */
  void release() {
    sessions.release();
  }

  private Path master(Duration wait, Check check) throws IOException {
    synchronized (opening) {
      Path at = socket();
      if (at != null && (!Files.exists(at) || stale(at))) {
        check.check(Processes.run(arguments.master(at), new byte[0], wait, describe + ": ssh -N (the shared connection)"));
      }
      return at;
    }
  }

  /**
   * True when {@code at} is a socket no master listens on any more (one killed outright left it in a
   * kept control folder), now removed: left there, every command started before a new master listened
   * would make a connection of its own and print {@code ControlSocket ... already exists, disabling
   * multiplexing} into its standard error. Removed only if it is still the file found refusing (another
   * process may have replaced it meanwhile).
   */
  private static boolean stale(Path at) {
    try {
      Object found = Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
      try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        c.connect(UnixDomainSocketAddress.of(at));
        return false;
      } catch (ConnectException refused) {
        if (found != null && found.equals(Files.readAttributes(at, BasicFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS).fileKey())) {
          Files.deleteIfExists(at);
        }
        return true;
      }
    } catch (java.nio.file.NoSuchFileException gone) {
      return true; // gone meanwhile: a new master is opened
    } catch (IOException e) {
      return false; // not ours to judge: ssh says what it finds
    }
  }

  private synchronized Path socket() throws IOException {
    if (!shared) {
      return null;
    }
    if (socket == null) {
      Path keptAt = controlFolder == null ? null : ControlSockets.kept(controlFolder, "s" + arguments.connectionKey());
      kept = keptAt != null;
      socket = kept ? keptAt : ControlSockets.temporary();
    }
    return socket;
  }

  /** The control socket now, null when none. */
  synchronized Path controlSocket() {
    return socket;
  }

  /**
   * Ends the master ({@code ssh -O exit}) and removes its folder, unless it is kept in the control
   * folder; the next command opens a new one. Never throws.
   *
   * @param wait how long {@code ssh -O exit} may take
   */
  void close(Duration wait) {
    Path at;
    synchronized (this) {
      at = kept ? null : socket;
      socket = null;
    }
    if (at == null) {
      return;
    }
    try {
      if (Files.exists(at)) {
        Processes.run(arguments.exit(at), new byte[0], wait, describe + ": ssh -O exit");
      }
    } catch (IOException e) {
      // the connection ends by itself once idle
    }
    try (var left = Files.list(at.getParent())) {
      for (Path p : (Iterable<Path>) left::iterator) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(at.getParent());
    } catch (IOException e) {
      // a temporary folder of sockets: left for the system to clean
    }
  }
}

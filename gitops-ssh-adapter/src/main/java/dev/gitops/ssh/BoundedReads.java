package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import java.io.IOException;

/**
 * Reads of files whose length the host decides (the state folder's lock, history, inventories and
 * journals), each with a limit that what this library writes there
 * never reaches, so that a broken or hostile host (a lock of 10 GiB, a history that never ends, a
 * {@code /dev/zero} behind a name) cannot make it hold more. The hosts shipped read at most one byte
 * past the limit (SFTP reads, {@code java.nio}, {@code head -c} through a command whose output is
 * kept to that many bytes); another {@link Host} is read whole by its {@link Host#read} and then
 * checked. Past the limit is a {@link TargetException} that is not retryable, naming the host and the
 * file; a lock past its limit is instead an unreadable lock ({@link LockFile}), which the lock's
 * protocol takes over when old and {@code forceUnlock} removes. Not part of the public API.
 */
final class BoundedReads {
  /**
   * The lock: 64 KiB. Its JSON holds a holder name, a host name, a pid, a time, a machine id and a
   * token: under 1 KiB unless a holder name is very long.
   */
  static final int LOCK = 64 << 10;

  /**
   * The deploy history: 16 MiB. An entry (revision, ref, plan summary, outcome, time, who) is about
   * 300 bytes of JSON and rarely past 512; {@code PushDeployer} keeps 20 by default (about 10 KiB), so
   * this is 1,600 times that, or 32,000 entries of 512 bytes.
   */
  static final int HISTORY = 16 << 20;

  /**
   * An inventory or a journal: 256 MiB. An inventory entry is about 150 bytes of JSON plus its path,
   * a journal line about 140 plus its path (two lines a file at most between folds); a Git source
   * selects at most 100,000 files by default, so this holds that many with paths of 2.5 KiB each, or
   * a million files with paths of 100 bytes.
   */
  static final int INVENTORY = 256 << 20;

  private BoundedReads() {}

  /**
   * The limit of the state file {@code name} (a name in the state folder).
   *
   * @param name {@code lock}, {@code history.json}, {@code <owner>.inventory}, {@code <owner>.journal}
   * @return its limit in bytes
   */
  static int stateFile(String name) {
    return switch (name) {
      case "lock" -> LOCK;
      case "history.json" -> HISTORY;
      default -> INVENTORY;
    };
  }

  /**
   * Reads the regular file {@code path}, at most {@code limit} bytes.
   *
   * @param host the host
   * @param path absolute path of the file
   * @param stat what {@code path} was just found to be, or null: a size over the limit fails at once
   * @param limit the most bytes the file may hold
   * @return its bytes, null when nothing is at {@code path}
   * @throws TargetException (not retryable) naming the host and the file when it holds more
   * @throws IOException as {@link Host#read}
   */
  static byte[] read(Host host, String path, Host.Stat stat, int limit) throws IOException {
    if (stat != null && stat.size() > limit) {
      throw tooLarge(host, path, limit);
    }
    byte[] data = upTo(host, path, limit + 1);
    if (data != null && data.length > limit) {
      throw tooLarge(host, path, limit);
    }
    return data;
  }

  /**
   * The first {@code max} bytes of the regular file {@code path} (all of it when shorter), read no
   * further by the hosts shipped; another host's {@link Host#read} reads it whole, then it is cut.
   *
   * @return at most {@code max} bytes, null when nothing is at {@code path}
   * @throws IOException as {@link Host#read}
   */
  static byte[] upTo(Host host, String path, int max) throws IOException {
    byte[] data = host instanceof SshHost ssh ? ssh.read(path, max)
        : host instanceof LocalHost local ? local.read(path, max)
        : host instanceof SystemSshHost ? ShellReads.read(host, path, max)
        : host.read(path);
    return data == null || data.length <= max ? data : java.util.Arrays.copyOf(data, max);
  }

  /**
   * A state file past its limit in the read's tar stream, found from its header before its bytes
   * are read; the reader turns it into {@link #tooLarge} with the host's name.
   */
  static final class Exceeded extends IOException {
    private static final long serialVersionUID = 1L;
    /** The file's path under the root. */
    final String path;
    /** Its limit. */
    final int limit;

    private Exceeded(String path, long size, int limit) {
      super(path + " is " + size + " bytes, more than the " + limit + " of a state file");
      this.path = path;
      this.limit = limit;
    }

    /** Throws when {@code path} ({@code .gitops/NAME} under the root) is longer than its limit. */
    static void check(String path, long size) throws Exceeded {
      int limit = stateFile(path.substring(path.lastIndexOf('/') + 1));
      if (size > limit) {
        throw new Exceeded(path, size, limit);
      }
    }
  }

  /** The error of a file past its limit: not retryable, it will not shrink by itself. */
  static TargetException tooLarge(Host host, String path, int limit) {
    return new TargetException(null, host.describe() + ": '" + ResourceId.escape(path) + "' holds more than "
        + limit + " bytes, more than gitops ever writes there: refusing to read it (was it made by hand,"
        + " or is the host broken or hostile? remove it once it is understood)", false, null);
  }
}

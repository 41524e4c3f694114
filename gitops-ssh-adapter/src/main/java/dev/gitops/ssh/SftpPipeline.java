package dev.gitops.ssh;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.impl.SftpResponse;
import org.apache.sshd.sftp.client.impl.SftpStatus;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * The SFTP v3 operations a write is made of, as {@link SftpBatch} stages. A write is two: the open
 * (with the mode in its attributes), then the data and the close in one flight; an atomic put adds
 * a third, the rename over the target. The mode goes in
 * the open; a separate {@code fsetstat} (and an {@code fstat} to learn whether the open's mode
 * survives the server's umask) is sent only until that mode is known to survive. Not part of the
 * public API.
 */
final class SftpPipeline {
  private static final int CHUNK = 32 * 1024;

  private SftpPipeline() {}

  /** True when {@code sftp} can pipeline and speaks v3 (whose attribute encoding we write). */
  static boolean supported(SftpClient sftp) {
    return sftp instanceof RawSftpClient && sftp.getVersion() == SftpConstants.SFTP_V3;
  }

  /**
   * Creates {@code path} (exclusively, or truncating) with {@code permissions} and {@code data}.
   * {@code exact} holds the modes an open is known to create exactly; this op adds to it.
   */
  static final class Write extends SftpBatch.Op {
    private final String path;
    private final byte[] data;
    private final int permissions;
    private final boolean exclusive;
    private final Set<Integer> exact;
    private final Charset names;
    private byte[] handle;
    private final List<int[]> sent = new ArrayList<>();
    private int probe = -1;
    private String renameTo;
    private boolean replace;
    private boolean written;
    private int rename = -1;
    private List<String> dirs = List.of();
    private final List<Integer> looks = new ArrayList<>();
    private int uid = -1;
    private int gid = -1;
    private java.util.concurrent.atomic.AtomicInteger me;

    Write(SftpClient sftp, String path, byte[] data, int permissions, boolean exclusive, Set<Integer> exact) {
      this.path = path;
      this.data = data;
      this.permissions = permissions;
      this.exclusive = exclusive;
      this.exact = exact;
      this.names = sftp.getNameDecodingCharset();
    }

    /**
     * Then, once written and closed, renames the file to {@code to}: replacing it atomically
     * ({@code posix-rename@openssh.com}) or, when not {@code replace}, only if {@code to} does not
     * exist (v3 {@code rename}, a link and unlink with OpenSSH).
     */
    Write thenRename(String to, boolean replaceExisting) {
      this.renameTo = to;
      this.replace = replaceExisting;
      return this;
    }

    /**
     * And, with the data (after the close, in the same flight: no round trip more), an {@code lstat}
     * of each of {@code directories}, which must all be directories still: else the op fails with
     * {@link HostFiles.Swapped} and nothing is renamed.
     */
    Write checking(List<String> directories) {
      this.dirs = List.copyOf(directories);
      return this;
    }

    /**
     * And judges the last of the directories {@link #checking} looks at, the folder the file is in, by
     * who else may rename the file there ({@link SharedFolders}): when someone may, the op fails with
     * {@link SharedFolders.Shared} and nothing is renamed (the file could be another by then). {@code me}
     * holds the uid the server's files are made by ({@code -1} until an {@code fstat} of a file made told
     * it, which this op then asks and sets; {@code -2} once the server said no owner); until known, a folder
     * of a user other than root counts as shared.
     */
    Write judging(java.util.concurrent.atomic.AtomicInteger uid) {
      this.me = uid;
      return this;
    }

    /**
     * And gives the file {@code owner} and {@code group} (ids; {@code -1}: as created) on its open
     * handle, with the data: an {@code fsetstat}, which OpenSSH's {@code sftp-server} does with
     * {@code fchown} on the descriptor it opened ({@code process_fsetstat}), so no path is followed and
     * no round trip is added; {@code -1} goes as {@code 0xFFFFFFFF}, which {@code fchown} leaves as it is.
     * Not for setuid, setgid or sticky bits, which a {@code chown} clears.
     */
    Write owning(int owner, int group) {
      this.uid = owner;
      this.gid = group;
      return this;
    }

    /** True once the open succeeded (a later failure left the file behind). */
    boolean opened() {
      return handle != null;
    }

    /** True once the data is written and the file closed (only the rename can have failed). */
    boolean written() {
      return written;
    }

    @Override
    void send(RawSftpClient raw) throws IOException {
      if (written) {
        Buffer b = new ByteArrayBuffer(path.length() * 3 + renameTo.length() * 3 + 48, false);
        if (replace) {
          b.putString("posix-rename@openssh.com");
        }
        b.putString(path, names);
        b.putString(renameTo, names);
        rename = raw.send(replace ? SftpConstants.SSH_FXP_EXTENDED : SftpConstants.SSH_FXP_RENAME, b);
        return;
      }
      if (handle == null) {
        Buffer open = new ByteArrayBuffer(path.length() * 3 + 32, false);
        open.putString(path, names);
        open.putInt(SftpConstants.SSH_FXF_WRITE | SftpConstants.SSH_FXF_CREAT
            | (exclusive ? SftpConstants.SSH_FXF_EXCL : SftpConstants.SSH_FXF_TRUNC));
        open.putInt(SftpConstants.SSH_FILEXFER_ATTR_PERMISSIONS);
        open.putInt(permissions);
        sent.add(new int[] {SftpConstants.SSH_FXP_OPEN, raw.send(SftpConstants.SSH_FXP_OPEN, open)});
        return;
      }
      boolean learn = me != null && me.get() == -1; // whom the server runs as: asked until an answer said
      if (exclusive && (learn || !exact.contains(permissions))) { // a new file: what an open makes, and whose
        probe = raw.send(SftpConstants.SSH_FXP_FSTAT, withHandle(0));
      }
      if (!exclusive || !exact.contains(permissions)) {
        Buffer attrs = withHandle(8);
        attrs.putInt(SftpConstants.SSH_FILEXFER_ATTR_PERMISSIONS);
        attrs.putInt(permissions);
        sent.add(new int[] {SftpConstants.SSH_FXP_FSETSTAT, raw.send(SftpConstants.SSH_FXP_FSETSTAT, attrs)});
      }
      if (uid >= 0 || gid >= 0) {
        Buffer ids = withHandle(12);
        ids.putInt(SftpConstants.SSH_FILEXFER_ATTR_UIDGID);
        ids.putInt(uid);
        ids.putInt(gid);
        sent.add(new int[] {SftpConstants.SSH_FXP_FSETSTAT, raw.send(SftpConstants.SSH_FXP_FSETSTAT, ids)});
      }
      for (int off = 0; off < data.length; off += CHUNK) {
        int len = Math.min(CHUNK, data.length - off);
        Buffer write = withHandle(len + 16);
        write.putLong(off);
        write.putBytes(data, off, len);
        sent.add(new int[] {SftpConstants.SSH_FXP_WRITE, raw.send(SftpConstants.SSH_FXP_WRITE, write)});
      }
      sent.add(new int[] {SftpConstants.SSH_FXP_CLOSE, raw.send(SftpConstants.SSH_FXP_CLOSE, withHandle(0))});
      for (String dir : dirs) { // served after the close: OpenSSH answers one session's requests in order
        Buffer b = new ByteArrayBuffer(dir.length() * 3 + 16, false);
        b.putString(dir, names);
        looks.add(raw.send(SftpConstants.SSH_FXP_LSTAT, b));
      }
    }

    private Buffer withHandle(int more) {
      Buffer b = new ByteArrayBuffer(handle.length + more + 16, false);
      b.putBytes(handle);
      return b;
    }

    @Override
    boolean receive(RawSftpClient raw) throws IOException {
      if (rename >= 0) {
        IOException failed = status(SftpResponse.parse(SftpConstants.SSH_FXP_RENAME, raw.receive(rename)));
        if (failed != null) {
          throw failed;
        }
        return false;
      }
      if (handle == null) {
        int[] open = sent.remove(0);
        SftpResponse response = SftpResponse.parse(open[0], raw.receive(open[1]));
        if (response.getType() != SftpConstants.SSH_FXP_HANDLE) {
          IOException failed = status(response);
          throw failed != null ? failed : new IOException("no handle for " + path);
        }
        handle = response.getBuffer().getBytes();
        return true;
      }
      if (probe >= 0) {
        SftpResponse attrs = SftpResponse.parse(SftpConstants.SSH_FXP_FSTAT, raw.receive(probe));
        if (attrs.getType() == SftpConstants.SSH_FXP_ATTRS) {
          Host.Stat made = stat(attrs.getBuffer());
          if (made.permissions() == permissions) {
            exact.add(permissions);
          }
          if (me != null) { // the file as made (before any fsetstat of ids): whom the server runs as; -2: it says no owner
            me.compareAndSet(-1, made.uid() >= 0 ? made.uid() : -2);
          }
        }
      }
      IOException first = null;
      for (int[] request : sent) {
        try {
          SftpResponse response = SftpResponse.parse(request[0], raw.receive(request[1]));
          IOException failed = status(response);
          if (failed != null) {
            throw failed;
          }
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      for (int i = 0; i < looks.size(); i++) {
        Host.Stat dir = look(SftpResponse.parse(SftpConstants.SSH_FXP_LSTAT, raw.receive(looks.get(i))));
        if (dir.type() != Host.Stat.Type.DIRECTORY && first == null) {
          first = new HostFiles.Swapped(dirs.get(i), dir.type());
        } else if (me != null && i == looks.size() - 1 && first == null) {
          int mine = me.get();
          String why = mine < 0 && dir.uid() > 0 ? "is owned by uid " + dir.uid() + ", and whom the server runs as is not"
              + " known yet" : SharedFolders.why(dir, SharedFolders.OURS, mine); // the temporary file is ours
          if (why != null) {
            first = new SharedFolders.Shared(dirs.get(i), why);
          }
        }
      }
      if (first != null) {
        throw first;
      }
      written = true;
      return renameTo != null && rename < 0;
    }
  }

  /** {@code posix-rename@openssh.com} of {@code from} to {@code to}: replaces atomically. */
  static final class PosixRename extends SftpBatch.Op {
    private final String from;
    private final String to;
    private final Charset names;
    private int id;

    PosixRename(SftpClient sftp, String from, String to) {
      this.from = from;
      this.to = to;
      this.names = sftp.getNameDecodingCharset();
    }

    @Override
    void send(RawSftpClient raw) throws IOException {
      Buffer b = new ByteArrayBuffer(from.length() * 3 + to.length() * 3 + 48, false);
      b.putString("posix-rename@openssh.com");
      b.putString(from, names);
      b.putString(to, names);
      id = raw.send(SftpConstants.SSH_FXP_EXTENDED, b);
    }

    @Override
    boolean receive(RawSftpClient raw) throws IOException {
      IOException failed = status(SftpResponse.parse(SftpConstants.SSH_FXP_EXTENDED, raw.receive(id)));
      if (failed != null) {
        throw failed;
      }
      return false;
    }
  }

  /** The failure a status answer reports, null for OK; an unexpected answer is a failure too. */
  private static IOException status(SftpResponse response) throws IOException {
    if (response.getType() != SftpConstants.SSH_FXP_STATUS) {
      return new IOException("unexpected SFTP answer " + response.getType() + " to " + response.getCmd());
    }
    SftpStatus status = SftpStatus.parse(response);
    return status.isOk() ? null : new SftpException(status.getStatusCode(), status.getMessage());
  }

  /** What an {@code lstat} answer says is there: no such file is {@link Host.Stat#ABSENT}. */
  private static Host.Stat look(SftpResponse response) throws IOException {
    if (response.getType() != SftpConstants.SSH_FXP_ATTRS) {
      IOException failed = status(response);
      if (failed instanceof SftpException e && e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return Host.Stat.ABSENT;
      }
      throw failed != null ? failed : new IOException("no attributes in an answer to lstat");
    }
    Host.Stat stat = stat(response.getBuffer());
    if (stat.permissions() < 0) {
      throw new IOException("no file type in an answer to lstat");
    }
    return stat;
  }

  /**
   * Type and permission bits (of {@link Host.Stat.Type#OTHER} and {@code -1} when the answer has no mode),
   * owner and group ({@code -1}: none) of a v3 ATTRS answer.
   */
  private static Host.Stat stat(Buffer attrs) {
    int flags = attrs.getInt();
    if ((flags & SftpConstants.SSH_FILEXFER_ATTR_SIZE) != 0) {
      attrs.getLong();
    }
    int uid = -1;
    int gid = -1;
    if ((flags & SftpConstants.SSH_FILEXFER_ATTR_UIDGID) != 0) {
      uid = attrs.getInt();
      gid = attrs.getInt();
    }
    if ((flags & SftpConstants.SSH_FILEXFER_ATTR_PERMISSIONS) == 0) {
      return new Host.Stat(Host.Stat.Type.OTHER, -1, null, -1, uid, gid);
    }
    int mode = attrs.getInt();
    Host.Stat.Type type = switch (mode & SftpConstants.S_IFMT) {
      case SftpConstants.S_IFDIR -> Host.Stat.Type.DIRECTORY;
      case SftpConstants.S_IFLNK -> Host.Stat.Type.SYMLINK;
      case SftpConstants.S_IFREG -> Host.Stat.Type.FILE;
      default -> Host.Stat.Type.OTHER;
    };
    return new Host.Stat(type, mode & 07777, null, -1, uid, gid);
  }
}

package dev.gitops.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.impl.SftpResponse;
import org.apache.sshd.sftp.client.impl.SftpStatus;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * The file operations of an {@code SshHost} that change something, over one SFTP client (protocol v3
 * with OpenSSH): {@code posix-rename@openssh.com} to replace atomically, modes set by the open (or on
 * the open handle before the data is written); writes and renames of concurrent callers are pipelined
 * together ({@link SftpBatch}). What it reads is {@link SftpReads}'. Not part of the public API.
 */
final class SftpFiles {
  private static final int CHUNK = 32 * 1024;
  /** What a streamed write sends per request: 32 KiB, as OpenSSH's sftp does (its server takes 256 KiB messages at most). */
  private static final int STREAM_CHUNK = 32 * 1024;

  private SftpFiles() {}

  /**
   * See {@link Host#write}; pipelined through {@code batch} when the session allows (SFTP v3),
   * {@code exact} holding the modes an open of this server is known to create exactly.
   */
  public static void write(SftpClient sftp, SftpBatch batch, Set<Integer> exact, String path, byte[] data,
                           int permissions, boolean exclusive) throws IOException {
    if (SftpPipeline.supported(sftp)) {
      SftpPipeline.Write op = new SftpPipeline.Write(sftp, path, data, permissions, exclusive, exact);
      try {
        batch.run(op);
        return;
      } catch (SftpException e) {
        if (exclusive && !op.opened() && SftpReads.stat(sftp, path).type() != Host.Stat.Type.ABSENT) {
          throw new FileAlreadyExistsException(path);
        }
        throw e;
      }
    }
    try (CloseableHandle handle = openForWrite(sftp, path, permissions, exclusive)) {
      for (int off = 0; off < data.length; off += CHUNK) {
        sftp.write(handle, off, data, off, Math.min(CHUNK, data.length - off));
      }
    }
  }

  /**
   * See {@link Host#write(String, InputStream, int, boolean)}: the file opened (exclusively or
   * truncated), its mode set on the handle before any data, then the stream written a chunk at a
   * time at growing offsets, each write answered before the next (SFTP requests bounded by the
   * session's operation timeout).
   */
  public static void write(SftpClient sftp, String path, InputStream data, int permissions, boolean exclusive)
      throws IOException {
    try (CloseableHandle handle = openForWrite(sftp, path, permissions, exclusive)) {
      byte[] buf = new byte[STREAM_CHUNK];
      long off = 0;
      for (int n = data.readNBytes(buf, 0, buf.length); n > 0; n = data.readNBytes(buf, 0, buf.length)) {
        sftp.write(handle, off, buf, 0, n);
        off += n;
      }
    }
  }

  /**
   * As {@link #write(SftpClient, String, InputStream, int, boolean)}, exclusively, the file given
   * {@code uid} and {@code gid} ({@code -1}: as created) on its open handle before any data: an
   * {@code fsetstat}, which OpenSSH's {@code sftp-server} does with {@code fchown} on the descriptor it
   * opened ({@code process_fsetstat}), so no path is followed; then {@code permissions} again on the
   * handle (a {@code chown} clears setuid and setgid).
   *
   * @return how many bytes were written
   */
  public static long writeOwned(SftpClient sftp, String path, InputStream data, int permissions, int uid, int gid)
      throws IOException {
    try (CloseableHandle handle = openForWrite(sftp, path, permissions, true)) {
      if (uid >= 0 || gid >= 0) {
        sftp.setStat(handle, new Attributes().owner(uid, gid));
        if ((permissions & 07000) != 0) {
          sftp.setStat(handle, new Attributes().perms(permissions));
        }
      }
      byte[] buf = new byte[STREAM_CHUNK];
      long off = 0;
      for (int n = data.readNBytes(buf, 0, buf.length); n > 0; n = data.readNBytes(buf, 0, buf.length)) {
        sftp.write(handle, off, buf, 0, n);
        off += n;
      }
      return off;
    }
  }

  /**
   * Opens {@code path} for writing (exclusively, or created and truncated) and sets its mode on the
   * handle before any data; an exclusive open refused because the file exists is a
   * {@link FileAlreadyExistsException}.
   */
  private static CloseableHandle openForWrite(SftpClient sftp, String path, int permissions, boolean exclusive)
      throws IOException {
    EnumSet<OpenMode> modes = exclusive ? EnumSet.of(OpenMode.Write, OpenMode.Create, OpenMode.Exclusive)
        : EnumSet.of(OpenMode.Write, OpenMode.Create, OpenMode.Truncate);
    CloseableHandle handle;
    try {
      handle = sftp.open(path, modes);
    } catch (SftpException e) {
      if (exclusive && SftpReads.stat(sftp, path).type() != Host.Stat.Type.ABSENT) {
        throw new FileAlreadyExistsException(path);
      }
      throw e;
    }
    try {
      sftp.setStat(handle, new Attributes().perms(permissions));
    } catch (IOException | RuntimeException e) {
      try {
        handle.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return handle;
  }

  /**
   * See {@link Host#writeAndRename(String, String, byte[], int, boolean, String)} ({@code root} null:
   * nothing looked at): when the session pipelines (and offers {@code posix-rename@openssh.com} for a
   * replace), one operation of three stages through {@code batch}, the directories looked at in the
   * second, with the data; otherwise {@link #write}, an {@code lstat} of each, then {@link #rename}.
   */
  public static void writeAndRename(SftpClient sftp, SftpBatch batch, Set<Integer> exact, String tmp, String path,
                                    byte[] data, int permissions, boolean replace, String root) throws IOException {
    writeAndRename(sftp, batch, exact, null, tmp, path, data, permissions, -1, -1, replace, root);
  }

  /** True when a write and its rename go as one pipelined operation ({@link SftpPipeline.Write}). */
  public static boolean pipelinesRename(SftpClient sftp, boolean replace) {
    OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
    return SftpPipeline.supported(sftp) && (!replace || posix != null && posix.isSupported());
  }

  /**
   * As {@link #writeAndRename(SftpClient, SftpBatch, Set, String, String, byte[], int, boolean, String)},
   * {@code tmp} given {@code uid} and {@code gid} ({@code -1}: as created) on its open handle
   * ({@link SftpPipeline.Write#owning}); ids only where {@link #pipelinesRename} (else refused). With
   * {@code me} (not null) and a {@code root}, the folder {@code path} is in is judged with the look at the
   * directories ({@link SftpPipeline.Write#judging}; none for a file right in the root):
   * {@link SharedFolders.Shared} when someone else may write it, {@code tmp} left as written.
   */
  public static void writeAndRename(SftpClient sftp, SftpBatch batch, Set<Integer> exact,
      java.util.concurrent.atomic.AtomicInteger me, String tmp, String path, byte[] data, int permissions, int uid,
      int gid, boolean replace, String root) throws IOException {
    List<String> dirs = HostFiles.directories(root, path);
    if (!pipelinesRename(sftp, replace)) {
      if (uid >= 0 || gid >= 0) {
        throw new IllegalArgumentException("an owner is set in the write only where it pipelines");
      }
      write(sftp, batch, exact, tmp, data, permissions, true);
      for (int i = 0; i < dirs.size(); i++) {
        Host.Stat dir = SftpReads.stat(sftp, dirs.get(i));
        if (dir.type() != Host.Stat.Type.DIRECTORY) {
          throw new HostFiles.Swapped(dirs.get(i), dir.type());
        }
        String why = me != null && i == dirs.size() - 1 ? SharedFolders.why(dir, SharedFolders.OURS, -1) : null; // its mode alone
        if (why != null) {
          throw new SharedFolders.Shared(dirs.get(i), why);
        }
      }
      rename(sftp, batch, tmp, path, replace);
      return;
    }
    SftpPipeline.Write op = new SftpPipeline.Write(sftp, tmp, data, permissions, true, exact)
        .owning(uid, gid).checking(dirs).judging(me).thenRename(path, replace);
    try {
      batch.run(op);
    } catch (SftpException e) {
      if (!op.opened() && SftpReads.stat(sftp, tmp).type() != Host.Stat.Type.ABSENT) {
        throw new FileAlreadyExistsException(tmp);
      }
      if (op.written() && !replace && SftpReads.stat(sftp, path).type() != Host.Stat.Type.ABSENT) {
        throw new FileAlreadyExistsException(path);
      }
      throw e;
    }
  }

  /** True when {@code sftp} can pipeline (SFTP v3 over a raw client): then it needs a batch. */
  public static boolean pipelines(SftpClient sftp) {
    return SftpPipeline.supported(sftp);
  }

  /**
   * See {@link Host#append}: writes at the current end (the only writer is the caller); a new (empty)
   * file is made {@code 0600} before anything is written to it.
   */
  public static void append(SftpClient sftp, String path, byte[] data) throws IOException {
    HostFiles.regularOrAbsent(path, SftpReads.stat(sftp, path), "appended to"); // SFTP's open follows a symlink
    try (CloseableHandle handle = sftp.open(path, EnumSet.of(OpenMode.Write, OpenMode.Create, OpenMode.Append))) {
      Attributes now = sftp.stat(handle);
      long end = now.getSize();
      if (end == 0 && (now.getPermissions() & 077) != 0) {
        sftp.setStat(handle, new Attributes().perms(0600));
      }
      for (int off = 0; off < data.length; off += CHUNK) {
        sftp.write(handle, end + off, data, off, Math.min(CHUNK, data.length - off));
      }
    }
  }

  /** See {@link Host#rename}; a replace is pipelined through {@code batch} when the session allows. */
  public static void rename(SftpClient sftp, SftpBatch batch, String from, String to, boolean replace)
      throws IOException {
    if (!replace) {
      try {
        sftp.rename(from, to);
      } catch (SftpException e) {
        if (SftpReads.stat(sftp, to).type() != Host.Stat.Type.ABSENT) {
          throw new FileAlreadyExistsException(to);
        }
        throw e;
      }
      return;
    }
    OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
    if (posix != null && posix.isSupported() && SftpPipeline.supported(sftp)) {
      batch.run(new SftpPipeline.PosixRename(sftp, from, to));
    } else if (posix != null && posix.isSupported()) {
      posix.posixRename(from, to);
    } else {
      sftp.rename(from, to, SftpClient.CopyMode.Atomic, SftpClient.CopyMode.Overwrite);
    }
  }

  /** See {@link Host#delete}. */
  public static boolean delete(SftpClient sftp, String path) throws IOException {
    try {
      sftp.remove(path);
      return true;
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return false;
      }
      throw e;
    }
  }

  /** See {@link Host#deleteDirectory}: the server's {@code rmdir}, which refuses anything but an empty directory. */
  public static boolean deleteDirectory(SftpClient sftp, String path) throws IOException {
    try {
      sftp.rmdir(path);
      return true;
    } catch (SftpException e) {
      return false; // not empty, not a directory, absent or refused: nothing was deleted
    }
  }

  /** See {@link Host#mkdirs}. */
  public static void mkdirs(SftpClient sftp, String path) throws IOException {
    Host.Stat.Type type = SftpReads.stat(sftp, path).type();
    if (type == Host.Stat.Type.DIRECTORY) {
      return;
    }
    if (type != Host.Stat.Type.ABSENT) {
      throw new IOException("not a directory: " + path);
    }
    int slash = path.lastIndexOf('/');
    if (slash > 0) {
      mkdirs(sftp, path.substring(0, slash));
    }
    try {
      sftp.mkdir(path);
    } catch (SftpException e) {
      if (SftpReads.stat(sftp, path).type() != Host.Stat.Type.DIRECTORY) {
        throw e;
      }
    }
  }

  /**
   * See {@link Host#mkdir}: one {@code mkdir} request carrying the mode (SFTP v3 over a raw client),
   * else a {@code mkdir} then a {@code setstat}.
   */
  public static void mkdir(SftpClient sftp, String path, int permissions) throws IOException {
    if (!(sftp instanceof RawSftpClient raw) || sftp.getVersion() != SftpConstants.SFTP_V3) {
      sftp.mkdir(path);
      sftp.setStat(path, new Attributes().perms(permissions));
      return;
    }
    Buffer b = new ByteArrayBuffer(path.length() * 3 + 32, false);
    b.putString(path, sftp.getNameDecodingCharset());
    b.putInt(SftpConstants.SSH_FILEXFER_ATTR_PERMISSIONS);
    b.putInt(permissions);
    SftpResponse response = SftpResponse.parse(SftpConstants.SSH_FXP_MKDIR,
        raw.receive(raw.send(SftpConstants.SSH_FXP_MKDIR, b)));
    if (response.getType() != SftpConstants.SSH_FXP_STATUS) {
      throw new IOException("unexpected SFTP answer " + response.getType() + " to mkdir " + path);
    }
    SftpStatus status = SftpStatus.parse(response);
    if (!status.isOk()) {
      throw new SftpException(status.getStatusCode(), status.getMessage());
    }
  }

  /** Sets numeric owner and group, of a symlink itself, never of what it leads to; {@code -1} keeps the current one. */
  public static void chown(SftpClient sftp, String path, int uid, int gid) throws IOException {
    if (uid >= 0 && gid >= 0) { // both known: no lstat first
      setStatHere(sftp, path, uid, gid, -1, "set the owner of");
      return;
    }
    Attributes now = sftp.lstat(path);
    setStatHere(sftp, path, uid < 0 ? now.getUserId() : uid, gid < 0 ? now.getGroupId() : gid, -1, "set the owner of");
  }

  /** See {@link Host#chmod}: never through a symlink. */
  public static void chmod(SftpClient sftp, String path, int permissions) throws IOException {
    setStatHere(sftp, path, -1, -1, permissions & 07777, "set the mode of");
  }

  private static final String LSETSTAT = "lsetstat@openssh.com";

  /**
   * Sets owner and group (when {@code uid} is not negative) and permission bits (when {@code perms}
   * is not negative) of {@code path} itself: SFTP's {@code setstat} follows a symlink, so a file
   * swapped for a link to a file outside the root would give that file the owner or mode. Through
   * {@code lsetstat@openssh.com} where the server has it (OpenSSH since 8.0, MINA SSHD), which never
   * follows; elsewhere {@code setstat} once an {@code lstat} found no symlink there.
   */
  private static void setStatHere(SftpClient sftp, String path, int uid, int gid, int perms, String what)
      throws IOException {
    if (sftp instanceof RawSftpClient raw && sftp.getVersion() == SftpConstants.SFTP_V3
        && sftp.getServerExtensions().containsKey(LSETSTAT)) {
      Buffer b = new ByteArrayBuffer(path.length() * 3 + 64, false);
      b.putString(LSETSTAT);
      b.putString(path, sftp.getNameDecodingCharset());
      b.putInt((uid >= 0 ? SftpConstants.SSH_FILEXFER_ATTR_UIDGID : 0)
          | (perms >= 0 ? SftpConstants.SSH_FILEXFER_ATTR_PERMISSIONS : 0));
      if (uid >= 0) {
        b.putInt(uid);
        b.putInt(gid);
      }
      if (perms >= 0) {
        b.putInt(perms);
      }
      SftpStatus status = SftpStatus.parse(SftpResponse.parse(SftpConstants.SSH_FXP_EXTENDED,
          raw.receive(raw.send(SftpConstants.SSH_FXP_EXTENDED, b))));
      if (!status.isOk()) {
        refuseSymlink(sftp, path, what); // the server refuses a link's mode: say so
        throw new SftpException(status.getStatusCode(), status.getMessage());
      }
      return;
    }
    refuseSymlink(sftp, path, what);
    Attributes attrs = new Attributes();
    if (uid >= 0) {
      attrs.owner(uid, gid);
    }
    sftp.setStat(path, perms >= 0 ? attrs.perms(perms) : attrs);
  }

  /** Throws {@link HostFiles#symlink} when a symlink is at {@code path} (an {@code lstat}). */
  private static void refuseSymlink(SftpClient sftp, String path, String what) throws IOException {
    if (SftpReads.stat(sftp, path).type() == Host.Stat.Type.SYMLINK) {
      throw HostFiles.symlink(path, what);
    }
  }
}

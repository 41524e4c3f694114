package dev.gitops.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * What an {@code SshHost} reads over one SFTP client: what is at a path ({@code lstat}), a file's bytes,
 * the entries of a directory. Never changes anything; the writes are {@link SftpFiles}'. Not part of the
 * public API.
 */
final class SftpReads {
  private SftpReads() {}

  /** See {@link Host#files}: a directory read, whose attributes OpenSSH takes with {@code lstat}. */
  public static List<String> files(SftpClient sftp, String dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (CloseableHandle handle = sftp.openDir(dir)) {
      for (List<SftpClient.DirEntry> batch = sftp.readDir(handle); batch != null; batch = sftp.readDir(handle)) {
        for (SftpClient.DirEntry e : batch) {
          if (e.getAttributes().isRegularFile()) {
            out.add(e.getFilename());
          }
        }
      }
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return List.of();
      }
      throw e;
    }
    return out;
  }

  /** See {@link Host#entries}: a directory read, whose attributes OpenSSH takes with {@code lstat}. */
  public static Map<String, Host.Stat.Type> entries(SftpClient sftp, String dir) throws IOException {
    Map<String, Host.Stat.Type> out = new HashMap<>();
    try (CloseableHandle handle = sftp.openDir(dir)) {
      for (List<SftpClient.DirEntry> batch = sftp.readDir(handle); batch != null; batch = sftp.readDir(handle)) {
        for (SftpClient.DirEntry e : batch) {
          SftpClient.Attributes a = e.getAttributes();
          boolean name = !e.getFilename().equals(".") && !e.getFilename().equals("..");
          if (name && (a.isRegularFile() || a.isDirectory())) {
            out.put(e.getFilename(), a.isDirectory() ? Host.Stat.Type.DIRECTORY : Host.Stat.Type.FILE);
          }
        }
      }
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return Map.of();
      }
      throw e;
    }
    return out;
  }

  /** See {@link Host#read}. */
  public static byte[] read(SftpClient sftp, String path) throws IOException {
    return read(sftp, path, Integer.MAX_VALUE);
  }

  /**
   * See {@link Host#read}, at most {@code max} bytes: memory grows with what arrives, up to that,
   * whatever the file's length, and the rest is never asked for.
   */
  public static byte[] read(SftpClient sftp, String path, int max) throws IOException {
    Host.Stat stat = stat(sftp, path);
    HostFiles.regularOrAbsent(path, stat, "read");
    if (stat.type() == Host.Stat.Type.ABSENT) {
      return null;
    }
    try (InputStream in = sftp.read(path)) {
      return in.readNBytes(max);
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return null;
      }
      throw e;
    }
  }

  /** See {@link Host#stat}. */
  public static Host.Stat stat(SftpClient sftp, String path) throws IOException {
    Attributes a;
    try {
      a = sftp.lstat(path);
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return Host.Stat.ABSENT;
      }
      throw e;
    }
    Host.Stat.Type type = a.isSymbolicLink() ? Host.Stat.Type.SYMLINK
        : a.isDirectory() ? Host.Stat.Type.DIRECTORY
        : a.isRegularFile() ? Host.Stat.Type.FILE : Host.Stat.Type.OTHER;
    return new Host.Stat(type, a.getPermissions() & 07777,
        a.getModifyTime() == null ? null : a.getModifyTime().toInstant(),
        type == Host.Stat.Type.FILE ? a.getSize() : -1,
        a.getFlags().contains(SftpClient.Attribute.UidGid) ? a.getUserId() : -1,
        a.getFlags().contains(SftpClient.Attribute.UidGid) ? a.getGroupId() : -1);
  }
}

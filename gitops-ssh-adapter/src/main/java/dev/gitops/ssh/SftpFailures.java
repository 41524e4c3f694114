package dev.gitops.ssh;

import java.io.IOException;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatExtensionInfo;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Says where and why an SFTP write failed. SFTP v3 names the cause of few failures: OpenSSH's server
 * maps a full disk ({@code ENOSPC}), a read-only file system ({@code EROFS}) and a quota alike to
 * {@code SSH_FX_FAILURE}, {@code "Failure"}, and names no path. So a write that fails so is followed by
 * one {@code statvfs@openssh.com} request for the file's directory (when the server offers it), which
 * tells a read-only file system, one without free space or without free inodes. Not part of the public API.
 */
final class SftpFailures {

  /** An SFTP write operation. */
  interface Write {
    void run() throws IOException;
  }

  private SftpFailures() {}

  /**
   * Runs {@code write} of {@code bytes} bytes to {@code path}; an {@link SftpException} it throws is
   * thrown again naming {@code path} (same status, cause kept) and, for {@code SSH_FX_FAILURE}, the
   * cause {@code statvfs@openssh.com} tells.
   */
  static void explained(SftpClient sftp, String path, long bytes, Write write) throws IOException {
    try {
      write.run();
    } catch (SftpException e) {
      String why = e.getStatus() == SftpConstants.SSH_FX_FAILURE ? cause(sftp, path, bytes) : "";
      SftpException named = new SftpException(e.getStatus(), path + ": " + e.getMessage() + why);
      named.initCause(e);
      throw named;
    }
  }

  /** What {@code statvfs@openssh.com} says of the file system of {@code path}'s directory, or that nothing does. */
  private static String cause(SftpClient sftp, String path, long bytes) {
    OpenSSHStatPathExtension statvfs = sftp.getExtension(OpenSSHStatPathExtension.class);
    if (statvfs == null || !statvfs.isSupported()) {
      return " (SFTP v3 names no cause, and the server has no statvfs@openssh.com: a full disk, a read-only"
          + " file system, a quota or a directory the server may not change, for instance)";
    }
    OpenSSHStatExtensionInfo fs;
    try {
      int slash = path.lastIndexOf('/');
      fs = statvfs.stat(slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash));
    } catch (IOException | RuntimeException e) {
      return " (SFTP v3 names no cause; statvfs@openssh.com failed too: " + e.getMessage() + ")";
    }
    long free = fs.f_bavail * (fs.f_frsize > 0 ? fs.f_frsize : fs.f_bsize);
    if ((fs.f_flag & OpenSSHStatExtensionInfo.SSH_FXE_STATVFS_ST_RDONLY) != 0) {
      return ": Read-only file system (its file system is mounted read-only, says statvfs@openssh.com)";
    }
    if (free < bytes + (64 << 10)) {
      return ": No space left on device (" + free + " bytes free on its file system for " + bytes
          + " to write, says statvfs@openssh.com)";
    }
    if (fs.f_files > 0 && fs.f_favail == 0) {
      return ": No space left on device (no free inode on its file system, says statvfs@openssh.com)";
    }
    return " (SFTP v3 names no cause; its file system is writable with " + free + " bytes free, says"
        + " statvfs@openssh.com: a quota or a directory the server may not change, for instance)";
  }
}

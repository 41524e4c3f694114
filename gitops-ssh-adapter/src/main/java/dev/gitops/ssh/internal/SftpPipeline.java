package dev.gitops.ssh.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.impl.SftpResponse;
import org.apache.sshd.sftp.client.impl.SftpStatus;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Pipelined requests on an SFTP v3 session: after the open, the mode, the data and the close of a
 * file are sent together and their answers awaited together (the server handles one session's
 * requests in order), so a small file costs two round trips instead of four. Not part of the
 * public API.
 */
final class SftpPipeline {
  private static final int CHUNK = 32 * 1024;

  private SftpPipeline() {}

  /** True when {@code sftp} can pipeline and speaks v3 (whose attribute encoding we write). */
  static boolean supported(SftpClient sftp) {
    return sftp instanceof RawSftpClient && sftp.getVersion() == SftpConstants.SFTP_V3;
  }

  /** Sets the permissions, writes {@code data} and closes {@code handle}, pipelined. */
  static void fill(SftpClient sftp, SftpClient.Handle handle, byte[] data, int permissions) throws IOException {
    RawSftpClient raw = (RawSftpClient) sftp;
    byte[] id = handle.getIdentifier();
    List<int[]> sent = new ArrayList<>();
    Buffer attrs = new ByteArrayBuffer(id.length + 16, false);
    attrs.putBytes(id);
    attrs.putInt(SftpConstants.SSH_FILEXFER_ATTR_PERMISSIONS);
    attrs.putInt(permissions);
    sent.add(new int[] {SftpConstants.SSH_FXP_FSETSTAT, raw.send(SftpConstants.SSH_FXP_FSETSTAT, attrs)});
    for (int off = 0; off < data.length; off += CHUNK) {
      int len = Math.min(CHUNK, data.length - off);
      Buffer write = new ByteArrayBuffer(id.length + len + 32, false);
      write.putBytes(id);
      write.putLong(off);
      write.putBytes(data, off, len);
      sent.add(new int[] {SftpConstants.SSH_FXP_WRITE, raw.send(SftpConstants.SSH_FXP_WRITE, write)});
    }
    Buffer close = new ByteArrayBuffer(id.length + 8, false);
    close.putBytes(id);
    sent.add(new int[] {SftpConstants.SSH_FXP_CLOSE, raw.send(SftpConstants.SSH_FXP_CLOSE, close)});
    IOException first = null;
    for (int[] request : sent) {
      try {
        SftpResponse response = SftpResponse.parse(request[0], raw.receive(request[1]));
        if (response.getType() != SftpConstants.SSH_FXP_STATUS) {
          throw new IOException("unexpected SFTP answer " + response.getType() + " to " + request[0]);
        }
        SftpStatus status = SftpStatus.parse(response);
        if (!status.isOk()) {
          throw new SftpException(status.getStatusCode(), status.getMessage());
        }
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}

package dev.gitops.ssh;

import java.io.IOException;

/**
 * A host whose disk is full: a write creates its file (an inode is still free) and then fails with
 * {@code No space left on device}, as write(2) does; everything else goes to the host it wraps.
 */
final class FullDiskHost extends ForwardingHost {

  FullDiskHost(Host host) {
    super(host);
  }

  private IOException full(String path, boolean exclusive) throws IOException {
    host.write(path, new byte[0], 0600, exclusive);
    return new IOException(path + ": No space left on device");
  }

  @Override public void write(String path, byte[] data, int permissions, boolean exclusive) throws IOException {
    throw full(path, exclusive);
  }

  @Override public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
      throws IOException {
    throw full(tmp, true);
  }

  @Override public void append(String path, byte[] data) throws IOException {
    throw new IOException(path + ": No space left on device");
  }
}

package dev.gitops.ssh;

import java.io.IOException;
import java.util.List;

/**
 * A host whose disk is full: a write creates its file (an inode is still free) and then fails with
 * {@code No space left on device}, as write(2) does; everything else goes to the host it wraps.
 */
final class FullDiskHost implements Host {
  private final Host host;

  FullDiskHost(Host host) {
    this.host = host;
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

  @Override public Result exec(List<String> command, byte[] stdin) throws IOException { return host.exec(command, stdin); }
  @Override public Channel start(List<String> command) throws IOException { return host.start(command); }
  @Override public void chown(String path, String owner, String group) throws IOException { host.chown(path, owner, group); }
  @Override public void rename(String from, String to, boolean replace) throws IOException { host.rename(from, to, replace); }
  @Override public boolean delete(String path) throws IOException { return host.delete(path); }
  @Override public boolean deleteDirectory(String path) throws IOException { return host.deleteDirectory(path); }
  @Override public List<String> files(String dir) throws IOException { return host.files(dir); }
  @Override public void mkdir(String path, int permissions) throws IOException { host.mkdir(path, permissions); }
  @Override public void mkdirs(String path) throws IOException { host.mkdirs(path); }
  @Override public byte[] read(String path) throws IOException { return host.read(path); }
  @Override public Stat stat(String path) throws IOException { return host.stat(path); }
  @Override public String describe() { return host.describe(); }
  @Override public void close() { }
}

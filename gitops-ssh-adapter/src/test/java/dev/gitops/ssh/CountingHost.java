package dev.gitops.ssh;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A host that counts the commands and file operations passed to another. */
final class CountingHost implements Host {
  private final Host host;
  private final AtomicInteger execs = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger fileOps = new AtomicInteger();

  CountingHost(Host host) {
    this.host = host;
  }

  int execs() {
    return execs.get();
  }

  /** Requests sent to started (long-running) commands. */
  int requests() {
    return requests.get();
  }

  int fileOps() {
    return fileOps.get();
  }

  @Override public Result exec(List<String> command, byte[] stdin) throws IOException {
    execs.incrementAndGet();
    return host.exec(command, stdin);
  }

  @Override public Result exec(List<String> command, byte[] stdin, java.time.Duration timeout) throws IOException {
    execs.incrementAndGet();
    return host.exec(command, stdin, timeout);
  }

  @Override public Channel start(List<String> command) throws IOException {
    execs.incrementAndGet();
    Channel channel = host.start(command);
    java.io.OutputStream counted = new java.io.FilterOutputStream(channel.stdin()) {
      @Override public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override public void flush() throws IOException {
        requests.incrementAndGet();
        out.flush();
      }
    };
    return new Channel() {
      @Override public java.io.OutputStream stdin() { return counted; }
      @Override public java.io.InputStream stdout() { return channel.stdout(); }
      @Override public boolean isOpen() { return channel.isOpen(); }
      @Override public void close() { channel.close(); }
    };
  }

  @Override public void write(String path, byte[] data, int permissions, boolean exclusive) throws IOException {
    fileOps.incrementAndGet();
    host.write(path, data, permissions, exclusive);
  }

  @Override public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
      throws IOException {
    fileOps.addAndGet(2); // a write and a rename
    host.writeAndRename(tmp, path, data, permissions, replace);
  }

  @Override public void append(String path, byte[] data) throws IOException {
    fileOps.incrementAndGet();
    host.append(path, data);
  }

  @Override public void chown(String path, String owner, String group) throws IOException {
    fileOps.incrementAndGet();
    host.chown(path, owner, group);
  }

  @Override public void chmod(String path, int permissions) throws IOException {
    fileOps.incrementAndGet();
    host.chmod(path, permissions);
  }

  @Override public void rename(String from, String to, boolean replace) throws IOException {
    fileOps.incrementAndGet();
    host.rename(from, to, replace);
  }

  @Override public boolean delete(String path) throws IOException {
    fileOps.incrementAndGet();
    return host.delete(path);
  }

  @Override public boolean deleteDirectory(String path) throws IOException {
    fileOps.incrementAndGet();
    return host.deleteDirectory(path);
  }

  @Override public List<String> files(String dir) throws IOException {
    fileOps.incrementAndGet();
    return host.files(dir);
  }

  @Override public void mkdir(String path, int permissions) throws IOException {
    fileOps.incrementAndGet();
    host.mkdir(path, permissions);
  }

  @Override public void mkdirs(String path) throws IOException {
    fileOps.incrementAndGet();
    host.mkdirs(path);
  }

  @Override public byte[] read(String path) throws IOException {
    fileOps.incrementAndGet();
    return host.read(path);
  }

  @Override public Stat stat(String path) throws IOException {
    fileOps.incrementAndGet();
    return host.stat(path);
  }

  @Override public HostLimits limits() { return host.limits(); }

  @Override public String describe() {
    return host.describe();
  }

  @Override public void close() {
    // the wrapped host is closed by its owner
  }
}

package dev.gitops.benchmarks.hosts;

import dev.gitops.ssh.Host;
import dev.gitops.ssh.HostLimits;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A host that counts the commands and file operations (SFTP requests) passed to another. */
final class Counting implements Host {
  private final Host host;
  private final AtomicInteger execs = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger ops = new AtomicInteger();

  Counting(Host host) {
    this.host = host;
  }

  HostsBenchmark.Counts counts() {
    return new HostsBenchmark.Counts(execs.get(), requests.get(), ops.get());
  }

  void reset() {
    execs.set(0);
    requests.set(0);
    ops.set(0);
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
    ops.addAndGet(3); // open with the mode, write, close (+ fstat and fsetstat until that mode is known exact)
    host.write(path, data, permissions, exclusive);
  }

  @Override public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
      throws IOException {
    ops.addAndGet(4); // open with the mode, write, close, rename (+ fstat, fsetstat until the mode is known exact)
    host.writeAndRename(tmp, path, data, permissions, replace);
  }

  @Override public void append(String path, byte[] data) throws IOException {
    ops.addAndGet(4); // open, fstat, write, close
    host.append(path, data);
  }

  @Override public void chown(String path, String owner, String group) throws IOException {
    ops.addAndGet(2);
    host.chown(path, owner, group);
  }

  @Override public void chmod(String path, int permissions) throws IOException {
    ops.incrementAndGet();
    host.chmod(path, permissions);
  }

  @Override public void rename(String from, String to, boolean replace) throws IOException {
    ops.incrementAndGet();
    host.rename(from, to, replace);
  }

  @Override public boolean delete(String path) throws IOException {
    ops.incrementAndGet();
    return host.delete(path);
  }

  @Override public boolean deleteDirectory(String path) throws IOException {
    ops.incrementAndGet();
    return host.deleteDirectory(path);
  }

  @Override public List<String> files(String dir) throws IOException {
    ops.incrementAndGet();
    return host.files(dir);
  }

  @Override public void mkdir(String path, int permissions) throws IOException {
    ops.incrementAndGet();
    host.mkdir(path, permissions);
  }

  @Override public void mkdirs(String path) throws IOException {
    ops.incrementAndGet();
    host.mkdirs(path);
  }

  @Override public byte[] read(String path) throws IOException {
    ops.addAndGet(3); // open, read, close
    return host.read(path);
  }

  @Override public Stat stat(String path) throws IOException {
    ops.incrementAndGet();
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

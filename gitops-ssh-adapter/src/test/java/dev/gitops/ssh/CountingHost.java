package dev.gitops.ssh;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A host that counts what is passed to another: commands started, requests sent to started
 * (long-running) commands, and each file operation by its method name. Test support, shipped in
 * this module's test jar: the adapter's tests count round trips with it, the benchmarks weigh the
 * counts into SFTP requests. Thread-safe.
 */
public final class CountingHost extends ForwardingHost {
  private final Map<String, Integer> calls = new TreeMap<>();

  /** Counts what is passed to {@code host}, which its owner closes. */
  public CountingHost(Host host) {
    super(host);
  }

  private synchronized void count(String method) {
    calls.merge(method, 1, Integer::sum);
  }

  /** {@return how often {@code method} (an {@link Host} method name, or "request") was called} */
  public synchronized int calls(String method) {
    return calls.getOrDefault(method, 0);
  }

  /** {@return commands run or started} */
  public synchronized int execs() {
    return calls("exec") + calls("start");
  }

  /** {@return requests sent to started (long-running) commands: flushes of their stdin} */
  public int requests() {
    return calls("request");
  }

  /** {@return file operations: every call but exec, start and the requests} */
  public synchronized int fileOps() {
    return calls.values().stream().mapToInt(Integer::intValue).sum() - execs() - requests();
  }

  /** Forgets every count. */
  public synchronized void reset() {
    calls.clear();
  }

  @Override public Result exec(List<String> command, byte[] stdin) throws IOException {
    count("exec");
    return super.exec(command, stdin);
  }

  @Override public Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
    count("exec");
    return super.exec(command, stdin, timeout);
  }

  @Override public Channel start(List<String> command) throws IOException {
    count("start");
    Channel channel = host.start(command);
    OutputStream counted = new FilterOutputStream(channel.stdin()) {
      @Override public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override public void flush() throws IOException {
        count("request");
        out.flush();
      }
    };
    return new Channel() {
      @Override public OutputStream stdin() { return counted; }
      @Override public InputStream stdout() { return channel.stdout(); }
      @Override public boolean isOpen() { return channel.isOpen(); }
      @Override public void close() { channel.close(); }
    };
  }

  @Override public void write(String path, byte[] data, int permissions, boolean exclusive) throws IOException {
    count("write");
    super.write(path, data, permissions, exclusive);
  }

  /** Counted as one "write", like the whole-content write. */
  @Override public void write(String path, InputStream data, int permissions, boolean exclusive) throws IOException {
    count("write");
    super.write(path, data, permissions, exclusive);
  }

  @Override public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
      throws IOException {
    count("writeAndRename");
    super.writeAndRename(tmp, path, data, permissions, replace);
  }

  @Override public void append(String path, byte[] data) throws IOException { count("append"); super.append(path, data); }
  @Override public void chown(String path, String owner, String group) throws IOException {
    count("chown");
    super.chown(path, owner, group);
  }
  @Override public void chmod(String path, int permissions) throws IOException { count("chmod"); super.chmod(path, permissions); }
  @Override public void rename(String from, String to, boolean replace) throws IOException {
    count("rename");
    super.rename(from, to, replace);
  }
  @Override public boolean delete(String path) throws IOException { count("delete"); return super.delete(path); }
  @Override public boolean deleteDirectory(String path) throws IOException {
    count("deleteDirectory");
    return super.deleteDirectory(path);
  }
  @Override public List<String> files(String dir) throws IOException { count("files"); return super.files(dir); }
  @Override public void mkdir(String path, int permissions) throws IOException { count("mkdir"); super.mkdir(path, permissions); }
  @Override public void mkdirs(String path) throws IOException { count("mkdirs"); super.mkdirs(path); }
  @Override public byte[] read(String path) throws IOException { count("read"); return super.read(path); }
  @Override public Stat stat(String path) throws IOException { count("stat"); return super.stat(path); }
}

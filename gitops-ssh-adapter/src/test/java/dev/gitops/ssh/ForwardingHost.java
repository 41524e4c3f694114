package dev.gitops.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A host that passes every call to another: the base of the tests' hosts that count calls or
 * inject faults (override what you change; everything else keeps the wrapped host's own way).
 */
public abstract class ForwardingHost implements Host {
  protected final Host host;

  protected ForwardingHost(Host host) {
    this.host = host;
  }

  @Override public Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
    return host.exec(command, stdin, timeout);
  }
  @Override public Result exec(List<String> command, byte[] stdin) throws IOException { return host.exec(command, stdin); }
  @Override public Result execKeepingTail(List<String> command, byte[] stdin, Duration timeout, int keep) throws IOException {
    return host.execKeepingTail(command, stdin, timeout, keep);
  }
  @Override public Channel start(List<String> command) throws IOException { return host.start(command); }
  @Override public void write(String path, byte[] data, int permissions, boolean exclusive) throws IOException {
    host.write(path, data, permissions, exclusive);
  }
  @Override public void write(String path, java.io.InputStream data, int permissions, boolean exclusive) throws IOException {
    host.write(path, data, permissions, exclusive);
  }
  @Override public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
      throws IOException {
    host.writeAndRename(tmp, path, data, permissions, replace);
  }
  /**
   * Through this host's own {@link #writeAndRename(String, String, byte[], int, boolean)}, so that a
   * subclass that changes that sees tree files too; the directories are then not looked at again
   * (a subclass that forwards both, as {@link Tamper}, keeps the look).
   */
  @Override public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace,
      String root) throws IOException {
    writeAndRename(tmp, path, data, permissions, replace);
  }
  /**
   * The wrapped host's way through this host's own calls, so that a subclass sees them: one call a step
   * ({@link #write}, {@link #chown}, {@link #chmod}, {@link #stat}, {@link #rename}) where the wrapped
   * host reaches its files its own way ({@link #takesSteps}), else {@link Host}'s one script through
   * this host's {@link #exec}.
   */
  @Override public void writeAndRename(String tmp, String path, byte[] data, dev.gitops.model.FileMode mode,
      boolean replace, String root) throws IOException {
    if (takesSteps(host)) {
      HostFiles.writeChownRename(this, tmp, path, data, mode, replace, root);
    } else {
      ShellFiles.writeAndRename(this, tmp, path, data, mode, replace, root);
    }
  }

  /**
   * True when {@code host} overrides {@link Host}'s one-script write of a file with an owner
   * ({@link LocalHost}, {@link SshHost}): a wrapper then takes it one call a step, where a neighbour
   * can act between them; false for a host that only runs commands ({@link SystemSshHost}, a BusyBox host).
   */
  static boolean takesSteps(Host host) {
    Host inner = host;
    while (inner instanceof ForwardingHost f) {
      inner = f.host;
    }
    try {
      return inner.getClass().getMethod("writeAndRename", String.class, String.class, byte[].class,
          dev.gitops.model.FileMode.class, boolean.class, String.class).getDeclaringClass() != FileOperations.class;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }
  /** As the other {@code writeAndRename} with a {@link dev.gitops.model.FileMode}: steps through this host, or {@code Host}'s streamed default. */
  @Override public void writeAndRename(String tmp, String path, java.io.InputStream data, long size,
      dev.gitops.model.FileMode mode, boolean replace, String root) throws IOException {
    if (takesSteps(host)) {
      HostFiles.streamChownRename(this, tmp, path, data, mode, replace, root);
    } else {
      PrivateScripts.stream(this, tmp, path, data, size, mode, replace, root);
    }
  }
  @Override public void append(String path, byte[] data) throws IOException { host.append(path, data); }
  @Override public void chown(String path, String owner, String group) throws IOException { host.chown(path, owner, group); }
  @Override public void rename(String from, String to, boolean replace) throws IOException { host.rename(from, to, replace); }
  @Override public void chmod(String path, int permissions) throws IOException { host.chmod(path, permissions); }
  @Override public boolean delete(String path) throws IOException { return host.delete(path); }
  @Override public boolean deleteDirectory(String path) throws IOException { return host.deleteDirectory(path); }
  @Override public List<String> files(String dir) throws IOException { return host.files(dir); }
  @Override public java.util.Map<String, Stat.Type> entries(String dir) throws IOException { return host.entries(dir); }
  @Override public void mkdir(String path, int permissions) throws IOException { host.mkdir(path, permissions); }
  @Override public void mkdirs(String path) throws IOException { host.mkdirs(path); }
  @Override public byte[] read(String path) throws IOException { return host.read(path); }
  @Override public Stat stat(String path) throws IOException { return host.stat(path); }
  @Override public HostLimits limits() { return host.limits(); }

  @Override public String describe() { return host.describe(); }
  @Override public java.time.Duration timeout() { return host.timeout(); }
  /** The wrapped host is closed by its owner. */
  @Override public void close() { }

  @Override public void trust(String root, java.util.List<String> folders) {
    host.trust(root, folders);
  }

  @Override public void forget(String root) {
    host.forget(root);
  }
}

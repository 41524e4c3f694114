package dev.gitops.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A host with a hostile neighbour who acts once, at the worst moment: right before the first call
 * of {@code operation} whose path matches, the tree is changed (a directory swapped for a symlink, a
 * temporary file for a link to a file outside), then the call goes on as the wrapped host does it.
 * This is the race of a process that changes the tree between a target's look and its write, made
 * to happen every time.
 */
final class Tamper extends ForwardingHost {
  /** What the neighbour does to the tree, given the path of the call it acts before. */
  interface Act {
    void run(String path) throws IOException;
  }

  private final String operation;
  private final Predicate<String> path;
  private final Act act;
  private final AtomicBoolean done = new AtomicBoolean();

  /**
   * @param host the host
   * @param operation {@code write}, {@code writeAndRename}, {@code chmod}, {@code chown},
   *     {@code rename}, {@code delete}, {@code deleteDirectory}, {@code append}, {@code files} (and
   *     {@code entries})
   * @param path which path (the first argument) of that call
   * @param act what is done to the tree, once
   */
  Tamper(Host host, String operation, Predicate<String> path, Act act) {
    super(host);
    this.operation = operation;
    this.path = path;
    this.act = act;
  }

  /** True once the neighbour acted. */
  boolean acted() {
    return done.get();
  }

  private void at(String op, String p) {
    if (op.equals(operation) && path.test(p) && done.compareAndSet(false, true)) {
      try {
        act.run(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override public void write(String p, byte[] data, int permissions, boolean exclusive) throws IOException {
    at("write", p);
    host.write(p, data, permissions, exclusive);
  }

  @Override public void write(String p, java.io.InputStream data, int permissions, boolean exclusive)
      throws IOException {
    at("write", p);
    host.write(p, data, permissions, exclusive);
  }

  @Override public void writeAndRename(String tmp, String p, byte[] data, int permissions, boolean replace)
      throws IOException {
    at("writeAndRename", p);
    host.writeAndRename(tmp, p, data, permissions, replace);
  }

  @Override public void writeAndRename(String tmp, String p, byte[] data, int permissions, boolean replace, String root)
      throws IOException {
    at("writeAndRename", p);
    host.writeAndRename(tmp, p, data, permissions, replace, root);
  }

  @Override public void append(String p, byte[] data) throws IOException {
    at("append", p);
    host.append(p, data);
  }

  @Override public void chown(String p, String owner, String group) throws IOException {
    at("chown", p);
    host.chown(p, owner, group);
  }

  @Override public void chmod(String p, int permissions) throws IOException {
    at("chmod", p);
    host.chmod(p, permissions);
  }

  @Override public void rename(String from, String to, boolean replace) throws IOException {
    at("rename", from);
    host.rename(from, to, replace);
  }

  @Override public boolean delete(String p) throws IOException {
    at("delete", p);
    return host.delete(p);
  }

  @Override public boolean deleteDirectory(String p) throws IOException {
    at("deleteDirectory", p);
    return host.deleteDirectory(p);
  }

  @Override public List<String> files(String dir) throws IOException {
    at("files", dir);
    return host.files(dir);
  }

  @Override public java.util.Map<String, Stat.Type> entries(String dir) throws IOException {
    at("files", dir);
    return host.entries(dir);
  }
}

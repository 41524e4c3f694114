package dev.gitops.ssh;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what is passed to a host through {@link #host()}: commands run or started, requests sent to
 * started (long-running) commands and the bytes they answer, and each file operation by its
 * {@link Host} method name. Test
 * support, shipped in this module's test jar: the adapter's tests count round trips with it, the
 * benchmarks weigh the counts into SFTP requests. Thread-safe.
 */
public final class CountingHost {
  private static final Set<String> UNCOUNTED = Set.of("limits", "describe", "timeout", "trust", "forget"); // no I/O
  private final Map<String, Integer> calls = new TreeMap<>();
  private final AtomicLong answered = new AtomicLong();
  private final Host host;

  /** Counts what is passed to {@code host}, which its owner closes. */
  public CountingHost(Host host) {
    this.host = (Host) Proxy.newProxyInstance(Host.class.getClassLoader(), new Class<?>[] {Host.class},
        (proxy, method, args) -> forward(host, method, args));
  }

  /** {@return the host that counts and forwards every call; its close() leaves the wrapped host open} */
  public Host host() {
    return host;
  }

  private Object forward(Host target, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (name.equals("close")) {
      return null;
    }
    if ((method.getDeclaringClass() == Host.class || method.getDeclaringClass() == FileOperations.class)
        && !UNCOUNTED.contains(name)) {
      count(name);
      if (name.equals("writeAndRename") && args.length == 6 && args[5] != null) {
        for (int i = HostFiles.directories((String) args[5], (String) args[1]).size(); i > 0; i--) {
          count("look"); // each directory looked at again before the rename: one lstat request over SFTP
        }
        if (args[3] instanceof dev.gitops.model.FileMode mode && !(mode.owner() + mode.group()).isEmpty()) {
          count("owner"); // the owner and group set with the write: one fsetstat request over SFTP
        }
      }
    }
    try {
      Object result = method.invoke(target, args);
      return name.equals("start") ? counted((Host.Channel) result) : result;
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private synchronized void count(String method) {
    calls.merge(method, 1, Integer::sum);
  }

  /**
   * {@return how often {@code method} (an {@link Host} method name, or "request") was called; "look":
   * the directories a write under a root looked at again before its rename; "owner": the writes that
   * set an owner or group with the data}
   */
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

  /** {@return file operations: every call but exec, start and the requests, and each "look"} */
  public synchronized int fileOps() {
    return calls.values().stream().mapToInt(Integer::intValue).sum() - execs() - requests();
  }

  /** {@return bytes read from the standard output of started commands} */
  public long answered() {
    return answered.get();
  }

  /** Forgets every count. */
  public synchronized void reset() {
    calls.clear();
    answered.set(0);
  }

  private Host.Channel counted(Host.Channel channel) {
    OutputStream stdin = new FilterOutputStream(channel.stdin()) {
      @Override public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override public void flush() throws IOException {
        count("request");
        out.flush();
      }
    };
    InputStream stdout = new FilterInputStream(channel.stdout()) {
      @Override public int read() throws IOException {
        int b = in.read();
        answered.addAndGet(b < 0 ? 0 : 1);
        return b;
      }

      @Override public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        answered.addAndGet(Math.max(n, 0));
        return n;
      }
    };
    return new Host.Channel() {
      @Override public OutputStream stdin() { return stdin; }
      @Override public InputStream stdout() { return stdout; }
      @Override public boolean isOpen() { return channel.isOpen(); }
      @Override public void close() { channel.close(); }
    };
  }
}

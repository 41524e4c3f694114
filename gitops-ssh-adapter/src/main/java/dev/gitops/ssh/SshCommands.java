package dev.gitops.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;

/**
 * The commands of an {@code SshHost}: one exec channel per command on the shared connection, its
 * command line {@link Shell#LINE} whatever the command, the command itself the first line of its
 * standard input ({@link Shell#header}), and owner and group names resolved to ids once per name.
 * Thread-safe; not part of the public API.
 */
final class SshCommands {
  private final SshConnection connection;
  private final Duration connectTimeout;
  private final String describe;
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();

  /**
   * @param connection the host's connection
   * @param connectTimeout how long a channel open may take
   * @param describe the host's description, for messages
   */
  public SshCommands(SshConnection connection, Duration connectTimeout, String describe) {
    this.connection = connection;
    this.connectTimeout = connectTimeout;
    this.describe = describe;
  }

  /**
   * See {@code SshHost.exec}: the channel is closed when {@code timeout} runs out; of each output
   * stream the last {@code keep} bytes are kept ({@link Integer#MAX_VALUE}: all).
   */
  public Host.Result exec(List<String> command, byte[] stdin, Duration timeout, int keep) throws IOException {
    ByteArrayOutputStream out = new Tail(keep);
    ByteArrayOutputStream err = new Tail(keep);
    byte[] header = Shell.header(command);
    ChannelExec opened;
    try {
      opened = open(out, err);
    } catch (IOException | IllegalStateException e) { // IllegalState: the session is closing
      connection.reconnect(); // the command never started: opening it again on a new connection is safe
      opened = open(out, err);
    }
    try (ChannelExec channel = opened) {
      // the timeout covers sending the input too: a peer that reads it slowly (its window opening a
      // little now and then) held the write, and the command with it, past any timeout
      CompletableFuture<Void> clock = new CompletableFuture<>();
      clock.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((v, e) -> {
        if (e != null) {
          channel.close(true);
        }
      });
      IOException unsent = null;
      try (OutputStream in = channel.getInvertedIn()) {
        in.write(header);
        in.write(stdin);
      } catch (IOException e) {
        // the channel closed: the command ended before it read all its input (a script that failed
        // early, a ForceCommand that ignores the command), which its status and output tell, as with
        // OpenSSH's ssh; or the connection was lost, which the missing status tells
        unsent = e;
      }
      Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
      if (!clock.complete(null) || !events.contains(ClientChannelEvent.CLOSED)) {
        throw new Host.CommandTimeoutException(describe + ": command " + command.get(0) + " did not end within "
            + timeout);
      }
      Integer status = channel.getExitStatus();
      if (status != null) {
        return new Host.Result(status, out.toByteArray(), err.toByteArray());
      }
      String signal = channel.getExitSignal();
      if (signal != null) { // killed by a signal: no status, as a local shell reports 128 + n
        err.writeBytes(("\n" + command.get(0) + " was killed by signal " + signal).getBytes(StandardCharsets.UTF_8));
        return new Host.Result(-1, out.toByteArray(), err.toByteArray());
      }
      IOException lost = new IOException(describe + ": the connection ended before " + command.get(0)
          + " reported how it ended");
      if (unsent != null) {
        lost.addSuppressed(unsent);
      }
      throw lost;
    }
  }

  /** See {@code SshHost.start}. */
  public Host.Channel start(List<String> command) throws IOException {
    byte[] header = Shell.header(command);
    ChannelExec channel;
    try {
      channel = open(null, OutputStream.nullOutputStream());
    } catch (IOException | IllegalStateException e) { // IllegalState: the session is closing
      connection.reconnect(); // nothing started: try once more on a new connection
      channel = open(null, OutputStream.nullOutputStream());
    }
    ChannelExec opened = channel;
    OutputStream in = opened.getInvertedIn();
    InputStream out = opened.getInvertedOut();
    try {
      in.write(header);
      in.flush();
    } catch (IOException e) {
      opened.close(true);
      throw e;
    }
    return new Host.Channel() {
      @Override public OutputStream stdin() { return in; }
      @Override public InputStream stdout() { return out; }
      @Override public boolean isOpen() { return opened.isOpen() && !opened.isClosing(); }
      @Override public void close() { opened.close(true); }
    };
  }

  /** An exec channel of {@link Shell#LINE}, its output to {@code out} (null: read from the channel) and {@code err}. */
  private ChannelExec open(OutputStream out, OutputStream err) throws IOException {
    ChannelExec channel = connection.session().createExecChannel(Shell.LINE);
    try {
      if (out != null) {
        channel.setOut(out);
      }
      channel.setErr(err);
      channel.open().verify(connectTimeout);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close(true);
      throw e;
    }
  }

  /**
   * The numeric id of a user ({@code kind} {@code "u"}, through {@code id -u}) or group
   * ({@code "g"}, through {@code getent group}), asked once per name.
   */
  public int id(String kind, String name, Duration timeout) throws IOException {
    if (name.matches("\\d{1,9}")) { // a number is an id already, as chown takes it: nothing to ask
      return Integer.parseInt(name);
    }
    Integer known = ids.get(kind + ":" + name);
    if (known != null) {
      return known;
    }
    // the mark first: a login shell's banner ahead of the id is named, never read as the id
    String script = ShellFiles.PRINT_MARK
        + (kind.equals("u") ? "id -u -- \"$1\"" : "getent group -- \"$1\" | cut -d: -f3");
    Host.Result r = exec(List.of("sh", "-c", script, "gitops-id", name), new byte[0], timeout, Integer.MAX_VALUE);
    byte[] out = r.stdout().length == 0 ? r.stdout() : ShellFiles.marked(r.stdout(), "gitops-id");
    // the first line only: a ForceCommand wrapper may print after the command
    String text = new String(out, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
    if (!r.succeeded() || !text.matches("\\d+")) {
      throw new IOException("no such " + (kind.equals("u") ? "user" : "group") + " on " + describe + ": " + name);
    }
    int id = Integer.parseInt(text);
    ids.put(kind + ":" + name, id);
    return id;
  }

  /** A buffer that keeps the last {@code keep} bytes written to it, dropping what came first. */
  static final class Tail extends ByteArrayOutputStream {
    private final int keep;

    Tail(int keep) {
      this.keep = keep;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      if (len >= keep) {
        reset();
        super.write(b, off + len - keep, keep);
        return;
      }
      super.write(b, off, len);
      if (count > 2L * keep) { // what came first is dropped in one move per keep bytes written
        System.arraycopy(buf, count - keep, buf, 0, keep);
        count = keep;
      }
    }

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized byte[] toByteArray() {
      return count <= keep ? super.toByteArray() : Arrays.copyOfRange(buf, count - keep, count);
    }
  }
}

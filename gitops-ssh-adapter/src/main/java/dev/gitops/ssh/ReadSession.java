package dev.gitops.ssh;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Reads a root through one long-running reader per target: the read script started once in serve
 * mode, then one request and one answer per read, so a long-running agent pays the remote command
 * start-up once. When the reader cannot be started or breaks, the read falls back to one command and
 * the reader is started again on the next read. Thread-safe; not part of the public API.
 */
final class ReadSession implements AutoCloseable {
  private final Host host;
  private final String root;
  /** How long one answer may take before the reader is presumed stuck and replaced. */
  private static final long ANSWER_TIMEOUT_SECONDS = 120;
  private Host.Channel channel;
  private InputStream answers;
  /** Closed and not read since: a read-ahead that comes late starts nothing (it would outlive the close). */
  private boolean closed;

  /**
   * @param host the host
   * @param root the root directory
   */
  public ReadSession(Host host, String root) {
    this.host = host;
    this.root = root;
  }

  /** Reads {@code paths} (see {@link TreeRead}). */
  public TreeRead.Listing read(Set<String> paths) throws IOException {
    return read(paths, Set.of());
  }

  /**
   * Reads {@code paths}, those of them in {@code digested} by digest ({@link HostDigests}): their
   * entries are absent from the listing and their stat and SHA-256 in its digests. When the reader
   * cannot answer, one command reads every path with its bytes (no digests).
   */
  public TreeRead.Listing read(Set<String> paths, Set<String> digested) throws IOException {
    return read(paths, digested, false, entries -> { });
  }

  /**
   * As {@link #read(Set, Set)}; {@code archived} is given the archive's entries as soon as they are
   * read, before the digest section the host computes beside them (so that work on them, such as
   * parsing the inventories, overlaps the host's digests). Not called when the read falls back to one
   * command. With {@code ids}, the digest section reports owners and groups as numbers, not names
   * ({@link HostDigests.Stat}).
   */
  public synchronized TreeRead.Listing read(Set<String> paths, Set<String> digested, boolean ids,
                                            Consumer<Map<String, Tar.Entry>> archived)
      throws IOException {
    closed = false; // a read after close reopens, as a closed host does
    Set<String> whole = new TreeSet<>(paths);
    whole.removeAll(digested);
    try {
      return ask(TreeRead.stdin(whole, digested), HostDigests.stdin(digested), ids, archived);
    } catch (IOException e) {
      endChannel();
      Host.Result result = host.exec(TreeRead.command(root), TreeRead.stdin(paths));
      if (!result.succeeded()) {
        throw new IOException("read script exited with " + result.exitCode() + ": "
            + new String(result.stderr(), StandardCharsets.UTF_8).strip());
      }
      return TreeRead.parse(result.stdout());
    }
  }

  /**
   * Starts the reader now when it is not running (connecting first when the host must), so that the
   * next read finds it ready; a failure is left for that read, which starts it again and reports.
   */
  public synchronized void start() {
    if (closed) {
      return; // the read-ahead thread lost the race with close()
    }
    try {
      started();
    } catch (IOException | RuntimeException e) {
      endChannel();
    }
  }

  private void started() throws IOException {
    if (channel == null || !channel.isOpen()) {
      endChannel();
      channel = host.start(TreeRead.serve(root));
      answers = new BufferedInputStream(channel.stdout(), 64 * 1024);
    }
  }

  private TreeRead.Listing ask(byte[] request, byte[] digests, boolean ids,
                               Consumer<Map<String, Tar.Entry>> archived)
      throws IOException {
    started();
    Host.Channel current = channel;
    AtomicBoolean answered = new AtomicBoolean();
    CompletableFuture.runAsync(() -> {
      if (!answered.get()) {
        current.close(); // unblocks the read below, which then falls back to one command
      }
    }, CompletableFuture.delayedExecutor(ANSWER_TIMEOUT_SECONDS,
        TimeUnit.SECONDS));
    try {
      return answer(request, digests, ids, archived);
    } finally {
      answered.set(true);
    }
  }

  private TreeRead.Listing answer(byte[] request, byte[] digests, boolean ids,
                                  Consumer<Map<String, Tar.Entry>> archived)
      throws IOException {
    OutputStream out = channel.stdin();
    out.write((request.length + " " + digests.length + (ids ? " ids" : "") + "\n").getBytes(StandardCharsets.US_ASCII));
    out.write(digests); // first: the host starts digesting while the rest arrives
    out.write(request);
    out.flush();
    TreeRead.Listing listing = TreeRead.read(answers); // large files digested as they stream by
    if (digests.length > 0) {
      archived.accept(listing.entries());
      listing = new TreeRead.Listing(listing.rootExists(), listing.entries(), HostDigests.read(answers));
    }
    String end = TreeRead.line(answers);
    if (!end.equals("gitops-end 0")) {
      throw new IOException("reader answered '" + end + "'");
    }
    return listing;
  }

  /** Ends the reader; a read-ahead that has not started yet then starts nothing. */
  @Override
  public synchronized void close() {
    closed = true;
    endChannel();
  }

  private void endChannel() {
    if (channel != null) {
      channel.close();
      channel = null;
      answers = null;
    }
  }
}

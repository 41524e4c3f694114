package dev.gitops.ssh;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
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
  private Host.Channel channel;
  private InputStream answers;
  /** True once the running reader's greeting (its user id) was read off its output. */
  private boolean greeted;
  /** The user id the reader runs as on the host ({@code id -u}), {@code -1} until a reader said. */
  private volatile int uid = -1;
  /** True once {@link #uid()} asked the host, so that a host without {@code id} is asked once. */
  private boolean uidAsked;
  /** The user's groups once asked ({@link #groups()}), null before. */
  private List<Integer> groups;
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
    } catch (BoundedReads.Exceeded e) {
      endChannel();
      throw BoundedReads.tooLarge(host, TargetPaths.join(root, e.path), e.limit);
    } catch (IOException e) {
      endChannel();
      try {
        return once(paths);
      } catch (BoundedReads.Exceeded again) {
        throw BoundedReads.tooLarge(host, TargetPaths.join(root, again.path), again.limit);
      }
    }
  }

  /** One read by one command, without the long-running reader. */
  private TreeRead.Listing once(Set<String> paths) throws IOException {
    Host.Result result = host.exec(TreeRead.command(root), TreeRead.stdin(paths));
    if (!result.succeeded()) {
      String said = new String(result.stderr(), StandardCharsets.UTF_8).strip();
      if (!TreeRead.ran(result.stdout())) {
        throw TreeRead.didNotRun(result.stdout(), result.exitCode(), said);
      }
      throw new IOException("read script exited with " + result.exitCode() + ": " + said);
    }
    return said(TreeRead.parse(result.stdout()));
  }

  private TreeRead.Listing said(TreeRead.Listing listing) {
    if (listing.uid() >= 0) {
      uid = listing.uid();
    }
    return listing;
  }

  /**
   * The user id that the host's commands run as ({@code id -u}), which owns what this target creates:
   * known after any read; else taken from the reader's greeting (starting it, which the next read
   * uses), or from a read of nothing when the host keeps no command running.
   *
   * @return the id, {@code -1} when the host did not say
   */
  public synchronized int uid() throws IOException {
    if (uid < 0 && !uidAsked) {
      uidAsked = true;
      try {
        if (closed) {
          throw new IOException("closed: no reader is started for this");
        }
        started();
        guarded(() -> {
          greet();
          return null;
        });
      } catch (IOException e) {
        endChannel();
        once(Set.of());
      }
    }
    return uid;
  }

  /**
   * The group ids of the user the host's commands run as ({@code id -G}: the primary group first),
   * asked of the host once, when first wanted (a write as a user who is not root that replaces a file
   * of another group).
   *
   * @return the ids; empty when the host did not say
   */
  public synchronized List<Integer> groups() {
    if (groups == null) {
      groups = List.of();
      try {
        Host.Result r = host.exec(List.of("sh", "-c", ShellFiles.PRINT_MARK + "id -G"), new byte[0]);
        String line = new String(ShellFiles.marked(r.stdout(), "gitops-groups"), StandardCharsets.US_ASCII)
            .lines().findFirst().orElse("").strip();
        if (r.succeeded() && line.matches("\\d{1,9}( \\d{1,9})*")) {
          groups = Arrays.stream(line.split(" ")).map(Integer::valueOf).toList();
        }
      } catch (IOException e) {
        // unknown: no group is kept, none said lost
      }
    }
    return groups;
  }

  /** {@return the user id a read or the reader's greeting told, {@code -1} when none did yet; no I/O} */
  public int knownUid() {
    return uid;
  }

  private void greet() throws IOException {
    if (!greeted) {
      String line = TreeRead.line(answers);
      if (!line.startsWith(TreeRead.GREETING)) {
        throw TreeRead.unexpected(line);
      }
      greeted = true;
      int said = TreeRead.uid(line, TreeRead.GREETING);
      if (said >= 0) {
        uid = said;
      }
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
      greeted = false;
    }
  }

  private TreeRead.Listing ask(byte[] request, byte[] digests, boolean ids,
                               Consumer<Map<String, Tar.Entry>> archived)
      throws IOException {
    started();
    return said(guarded(() -> answer(request, digests, ids, archived)));
  }

  /** An exchange with the running reader: when it takes longer than the host's timeout, the reader is closed, which ends it. */
  private <T> T guarded(Exchange<T> exchange) throws IOException {
    Host.Channel current = channel;
    AtomicBoolean answered = new AtomicBoolean();
    CompletableFuture.runAsync(() -> {
      if (!answered.get()) {
        current.close(); // unblocks the read below, which then falls back to one command
      }
    }, CompletableFuture.delayedExecutor(host.timeout().toNanos(), TimeUnit.NANOSECONDS));
    try {
      return exchange.run();
    } finally {
      answered.set(true);
    }
  }

  private interface Exchange<T> {
    T run() throws IOException;
  }

  private TreeRead.Listing answer(byte[] request, byte[] digests, boolean ids,
                                  Consumer<Map<String, Tar.Entry>> archived)
      throws IOException {
    OutputStream out = channel.stdin();
    out.write((request.length + " " + digests.length + (ids ? " ids" : "") + "\n").getBytes(StandardCharsets.US_ASCII));
    out.write(digests); // first: the host starts digesting while the rest arrives
    out.write(request);
    out.flush();
    greet(); // printed before any answer; read after the request is sent, so that it costs no round trip
    TreeRead.Listing listing = TreeRead.read(answers); // large files digested as they stream by
    if (digests.length > 0) {
      archived.accept(listing.entries());
      listing = new TreeRead.Listing(listing.rootExists(), listing.entries(), HostDigests.read(answers), listing.uid());
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

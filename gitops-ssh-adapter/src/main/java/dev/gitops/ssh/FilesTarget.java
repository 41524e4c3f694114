package dev.gitops.ssh;

import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.DeployHistory;
import dev.gitops.target.Lockable;
import dev.gitops.target.Scope;
import dev.gitops.target.Target;
import dev.gitops.target.TargetException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The files under one root directory of a {@link Host}, converged as {@link ResourceId#file file}
 * resources: the embedded default over {@link LocalHost}, or a remote host over {@link SshHost}.
 *
 * <ul>
 *   <li><b>Read</b> in one round trip: a fixed script (paths on its standard input, NUL-separated,
 *       never in a shell line) returns, as a GNU tar stream, type, mode, owner and bytes of every
 *       path asked for and owned, and every inventory ({@code <root>/.gitops/<owner>.inventory} plus
 *       its journal). The script is started once per connection and kept running (one request per
 *       read), so a long-running agent pays the remote command start-up once; {@link #close()} ends
 *       it. The first read of a target that has never seen the owner's inventory takes a second
 *       request when the inventory lists paths not asked for. The stream is parsed as it comes: a
 *       file over {@link dev.gitops.model.Content.Bytes#LARGE} bytes is digested (SHA-256) as its bytes
 *       pass, never held, and reads as content known by size and digest. Needs {@code sh}, {@code tar},
 *       {@code head} and {@code mktemp} on the host.
 *   <li><b>Write</b> atomically: upload to a temporary name in the same directory (a large file
 *       streamed, its size and SHA-256 checked at its end), set the mode (and
 *       owner and group when desired), rename over the target. Readers see the old or the new file.
 *       The temporary files a crash left ({@code .gitops-<24 hex>.tmp}, whose name proves this owner
 *       made them; through {@code Host}'s shell, a folder of that name holding the file) are deleted
 *       before the first write or delete into their directory after each read.
 *   <li><b>Check</b> just before each update, adopt or delete that the file is still what the plan
 *       was made against (bytes, mode, and owner and group where this owner manages them), else
 *       fail the step with a {@link dev.gitops.target.StaleResourceException}; a create finds nothing
 *       there or fails the same way.
 *   <li><b>Own</b> by inventory: a path's first write is recorded as an intent before the write, its
 *       result after; prune ({@code delete}) refuses paths the owner's inventory does not list.
 *       The directories a delete leaves empty are deleted too, innermost first, up to but not
 *       including the root: only empty ones (the host's {@code rmdir} decides), never through a
 *       symlink, whoever created them.
 *   <li><b>Stay inside</b>: never writes or deletes through a symlinked directory found on the host
 *       (refused with a {@link TargetException} naming it); paths are checked to be relative, free of
 *       {@code ..} and clear of {@code .gitops} in any case. The directories on the way are looked
 *       at just before each write, delete and {@code rmdir}, never taken from the plan's read; a
 *       temporary file's owner and mode are never set through a symlink put in its place (see the
 *       README's "What stays inside the root"). A folder on the way that someone other than the
 *       connecting user and root may write (the root included, for the state folder's files too) is
 *       refused, unless trusted ({@link Options#withTrustedFolders}).
 *   <li><b>Handlers</b> ({@code run} steps) run {@code sh -c COMMAND} with the root as working
 *       directory; a non-zero exit fails the step with the output in the message; the output of a
 *       successful run is the step's {@code Outcome.Applied.detail()} (and logged at info). Output is
 *       bounded to its last 4,096 characters, and no more than its end is ever held in memory, whatever
 *       it prints. A handler runs at most {@link Options#handlerTimeout()}
 *       (five minutes by default), under the host's GNU {@code timeout}: its whole process group is
 *       then ended and the step fails, never retried (no second copy while a first may still run).
 * </ul>
 *
 * <p>Each write costs a few round trips of latency (three over SFTP v3, one more per directory on
 * the way), so applies gain from a high {@code ApplyOptions.parallelism()} (the benchmark uses 32).
 *
 * <p>Also {@link Lockable} ({@code <root>/.gitops/lock}) and {@link DeployHistory}
 * ({@code <root>/.gitops/history.json}). The state folder {@code <root>/.gitops} is checked like
 * any target path: created {@code 0700} when absent, looked at again before every use, and every
 * use refused with a non-retryable {@link TargetException} when it is a symlink or not a directory, so
 * nothing is ever read or written outside the root through it, or when others could write it or its
 * files; its files are replaced by rename, the journal appended to only once this target created it.
 * Where names ignore case or Unicode normalisation, desired files that would be one are refused (see the
 * README). Thread-safe (the applier may apply steps in parallel).
 * Results of writes are appended to the inventory journal in batches; {@link #flush()} (called by
 * {@link #read}, when a lock is released and by {@link #close()}) writes the rest. I/O failures
 * surface as retryable {@link TargetException}s.
 */
public final class FilesTarget implements Target, Lockable, DeployHistory, AutoCloseable {
  private final Host host;
  private final String root;
  /** This run's look at the root and the folders above it, forgotten at each read, lock and flush. */
  private final RootVerdict verdict;
  private final ReadSession reader;
  private final StateDir state;
  private final Ledgers ledgers;
  private final FilesReader reads;
  private final FilesWriter writes;
  private final FilesLock locks;

  private FilesTarget(Host host, String root, Options options) {
    this.host = Objects.requireNonNull(host, "host");
    Objects.requireNonNull(root, "root");
    if (!root.startsWith("/") || root.contains("\0")) {
      throw new IllegalArgumentException("root must be an absolute path: " + root);
    }
    this.root = root.length() > 1 && root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    Objects.requireNonNull(options, "options");
    this.reader = new ReadSession(host, this.root);
    host.trust(this.root, options.trustedFolders()); // a host that judges folders itself skips trusted ones
    this.verdict = new RootVerdict(host, this.root, describe(), reader::uid, options.trustedFolders());
    RootState dirs = new RootState(verdict);
    this.state = new StateDir(host, this.root, describe(), reader, verdict);
    CaseClashes cases = new CaseClashes(state::ignores, describe());
    Leftovers leftovers = new Leftovers();
    this.ledgers = new Ledgers(host, state, describe());
    this.reads = new FilesReader(host, this.root, describe(), reader, ledgers, state, verdict, dirs, cases, leftovers);
    this.writes = new FilesWriter(host, this.root, describe(), options.handlerTimeout(), ledgers, cases,
        new Steps(host, this.root, dirs, reader, leftovers, cases));
    this.locks = new FilesLock(host, state, describe(), options.clock(), verdict, ledgers);
  }

  /**
   * The files under {@code root} on {@code host}, with {@link Options#defaults()}.
   *
   * @param host the machine; this target does not close it
   * @param root absolute directory on the host, e.g. {@code /srv/app}; resources are named by their
   *     path under it
   * @return the target; nothing is read or written until it is used
   * @throws IllegalArgumentException when {@code root} is not an absolute path
   */
  public static FilesTarget of(Host host, String root) {
    return new FilesTarget(host, root, Options.defaults());
  }

  /**
   * As {@link #of(Host, String)}, with a clock for lock and history times.
   *
   * @param host the machine; this target does not close it
   * @param root absolute directory on the host
   * @param clock the clock that stamps locks and deploy history entries
   * @return the target
   */
  public static FilesTarget of(Host host, String root, Clock clock) {
    return new FilesTarget(host, root, Options.defaults().withClock(clock));
  }

  /**
   * As {@link #of(Host, String)}, with {@code options}.
   *
   * @param host the machine; this target does not close it
   * @param root absolute directory on the host
   * @param options clock and handler timeout
   * @return the target
   */
  public static FilesTarget of(Host host, String root, Options options) {
    return new FilesTarget(host, root, options);
  }

  /**
   * Options of a files target.
   *
   * @param clock the time locks and the deploy history record
   * @param handlerTimeout how long a handler may run; the host then ends its whole process group
   *     ({@code TERM}, then {@code KILL} after a tenth of it, 1 to 10 seconds) and the step fails,
   *     not retried
   * @param trustedFolders absolute folders on the host whose writers are trusted: a folder at or under
   *     one of them is written and deleted under even when someone other than the connecting user and
   *     root may write it (see {@link #withTrustedFolders}); empty by default
   */
  public record Options(Clock clock, Duration handlerTimeout, List<String> trustedFolders) {
    /**
     * Validates: a positive handler timeout, absolute trusted folders without {@code .} or {@code ..}
     * segments (a trailing slash dropped); copies the list.
     *
     * @param clock the time locks and the deploy history record; not null
     * @param handlerTimeout how long a handler may run; positive
     * @param trustedFolders absolute folders whose writers are trusted; not null, may be empty
     */
    public Options {
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(handlerTimeout, "handlerTimeout");
      if (handlerTimeout.isNegative() || handlerTimeout.isZero()) {
        throw new IllegalArgumentException("handlerTimeout must be positive: " + handlerTimeout);
      }
      trustedFolders = trustedFolders.stream().map(Options::folder).toList();
    }

    /**
     * The options of earlier releases: no folder trusted.
     *
     * @param clock the time locks and the deploy history record; not null
     * @param handlerTimeout how long a handler may run; positive
     */
    public Options(Clock clock, Duration handlerTimeout) {
      this(clock, handlerTimeout, List.of());
    }

    private static String folder(String path) {
      Objects.requireNonNull(path, "trusted folder");
      String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      if (!p.startsWith("/") || p.contains("\0") || p.contains("//") || ("/" + p + "/").contains("/./")
          || ("/" + p + "/").contains("/../")) {
        throw new IllegalArgumentException("a trusted folder must be an absolute path without . or .. segments: "
            + dev.gitops.model.ResourceId.escape(path));
      }
      return p;
    }

    /** {@return the system clock (UTC), a five-minute handler timeout, no folder trusted} */
    public static Options defaults() {
      return new Options(Clock.systemUTC(), Duration.ofMinutes(5));
    }

    /**
     * These options with {@code folders} trusted. Off by default: every write and delete is refused
     * under a folder that someone other than the connecting user and root may write (a folder of
     * another owner, or writable by group or others, not sticky), the target's root included, and so
     * is every write of the lock, inventories and history in {@code <root>/.gitops} when the root is one:
     * such a writer can swap a directory on the way for a symlink between gitops's look and the write,
     * and the file lands where the link leads, outside the root. So is every write and delete when a
     * folder above the root, up to {@code /}, is one (as OpenSSH's {@code StrictModes} judges the path to
     * a key), or a symlink: its writer could rename the root away and put another in its place. The root
     * and the folders above are judged at the first write or delete of each run (a run ends at each read,
     * lock taken or released, and {@link FilesTarget#flush}). A folder at or under one of
     * {@code folders} is not refused: a group-writable tree or one made under {@code umask 002}, a root
     * owned by the web server's user ({@code /var/www}, deployed to as root). <b>The risk is the
     * user's:</b> every user who may write such a folder (its owner, each member of its group, anyone
     * for {@code o+w}) can then make gitops write, replace or delete files outside the root, with the
     * rights of the user gitops connects as. Trust only folders whose writers may do that anyway. A trusted
     * folder at or above the root also ends the judging of the folders above. Over SFTP a file of a trusted
     * folder is written and renamed into place over SFTP ({@link Host#trust}), not through {@code Host}'s
     * private-folder script as a file of a shared folder is; the state folder's own checks ({@code .gitops}
     * and its files this user's, {@code go-w}) stay.
     *
     * @param folders absolute folders on the host; replaces those trusted before; empty trusts none
     * @return a copy with the trusted folders replaced
     * @throws IllegalArgumentException when a folder is not absolute or has {@code .} or {@code ..} segments
     */
    public Options withTrustedFolders(List<String> folders) {
      return new Options(clock, handlerTimeout, folders);
    }

    /**
     * These options with another clock.
     *
     * @param value the clock for lock and history times; not null
     * @return a copy with the clock replaced
     */
    public Options withClock(Clock value) {
      return new Options(value, handlerTimeout, trustedFolders);
    }

    /**
     * These options with another handler timeout.
     *
     * @param value how long a handler may run; positive
     * @return a copy with the handler timeout replaced
     */
    public Options withHandlerTimeout(Duration value) {
      return new Options(clock, value, trustedFolders);
    }
  }

  /**
   * A directory on this machine: {@code of(LocalHost.create(), root)}.
   *
   * @param root the directory, made absolute and normalised
   * @return the target
   */
  public static FilesTarget local(Path root) {
    return of(LocalHost.create(), root.toAbsolutePath().normalize().toString());
  }

  /** {@return the host the files live on} */
  public Host host() {
    return host;
  }

  /** {@return the root directory on the host, absolute, without trailing slash} */
  public String root() {
    return root;
  }

  /**
   * Starts, in the background, what the first {@link #read} needs from the host: the connection and
   * the remote reader (over SSH: key exchange, authentication and the remote shell's start-up), and
   * returns at once. A caller that has other work first, such as reading Git, overlaps the two: the
   * command line calls it as soon as it knows the target. Optional; a failure here is not reported
   * (the read starts the reader again and reports its own).
   */
  public void prepareRead() {
    Thread ahead = new Thread(reader::start, "gitops-read-ahead " + describe());
    ahead.setDaemon(true);
    ahead.start();
  }

  @Override
  public ActualState read(Scope scope) {
    return read(scope, Map.<String, Content.Bytes>of());
  }

  /**
   * As {@link #read(Scope)}; from 64 KiB of desired files on, the host compares them by SHA-256
   * first ({@link HostDigests}: GNU {@code stat}, {@code find}, {@code xargs}, {@code sha256sum})
   * and only the files that differ are transferred. The same result as {@link #read(Scope)}.
   */
  @Override
  public ActualState read(Scope scope, DesiredState desired) {
    return read(scope, HostDigests.expected(desired));
  }

  private ActualState read(Scope scope, Map<String, Content.Bytes> expected) {
    String owner = TargetPaths.owner(scope.owner());
    flush();
    return reads.read(owner, scope, expected);
  }

  @Override
  public void apply(Action action, String owner) {
    applyWithDetail(action, owner);
  }

  /**
   * As {@link #apply}; for a {@code run} step, returns the handler's output (standard output then
   * standard error, the last 4,096 characters, with a note first when more was cut); for a write
   * that could not keep the owner of the file it replaced, saying so; else {@code ""}.
   */
  @Override
  public String applyWithDetail(Action action, String owner) {
    return writes.apply(action, owner);
  }

  /**
   * Writes pending inventory results to the host. Ends a run: the next write or delete judges the root and
   * the folders above it anew (see {@link Options#withTrustedFolders}).
   *
   * @throws TargetException when the journal cannot be written
   */
  public void flush() {
    try {
      ledgers.flush();
    } finally {
      verdict.forget();
    }
  }

  /**
   * Takes {@code <root>/.gitops/lock} (see {@link Lockable}): written whole and atomically with
   * holder, machine, process id and time; taken over when its holder is provably gone (same machine,
   * process ended), older than {@code staleAfter} (on the host's clock), or unreadable and older than
   * a minute, or taken by this target and not released (the release failed). Releasing it writes
   * pending results and folds each journal this target wrote to into its inventory file.
   *
   * @throws dev.gitops.target.LockedException naming the holder, its process and machine
   */
  @Override
  public Lock lock(String holder, Duration staleAfter) {
    return locks.take(holder, staleAfter, this::flush);
  }

  @Override
  public java.util.Optional<Holder> lockedBy() {
    return locks.holder();
  }

  /** Deletes {@code <root>/.gitops/lock} whoever holds it; returns who did. */
  @Override
  public java.util.Optional<Holder> forceUnlock() {
    return locks.forceUnlock();
  }

  @Override
  public void record(Deployment entry, int keep) {
    new HistoryFile(host, state, describe()).record(entry, keep);
  }

  @Override
  public List<Deployment> history() {
    return new HistoryFile(host, state, describe()).read();
  }

  @Override
  public String describe() {
    return host.describe() + root;
  }

  /** Flushes pending inventory results and ends the reader; does not close the host (its owner does). */
  @Override
  public void close() {
    try {
      flush();
    } finally {
      reader.close();
    }
  }

  @Override
  public String toString() {
    return "FilesTarget[" + describe() + "]";
  }
}

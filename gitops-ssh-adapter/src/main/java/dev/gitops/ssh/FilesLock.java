package dev.gitops.ssh;

import dev.gitops.target.Lockable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock half of a {@link FilesTarget}: {@code <root>/.gitops/lock} ({@link LockFile}) taken, asked
 * about and forced open. A take, a release and a forced unlock each end a run: the verdict on the root is
 * forgotten ({@link RootVerdict#forget}). A release first writes pending results (the target's flush)
 * and folds each journal into its inventory file. Thread-safe; not part of the public API.
 */
final class FilesLock {
  private final Host host;
  private final StateDir state;
  private final String target;
  private final Clock clock;
  private final RootVerdict verdict;
  private final Ledgers ledgers;
  /** Locks this target took and could not release (shared by every {@link LockFile} of the target). */
  private final Set<String> unreleased = ConcurrentHashMap.newKeySet();

  FilesLock(Host host, StateDir state, String target, Clock clock, RootVerdict verdict, Ledgers ledgers) {
    this.host = host;
    this.state = state;
    this.target = target;
    this.clock = clock;
    this.verdict = verdict;
    this.ledgers = ledgers;
  }

  /** See {@link FilesTarget#lock}; {@code flush} is the target's, run first when the lock is released. */
  Lockable.Lock take(String holder, Duration staleAfter, Runnable flush) {
    verdict.forget(); // a run starts: the root is judged anew, not by an earlier run's verdict
    Lockable.Lock held = file().take(holder, staleAfter);
    return new Lockable.Lock() {
      @Override public String holder() { return held.holder(); }
      @Override public Instant since() { return held.since(); }
      @Override public void close() {
        try {
          flush.run();
          ledgers.fold();
        } finally {
          held.close();
          verdict.forget();
        }
      }
    };
  }

  /** See {@link FilesTarget#lockedBy}. */
  Optional<Lockable.Holder> holder() {
    return file().holder();
  }

  /** See {@link FilesTarget#forceUnlock}. */
  Optional<Lockable.Holder> forceUnlock() {
    verdict.forget();
    return file().forceUnlock();
  }

  private LockFile file() {
    return new LockFile(host, state, target, clock, unreleased);
  }
}

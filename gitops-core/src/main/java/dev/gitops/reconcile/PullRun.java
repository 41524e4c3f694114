package dev.gitops.reconcile;

import dev.gitops.GitOpsException;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.internal.LoggedThrowable;
import dev.gitops.internal.Printable;
import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;
import dev.gitops.target.Lockable;
import dev.gitops.target.LockedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link PullAgent}: ask the source for its latest revision, decide whether to plan,
 * take the target's lock, plan, report drift, apply, and record the outcome in the agent's state —
 * returning the delay before the next run. The agent schedules runs and never starts two at once;
 * the state is guarded by the agent's monitor ({@link AgentLoop}'s, or a fleet's {@link FleetMember}'s),
 * as the agent's own methods guard it; every write of a run goes through {@link #record}.
 */
final class PullRun {
  private static final Logger LOG = LoggerFactory.getLogger(PullAgent.class);

  private final Object agent;
  private final Reconciler reconciler;
  private final AgentState state;
  private final AtomicBoolean cancel;
  private final Clock clock;
  private final Duration driftInterval;
  private final boolean selfHeal;
  private final Delays delays;
  private final String holder;
  private final Supplier<Revision> latest;
  private final Function<Revision, String> contentKey;
  private final boolean lockTarget;
  private java.util.concurrent.ExecutorService applyPool; // null: the apply options' own
  /**
   * Up once the run in progress passed its deadline ({@link RunDeadlines}): it stops as when
   * cancelled, and records nothing more. Cleared when the next run starts.
   */
  private volatile boolean expired;
  /** What the run does now, for a timeout's message: {@code source}, {@code lock}, {@code fetch}... */
  private volatile String phase = "starting";

  /**
   * A run that asks the reconciler's source for its latest revision, and takes a new revision id
   * for a change.
   *
   * @param agent the agent, whose monitor guards {@code state}
   * @param cancel up once the agent stops
   */
  PullRun(Object agent, Reconciler reconciler, AgentState state, AtomicBoolean cancel, Clock clock,
          Duration driftInterval, boolean selfHeal, Delays delays) {
    this(agent, reconciler, state, cancel, clock, driftInterval, selfHeal, delays,
        () -> reconciler.source().latest(), Revision::id, true);
  }

  /**
   * A run that gets its latest revision from {@code latest} (a {@link Fleet}'s shared poll), and
   * takes a revision for a change only when {@code contentKey} differs from the last applied one's;
   * {@code lockTarget} false plans and applies without the target's lock.
   */
  PullRun(Object agent, Reconciler reconciler, AgentState state, AtomicBoolean cancel, Clock clock,
          Duration driftInterval, boolean selfHeal, Delays delays, Supplier<Revision> latest,
          Function<Revision, String> contentKey, boolean lockTarget) {
    this.lockTarget = lockTarget;
    this.latest = latest;
    this.contentKey = contentKey;
    this.agent = agent;
    this.reconciler = reconciler;
    this.state = state;
    this.cancel = cancel;
    this.clock = clock;
    this.driftInterval = driftInterval;
    this.selfHeal = selfHeal;
    this.delays = delays;
    this.holder = "agent " + reconciler.name() + "@pid" + ProcessHandle.current().pid();
  }

  /**
   * This run applies the steps of a reconciler whose apply options bring no executor on
   * {@code pool} (a fleet's shared threads); set once, before the first run.
   */
  PullRun applyingOn(java.util.concurrent.ExecutorService pool) {
    this.applyPool = pool;
    return this;
  }

  /**
   * The run in progress passed its deadline: it stops as when cancelled, and from then on records
   * nothing in the state, so that returning late it never overwrites what was recorded since. Takes
   * the state's monitor: a result recorded before this stands.
   */
  void expire() {
    synchronized (agent) {
      expired = true;
    }
  }

  /**
   * Records that the next run waits for the run that passed its deadline {@code when} to return: the
   * driver's write, not the stuck run's (the one write this run's deadline does not refuse).
   */
  void waitingForLateRun(String when) {
    synchronized (agent) {
      state.waiting("PreviousRunInProgress", "the run that passed its deadline " + when
          + " has not returned; the next run starts once it does");
    }
  }

  /** A run starts, within its deadline. */
  void renew() {
    expired = false;
  }

  /** {@return true once the run in progress (or the last one) passed its deadline} */
  boolean expired() {
    return expired;
  }

  /** {@return what the run in progress does now: source, lock, fetch, load, read, plan, apply, report} */
  String phase() {
    return phase;
  }

  /**
   * Records that the run in progress passed its deadline: a failure with reason {@code RunTimedOut},
   * backed off as any failure. Called by {@link RunDeadlines}, after {@link #expire()}.
   *
   * @return the delay before the next run
   */
  Duration timedOut(String message) {
    LOG.warn("agent {}: {}", LogText.NONE.escape(reconciler.name()), LogText.NONE.escape(message));
    synchronized (agent) {
      Duration retryIn = delays.afterFailures(state.failures + 1);
      state.failed("RunTimedOut", message, retryIn);
      return retryIn;
    }
  }

  /**
   * Tells the listener that the run in progress passed its deadline: once per such run, on a worker,
   * never on the thread that times the deadlines. What the listener throws is logged and ignored.
   */
  void tellTimedOut(RunTimedOutException timedOut) {
    reconciler.listener().failed(timedOut);
  }

  /** True once the run must stop taking steps: the agent stops, or the run passed its deadline. */
  private boolean stopping() {
    return cancel.get() || expired;
  }

  /**
   * Writes to the state, holding the agent's monitor, unless this run passed its deadline: then the
   * timeout, and maybe newer news, stand. Every write of a run goes through here; each is one monitor
   * block of its own.
   *
   * @return false when nothing was written: the run passed its deadline
   */
  private boolean record(java.util.function.Consumer<AgentState> write) {
    return recorded(s -> {
      write.accept(s);
      return Boolean.TRUE;
    }) != null;
  }

  /** As {@link #record}, for a write that returns what it decided; null when nothing was written. */
  private <T> T recorded(Function<AgentState, T> write) {
    synchronized (agent) {
      return expired ? null : write.apply(state);
    }
  }

  /** One run; returns the delay before the next, or null when stopping. */
  Duration run(boolean forced) {
    Instant now = clock.instant();
    phase = "source";
    Revision revision;
    Revision applied;
    synchronized (agent) {
      applied = state.lastApplied;
    }
    boolean unchanged;
    try {
      revision = latest.get();
      unchanged = applied != null && (applied.id().equals(revision.id())
          || contentKey.apply(applied).equals(contentKey.apply(revision)));
    } catch (RuntimeException e) {
      return sourceFailed(e);
    }
    synchronized (agent) {
      boolean due = state.lastCheck == null || !now.isBefore(state.lastCheck.plus(driftInterval));
      if (unchanged && !due && !forced && state.failures == 0) {
        return delays.next();
      }
    }
    record(s -> s.lastAttempted = revision);
    phase = "lock";
    Lockable.Lock lock;
    try {
      lock = lock();
    } catch (LockedException e) {
      return waiting(e.getMessage());
    } catch (RuntimeException e) {
      reconciler.listener().failed(e);
      return failed(e.getClass().getSimpleName(), e);
    }
    try (lock) {
      return planAndApply(revision, unchanged, now);
    }
  }

  /**
   * The target's lock, the one {@link PushDeployer} takes, held from before the plan until the
   * apply ends: a pull and a push never interleave their writes. A no-op lock for targets without
   * one.
   */
  private Lockable.Lock lock() {
    Lockable lockable = lockTarget ? reconciler.target().lockable(reconciler.name()).orElse(null) : null;
    if (lockable != null) {
      return lockable.lock(holder, null);
    }
    Instant since = clock.instant();
    return new Lockable.Lock() {
      @Override public String holder() { return holder; }
      @Override public Instant since() { return since; }
      @Override public void close() { }
    };
  }

  private Duration planAndApply(Revision revision, boolean unchanged, Instant now) {
    Prepared prepared;
    try {
      prepared = reconciler.prepare(revision, p -> phase = p);
    } catch (RuntimeException e) {
      return failed(e.getClass().getSimpleName(), e);
    }
    Plan plan = prepared.plan();
    Drift drift = null;
    phase = "report";
    record(s -> s.lastPlanSummary = plan.summary());
    if (unchanged) {
      if (plan.isEmpty()) {
        return converged(revision, now, null);
      }
      Drift found = new Drift(revision, plan);
      drift = found;
      reconciler.listener().driftFound(found);
      if (!selfHeal) {
        record(s -> {
          s.lastCheck = now;
          s.drifted(found);
        });
        return delays.next();
      }
    }
    return applied(prepared, now, drift);
  }

  private Duration applied(Prepared prepared, Instant now, Drift drift) {
    if (stopping()) {
      return null;
    }
    phase = "apply";
    ReconcileResult result;
    try {
      ApplyOptions options = reconciler.applyOptions();
      if (applyPool != null && options.environment().executor() == null) {
        options = options.withExecutor(applyPool);
      }
      result = reconciler.apply(prepared, options, this::stopping,
          "agent " + reconciler.name() + " is stopping or passed its run deadline");
    } catch (RuntimeException e) {
      return failed(e.getClass().getSimpleName(), prepared.plan().masked(message(e)));
    }
    if (result.isSuccess()) {
      return converged(prepared.revision(), now, drift);
    }
    phase = "report";
    if (stopping()) {
      record(s -> s.interrupted(result.report().summary()));
      return delays.next();
    }
    // a step's failure may quote a value of the plan's Secrets (a server's 422): the status keeps it masked
    return failed("ApplyFailed", result.plan().masked(result.report().toString()));
  }

  /** Another replica owns this reconciler now (a fleet's shard): not a failure; look again later. */
  Duration notOwned() {
    record(s -> s.waiting("NotOwned", "another replica reconciles it"));
    return delays.next();
  }

  /** The source failed to say or read its latest revision: reported to the listener, backed off. */
  Duration sourceFailed(RuntimeException e) {
    reconciler.listener().failed(e);
    return failed(e.getClass().getSimpleName(), e);
  }

  /** Logs {@code e} at ERROR, reports it in the status and to the listener, and backs off. */
  Duration unexpected(Throwable e) {
    String reason = e instanceof Error ? e.getClass().getSimpleName() : "InternalError";
    String message = "unexpected " + e;
    LOG.error("agent {}: {}", LogText.NONE.escape(reconciler.name()), LogText.NONE.escape(message), LoggedThrowable.of(e));
    Duration retryIn = failed(reason, message);
    try {
      reconciler.listener().failed(failure(message, e));
    } catch (Throwable listenerError) { // the agent goes on whatever a listener throws
      LOG.error("agent {}: the listener threw on failed()", LogText.NONE.escape(reconciler.name()),
          LoggedThrowable.of(listenerError));
    }
    return retryIn;
  }

  /**
   * Records that the agent stopped after an {@link OutOfMemoryError}, logs it and tells the listener;
   * each step is guarded, memory may still be short.
   */
  void outOfMemory(OutOfMemoryError e) {
    String message = "out of memory (" + e.getMessage() + "); the agent stopped: restart the process";
    record(s -> s.stopped("OutOfMemoryError", message));
    try {
      LOG.error("agent {}: {}", LogText.NONE.escape(reconciler.name()), LogText.NONE.escape(message), e);
    } catch (Throwable ignored) { // nothing left to report with
    }
    try {
      reconciler.listener().failed(failure(message, e));
    } catch (Throwable ignored) { // as above
    }
  }

  /**
   * What the listener is told of a failure the run did not expect: the agent's name and {@code message}
   * (which may quote a repository's or a cluster's words) printed escaped, {@code e} as it is.
   */
  private GitOpsException failure(String message, Throwable e) {
    return new GitOpsException("agent " + Printable.escape(reconciler.name()) + ": " + Printable.escapeMessage(message), e);
  }

  /** Another deployer holds the target's lock: not a failure; try again after the first backoff step. */
  private Duration waiting(String message) {
    Duration retryIn = delays.afterFailures(1);
    if (record(s -> s.waiting("Locked", message))) {
      LOG.info("agent {}: {}; retrying in {}", LogText.NONE.escape(reconciler.name()), LogText.NONE.escape(message),
          retryIn);
    }
    return retryIn;
  }

  private Duration converged(Revision revision, Instant now, Drift healed) {
    record(s -> s.converged(revision, now, healed));
    return delays.next();
  }

  private Duration failed(String reason, Exception e) {
    return failed(reason, message(e));
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
  }

  private Duration failed(String reason, String message) {
    Duration retryIn = recorded(s -> {
      Duration d = delays.afterFailures(s.failures + 1);
      s.failed(reason, message, d);
      // what failed is logged once, escaped and masked, by the reconciler (ReconcileLog): here, the retry
      LOG.atWarn().addKeyValue("reconciler", LogText.NONE.escape(reconciler.name())).addKeyValue("reason", reason)
          .log("agent {}: retrying in {} ({} consecutive failure(s))", LogText.NONE.escape(reconciler.name()),
              d, s.failures);
      return d;
    });
    if (retryIn != null) {
      return retryIn;
    }
    // returned after its deadline: the timeout was recorded, and maybe newer news; its delay is not used
    LOG.info("agent {}: the run that passed its deadline ended late ({})", LogText.NONE.escape(reconciler.name()),
        reason);
    return delays.afterFailures(1);
  }
}

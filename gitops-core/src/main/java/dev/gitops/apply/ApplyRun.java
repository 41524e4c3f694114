package dev.gitops.apply;

import dev.gitops.internal.LoggedThrowable;
import dev.gitops.internal.Printable;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import dev.gitops.target.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the applier over one plan: waves in order, the stale-plan check, parallel steps,
 * the health wait, and the report. Not part of the public API.
 */
final class ApplyRun implements AutoCloseable {
  /** Reason of the steps skipped because an earlier wave failed. */
  public static final String EARLIER_WAVE_FAILED = "an earlier wave failed";
  /** Reason of the steps not performed because the applying thread was interrupted. */
  public static final String INTERRUPTED = "interrupted";
  /** Reason of the steps skipped in a dry run. */
  public static final String DRY_RUN = "dry run";

  private final Logger log;
  private final Plan plan;
  private final Target target;
  private final ApplyOptions options;
  private final StepRunner runner;
  private final Workers workers;
  private final Map<ResourceId, Outcome.Kind> done = new HashMap<>();
  private final Object listenerLock = new Object();
  /** The plan's masker for debug lines and a listener's failure ({@link #masker()}). */
  private volatile UnaryOperator<String> masker;

  /** Prepares a run; {@link #close()} releases the executor it may create. */
  public ApplyRun(Plan plan, Target target, ApplyOptions options) {
    this(plan, target, options, LoggerFactory.getLogger("dev.gitops.apply.Applier"));
  }

  /** As {@link #ApplyRun(Plan, Target, ApplyOptions)}, logging to {@code log}. */
  ApplyRun(Plan plan, Target target, ApplyOptions options, Logger log) {
    this.log = log;
    this.plan = plan;
    this.target = target;
    this.options = options;
    this.runner = new StepRunner(target, plan.owner(), options, new Random(options.environment().jitterSeed()));
    this.workers = new Workers(options.parallelism(), options.environment().executor());
  }

  /** Applies every wave and reports one outcome per step, in plan order. */
  public ApplyReport run() {
    Instant start = options.environment().clock().instant();
    log.info("applying {} to {}{}", plan.summary(), target.describe(),
        options.dryRun() ? " (dry run)" : "");
    List<Outcome> outcomes = new ArrayList<>();
    boolean stopped = false;
    for (Wave wave : plan.waves()) {
      Outcome[] wo;
      if (Thread.currentThread().isInterrupted()) {
        wo = skipAll(wave, INTERRUPTED);
      } else if (stopped) {
        wo = skipAll(wave, EARLIER_WAVE_FAILED);
      } else if (options.dryRun()) {
        wo = skipAll(wave, DRY_RUN);
      } else {
        wo = new WaveRun(this, wave).run();
        boolean failed = Arrays.stream(wo).anyMatch(o -> o.kind() == Outcome.Kind.FAILED
            || o.kind() == Outcome.Kind.SKIPPED);
        stopped = failed && !options.continueOnFailure();
      }
      logWave(wave, wo);
      for (Outcome o : wo) {
        done.put(o.action().id(), o.kind());
        outcomes.add(o);
      }
    }
    ApplyReport report = new ApplyReport(outcomes,
        java.time.Duration.between(start, options.environment().clock().instant()), options.dryRun());
    log.info("{} on {}", report.summary(), target.describe());
    return report;
  }

  private Outcome[] skipAll(Wave wave, String reason) {
    Outcome[] out = new Outcome[wave.actions().size()];
    for (int i = 0; i < out.length; i++) {
      Action a = wave.actions().get(i);
      out[i] = a.kind() == Action.Kind.NOOP ? new Outcome.Unchanged(a) : new Outcome.Skipped(a, reason);
      emit(out[i]);
    }
    return out;
  }

  /** Tells the listener (one call at a time) and logs the step at debug. */
  void emit(Outcome o) {
    if (log.isDebugEnabled()) {
      log.debug("{} {} {} in {} ms{}", o.kind().word(), o.action().kind().word(), o.action().id(),
          o.took().toMillis(), detail(o, masker()));
    }
    synchronized (listenerLock) {
      try {
        options.progress().accept(o);
      } catch (OutOfMemoryError e) {
        throw e;
      } catch (Throwable e) { // an Error too: the listener's bug, not the apply's
        // its message may quote a name or a value of the plan: masked and escaped, the stack trace's too
        log.warn("apply listener of {} failed on {}: {}", Printable.escape(plan.owner()), o.action().id(),
            LoggedThrowable.text(e, masker()), LoggedThrowable.of(e, masker()));
      }
    }
  }

  /** The plan's masker, made at its first use (a walk of the plan); a race makes it twice at worst. */
  private UnaryOperator<String> masker() {
    UnaryOperator<String> m = masker;
    if (m == null) {
      masker = m = plan.masker();
    }
    return m;
  }

  /**
   * What the debug line of a step adds: a failed step's message or a skipped step's reason, escaped (a
   * server's or a host's answer may hold line breaks and control characters that forge log lines) and
   * with the plan's secret values masked by {@code masked} ({@link Plan#masker}: a 422 names the value it
   * refused); nothing for the rest. Escaped as the report escapes the same words ({@link ApplyReport}).
   */
  static String detail(Outcome o, UnaryOperator<String> masked) {
    String said = o instanceof Outcome.Failed f ? f.cause().getMessage()
        : o instanceof Outcome.Skipped s ? s.reason() : null;
    return said == null ? "" : ": " + Printable.escapeHidden(masked.apply(said));
  }

  private void logWave(Wave wave, Outcome[] wo) {
    int[] c = new int[Outcome.Kind.values().length];
    for (Outcome o : wo) {
      c[o.kind().ordinal()]++;
    }
    log.info("wave {} of {}: {} applied, {} unchanged, {} failed, {} skipped", wave.index() + 1,
        plan.waves().size(), c[0], c[1], c[2], c[3]);
  }

  /** The outcome kind of an earlier step for {@code id}, or null. */
  Outcome.Kind earlier(ResourceId id) {
    return done.get(id);
  }

  Target target() {
    return target;
  }

  ApplyOptions options() {
    return options;
  }

  StepRunner runner() {
    return runner;
  }

  Workers workers() {
    return workers;
  }

  String owner() {
    return plan.owner();
  }

  @Override
  public void close() {
    workers.close();
  }
}

package dev.gitops.samples.cli;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Health;
import dev.gitops.target.Target;
import dev.gitops.target.TargetException;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;

/**
 * Ctrl-C (SIGINT) or SIGTERM while a command writes, as terraform takes them: the steps in flight
 * finish, no later step starts (each fails {@value #NOT_APPLIED}, so later waves are skipped), a health
 * wait ends, the target's lock is released, the report of what was applied is printed, and the process
 * exits 130 (SIGINT) or 143 (SIGTERM), as the JVM does on a signal once its shutdown hooks ended. Made
 * with a shutdown hook that waits for the command; nothing is interrupted, so a step's own I/O, the
 * lock's release and the deploy history are never cut short. Installed only around the writing part of
 * a command (never while it waits for an answer at a prompt, which a hook could not end). A second
 * SIGINT or SIGTERM while the command still runs ends the process at once, as terraform's second
 * interrupt does: it says so, says the lock may be left for {@code gitops unlock}, and exits 130 or 143
 * after the second signal ({@link SecondSignal}; where the runtime cannot hear it, only {@code kill -9}
 * ends the process sooner).
 */
final class SignalStop implements AutoCloseable {
  /** The failure of a step that did not start because of the signal. */
  static final String NOT_APPLIED = "not applied: the command was interrupted (Ctrl-C)";
  /** The exit code of a command stopped by SIGINT, as shells report it (128 + 2). */
  static final int EXIT_CODE = 130;
  /** The first line printed on a second signal, terraform's words. */
  static final String FORCED = "Two interrupts received. Exiting immediately. Note that data loss may have occurred.";

  private final CountDownLatch ended = new CountDownLatch(1);
  private final PrintWriter err;
  private final String unlock;
  private final IntConsumer halt;
  private final Thread hook;
  private volatile boolean stopping;

  private volatile boolean armed;

  /**
   * Not armed yet: {@link #guard} a binding, then {@link #arm()} where writing starts; {@code err} hears
   * that the command stops; {@code unlock} is the command that releases the lock a forced exit leaves.
   */
  SignalStop(PrintWriter err, String unlock) {
    this(err, unlock, status -> Runtime.getRuntime().halt(status));
  }

  /** As above, {@code halt} ending the process on a second signal (tests pass their own). */
  SignalStop(PrintWriter err, String unlock, IntConsumer halt) {
    this.err = err;
    this.unlock = unlock;
    this.halt = halt;
    this.hook = new Thread(this::stop, "gitops-signal-stop");
  }

  /** {@return the command that releases the lock of {@code owner} on {@code target}, for a forced exit's hint} */
  static String unlock(String target, String owner) {
    return "gitops unlock --force --target " + target + " --owner " + owner;
  }

  /** From now on a signal stops the command as this class says. */
  void arm() {
    Runtime.getRuntime().addShutdownHook(hook);
    armed = true;
  }

  /** What the hook does; called directly by tests (not armed: the process's signal handlers stay as they are). */
  void stop() {
    stopping = true;
    boolean again = armed && SecondSignal.install(this::forced);
    err.println("Interrupted: finishing the steps in flight, then releasing the lock (" + (again ? "interrupt again"
        : "kill -9") + " to stop at once, leaving the lock behind)...");
    err.flush();
    boolean interrupted = false;
    while (true) {
      try {
        ended.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the JVM is shutting down: the command still has to end first
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A second signal ({@code signal}: its number): while the command runs, says what may be left, then
   * ends the process at once with 128 + {@code signal}, skipping the steps' ends and the lock's release.
   */
  void forced(int signal) {
    if (ended.getCount() > 0) {
      err.println(FORCED);
      err.println("The steps in flight may be cut short and the target's lock is left behind: once no deploy runs,"
          + " release it with: " + unlock);
      err.flush();
    }
    halt.accept(128 + signal);
  }

  /** {@return true once a signal asked the command to stop} */
  boolean stopping() {
    return stopping;
  }

  /** {@code binding} with its target guarded: no step starts and no health wait goes on once stopping. */
  Binding guard(Binding binding) {
    return new Binding(new Guarded(binding.target()), binding.loader(), binding.applyOptions(),
        binding.closeables());
  }

  /**
   * The command's exit code: {@code code}, or {@value #EXIT_CODE} with a last line on standard error
   * when a signal stopped it.
   */
  int exit(int code) {
    if (!stopping) {
      return code;
    }
    err.println("Interrupted: stopped after the steps in flight; the lock is released.");
    err.flush();
    return EXIT_CODE;
  }

  /** The command ended: the hook, if a signal started it, lets the JVM exit; else it is removed. */
  @Override
  public void close() {
    ended.countDown();
    if (armed && !stopping) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs (or ran) and returns at once: the command has ended
      }
    }
  }

  private final class Guarded extends ForwardingTarget {
    Guarded(Target delegate) {
      super(delegate);
    }

    @Override
    public String applyWithDetail(Action action, String owner) {
      if (stopping) {
        throw new TargetException(action.id(), NOT_APPLIED, false, null);
      }
      return super.applyWithDetail(action, owner);
    }

    @Override
    public Health health(ResourceId id) {
      return stopping ? new Health(Health.Status.UNKNOWN, NOT_APPLIED) : super.health(id);
    }
  }
}

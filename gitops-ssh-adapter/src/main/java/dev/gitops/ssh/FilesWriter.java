package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.time.Duration;

/**
 * The write half of a {@link FilesTarget}: one step of a plan, a handler run ({@link Handlers}) or a
 * write or delete ({@link Steps}) recorded in the owner's {@link Ledger}, its path checked first
 * ({@link TargetPaths#step}, {@link CaseClashes#beforeStep}). Thread-safe; not part of the public API.
 */
final class FilesWriter {
  private final Host host;
  private final String root;
  private final String target;
  private final Duration handlerTimeout;
  private final Ledgers ledgers;
  private final CaseClashes cases;
  private final Steps steps;

  FilesWriter(Host host, String root, String target, Duration handlerTimeout, Ledgers ledgers, CaseClashes cases,
      Steps steps) {
    this.host = host;
    this.root = root;
    this.target = target;
    this.handlerTimeout = handlerTimeout;
    this.ledgers = ledgers;
    this.cases = cases;
    this.steps = steps;
  }

  /** See {@link FilesTarget#applyWithDetail}. */
  String apply(Action action, String owner) {
    TargetPaths.owner(owner);
    if (action instanceof Action.Run run) {
      return Handlers.run(host, root, run, handlerTimeout);
    }
    ResourceId id = action.id();
    String path = TargetPaths.step(host, root, action);
    try {
      Ledger ledger = ledgers.of(owner);
      cases.beforeStep(id);
      switch (action.kind()) {
        case CREATE, UPDATE, ADOPT -> { return steps.write(action, path, ledger); } // "" or an owner not kept
        case DELETE -> steps.delete((Action.Delete) action, path, ledger);
        case NOOP, RUN -> { }
      }
      return "";
    } catch (IOException e) {
      throw new TargetException(id, target + ": " + ResourceId.escape(e.getMessage()), true, e);
    }
  }
}

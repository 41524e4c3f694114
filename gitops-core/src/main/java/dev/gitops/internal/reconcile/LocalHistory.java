package dev.gitops.internal.reconcile;

import dev.gitops.internal.Checks;
import dev.gitops.target.DeployHistory;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;

/**
 * A deploy history kept in memory, for targets that keep none themselves. Seen only by the deployer
 * that holds it. Thread-safe. Not part of the public API.
 */
public final class LocalHistory implements DeployHistory {
  private final LinkedList<Deployment> entries = new LinkedList<>();

  @Override
  public synchronized void record(Deployment entry, int keep) {
    Objects.requireNonNull(entry, "entry");
    Checks.notNegative(keep, "keep");
    entries.addFirst(entry);
    while (entries.size() > keep) {
      entries.removeLast();
    }
  }

  @Override
  public synchronized List<Deployment> history() {
    return List.copyOf(entries);
  }
}

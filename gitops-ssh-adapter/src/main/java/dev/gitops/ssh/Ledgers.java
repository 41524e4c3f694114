package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inventory {@link Ledger}s of one files target, one per owner: replaced by each read of that owner,
 * loaded from the host by a write or delete that comes before any read. Thread-safe; not part of the
 * public API.
 */
final class Ledgers {
  private final Host host;
  private final StateDir state;
  private final String target;
  private final Map<String, Ledger> byOwner = new ConcurrentHashMap<>();

  /**
   * @param host the host
   * @param state the target's state folder
   * @param target the target's description, for messages
   */
  Ledgers(Host host, StateDir state, String target) {
    this.host = host;
    this.state = state;
    this.target = target;
  }

  /** {@return the paths the ledger of {@code owner} lists, empty when none is kept yet} */
  Set<String> paths(String owner) {
    Ledger known = byOwner.get(owner);
    return known == null ? Set.of() : known.paths();
  }

  /** Keeps {@code ledger}, which a read just made, for {@code owner}, replacing the one kept before. */
  void put(String owner, Ledger ledger) {
    byOwner.put(owner, ledger);
  }

  /** {@return the ledger of {@code owner}, loaded from the host when none is kept yet} */
  Ledger of(String owner) throws IOException {
    Ledger ledger = byOwner.get(owner);
    if (ledger == null) {
      ledger = Ledger.load(host, state, owner);
      Ledger previous = byOwner.putIfAbsent(owner, ledger);
      ledger = previous != null ? previous : ledger;
    }
    return ledger;
  }

  /**
   * Writes each ledger's pending results to the host.
   *
   * @throws TargetException (retryable) at the first journal that cannot be written
   */
  void flush() {
    for (Ledger ledger : byOwner.values()) {
      try {
        ledger.flush();
      } catch (IOException e) {
        throw new TargetException(null, target + ": cannot write the inventory: "
            + ResourceId.escape(e.getMessage()), true, e);
      }
    }
  }

  /** Folds each journal into its inventory file ({@link Ledger#foldAll}: a failure is logged, not thrown). */
  void fold() {
    Ledger.foldAll(byOwner.values(), target);
  }
}

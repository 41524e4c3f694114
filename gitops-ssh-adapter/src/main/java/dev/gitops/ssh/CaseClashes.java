package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a files target does about names that differ only in case, decided once per read: on a host
 * whose file system folds case ({@link CaseFolding}), two such desired files would overwrite each
 * other, and the plan of a case-only rename ({@code Readme.md} to {@code README.md}: create the new
 * name, delete the old) would write the new file over the old entry, then delete it.
 *
 * <ul>
 *   <li>Whether the host folds is asked only when the desired and owned paths spell a name in two
 *       cases, so the usual apply pays nothing; then once per read, by a probe in the state folder
 *       ({@link StateDir#foldsCase()}).
 *   <li>On a folding host, desired files that would be one entry are refused, every clash named,
 *       before anything is written: by the read when the state folder exists, else by the first
 *       step (which probes, making the state folder as every first write does).
 *   <li>On a folding host, of the paths that share one entry, a desired one that is not owned reads
 *       as absent and an owned one reads as {@link #SHARED} (no bytes, mode {@code 0000}, whatever
 *       the entry holds), so the plan of a case-only rename is the one every host gets: create the
 *       new name, delete the old; and the old name's version does not move when the create writes
 *       the entry, so the applier's re-read before the delete finds what the plan expected. The
 *       create writes over the entry (when it still holds what this owner wrote there), and the
 *       delete of the old name, now the same entry as an owned one, only drops it from the
 *       inventory. The entry is never deleted and written again, so there is no moment without the
 *       file, and no rename between two spellings of one entry, which POSIX lets a host ignore (the
 *       entry keeps whatever spelling the host's rename gives it).
 * </ul>
 *
 * On a case-sensitive host nothing changes. Thread-safe; not part of the public API.
 */
final class CaseClashes {
  /** Asks the host whether its file system folds case. */
  interface Probe {
    boolean foldsCase() throws IOException;
  }

  /** What an owned path that shares its entry with another spelling reads as on a folding host. */
  static final dev.gitops.model.Content.Bytes SHARED = dev.gitops.model.Content.bytes(new byte[0],
      dev.gitops.model.FileMode.of(0));

  /**
   * What a read reports.
   *
   * @param asked the desired paths to report: without those whose entry is an owned path's
   * @param shared the owned paths to report as {@link #SHARED}
   */
  record View(Set<String> asked, Set<String> shared) {}

  private final Probe probe;
  private final String target;
  /** Spellings of the names written in more than one case among the desired and owned paths; null before a read. */
  private volatile Map<String, TreeSet<String>> spellings;
  private volatile Set<String> desired = Set.of();
  /** Desired clashes the read could not judge (no state folder to probe in): judged by the first step. */
  private volatile List<String> pending = List.of();
  /** The paths of the last read that share their entry with another spelling, on a folding host. */
  private volatile Set<String> shared = Set.of();
  private Boolean folds;

  /**
   * @param probe asks the host, once per read when needed
   * @param target the target's description, for messages
   */
  CaseClashes(Probe probe, String target) {
    this.probe = probe;
    this.target = target;
  }

  /**
   * Judges a read: {@code asked} (the desired paths) and {@code owned} (the owner's inventory).
   *
   * @param stateFolder true when the state folder exists, so that the host can be probed now
   * @return what to report
   * @throws TargetException naming every clash of desired files, on a folding host
   */
  synchronized View read(Set<String> asked, Set<String> owned, boolean stateFolder) throws IOException {
    folds = null;
    desired = Set.copyOf(asked);
    Set<String> all = new TreeSet<>(asked);
    all.addAll(owned);
    spellings = CaseFolding.spellings(all);
    pending = List.of();
    shared = Set.of();
    if (spellings.isEmpty()) {
      return new View(asked, Set.of());
    }
    List<String> clashes = CaseFolding.clashes(asked);
    if (!stateFolder) { // nothing owned: only desired files can clash
      pending = clashes;
      return new View(asked, Set.of());
    }
    if (!folds()) {
      return new View(asked, Set.of());
    }
    refuse(null, clashes);
    Set<String> sharing = new TreeSet<>();
    all.forEach(p -> {
      if (other(p, all::contains) != null) {
        sharing.add(p);
      }
    });
    shared = Set.copyOf(sharing);
    Set<String> shown = new TreeSet<>(asked);
    shown.removeIf(p -> sharing.contains(p) && !owned.contains(p));
    sharing.retainAll(owned);
    return new View(shown, sharing);
  }

  /** True when the last read found that {@code path} shares its entry with another spelling (a folding host). */
  boolean isShared(String path) {
    return shared.contains(path);
  }

  /**
   * Before a step that writes or deletes: refuses it when the last read left desired clashes to judge
   * and the host folds case.
   *
   * @throws TargetException naming every clash
   */
  synchronized void beforeStep(ResourceId id) throws IOException {
    if (!pending.isEmpty() && folds()) {
      refuse(id, pending);
    }
  }

  /**
   * The owned path other than {@code path} that is the same entry on this host: same name but for
   * case, on a host that folds it; null otherwise (always on a case-sensitive host).
   */
  synchronized String ownedSameEntry(String path, Ledger ledger) throws IOException {
    if (spellings == null) { // applied without a read: judged by the inventory alone
      spellings = CaseFolding.spellings(ledger.paths());
    }
    String other = spellings.isEmpty() ? null : other(path, ledger::owns);
    return other != null && folds() ? other : null;
  }

  /** A desired path other than {@code path} that is the same entry on a folding host, or null. */
  synchronized String desiredSameEntry(String path) throws IOException {
    String other = spellings == null || spellings.isEmpty() ? null : other(path, desired::contains);
    return other != null && folds() ? other : null;
  }

  private String other(String path, java.util.function.Predicate<String> among) {
    TreeSet<String> names = spellings.get(CaseFolding.key(path));
    if (names != null) {
      for (String n : names) {
        if (!n.equals(path) && among.test(n)) {
          return n;
        }
      }
    }
    return null;
  }

  private boolean folds() throws IOException {
    if (folds == null) {
      folds = probe.foldsCase();
    }
    return folds;
  }

  private void refuse(ResourceId id, List<String> clashes) {
    if (!clashes.isEmpty()) {
      throw new TargetException(id, target + ": the host's file system ignores case, so desired files whose"
          + " names differ only in case would be one file there; nothing written: " + String.join("; ", clashes)
          + " (rename all but one of each in Git)", false, null);
    }
  }
}

package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import dev.gitops.ssh.CaseFolding.Folding;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What a files target does about names spelled two ways, decided once per read: on a host whose
 * file system takes two spellings for one entry (in another case or another Unicode normalisation
 * form, {@link CaseFolding}), two such desired files would overwrite each other, and the plan of a
 * rename between two spellings ({@code Readme.md} to {@code README.md}, or an NFC name to its NFD
 * spelling: create the new name, delete the old) would write the new file over the old entry, then
 * delete it.
 *
 * <ul>
 *   <li>The host is asked only when the desired and owned paths spell a name in two ways, so the
 *       usual apply pays nothing; then once per read, by a probe in the state folder for each of
 *       case and normalisation whose answer would change which names are one entry
 *       ({@link StateDir#ignores}).
 *   <li>On such a host, desired files that would be one entry are refused, every clash named,
 *       before anything is written: by the read when the state folder exists, else by the first
 *       step (which probes, making the state folder as every first write does).
 *   <li>On such a host, of the paths that share one entry, a desired one that is not owned reads
 *       as absent and an owned one reads as {@link #SHARED} (no bytes, mode {@code 0000}, whatever
 *       the entry holds), so the plan of a rename between two spellings is the one every host gets:
 *       create the new name, delete the old; and the old name's version does not move when the
 *       create writes the entry, so the applier's re-read before the delete finds what the plan
 *       expected. The create writes over the entry (when it still holds what this owner wrote
 *       there), and the delete of the old name, now the same entry as an owned one, only drops it
 *       from the inventory. The entry is never deleted and written again, so there is no moment
 *       without the file, and no rename between two spellings of one entry, which POSIX lets a host
 *       ignore (the entry keeps whatever spelling the host's rename gives it).
 * </ul>
 *
 * On a host that takes every spelling for a name of its own nothing changes. Thread-safe; not part
 * of the public API.
 */
final class CaseClashes {
  /**
   * Asks the host whether its file system ignores {@code fold}: {@link Folding#CASE} or {@link Folding#FORM},
   * or, asked only of a host that ignores case, {@link Folding#CASE_FULL}: whether it folds case fully.
   */
  interface Probe {
    boolean ignores(Folding fold) throws IOException;
  }

  /** What an owned path that shares its entry with another spelling reads as on such a host. */
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
  /** The desired and owned paths of the last read (the inventory's, without one); null before either. */
  private Set<String> names;
  /** The spellings of {@link #names} that a host folding case fully, or both, would take for one: empty as a rule. */
  private Map<String, TreeSet<String>> byCase = Map.of();
  private Map<String, TreeSet<String>> byBoth = Map.of();
  private volatile Set<String> desired = Set.of();
  /** The read found desired files that some host would hold as one, and could not probe (no state folder). */
  private volatile boolean judgeAtStep;
  /** The clashes of desired files on this host, once judged by a step. */
  private List<String> pending;
  /** The paths of the last read that share their entry with another spelling, on such a host. */
  private volatile Set<String> shared = Set.of();
  /** What the host ignores, as far as it matters to {@link #names}; null until asked. */
  private Folding folding;
  /** The spellings of {@link #names} that are one entry on this host, by {@code folding}'s key. */
  private Map<String, TreeSet<String>> spellings = Map.of();

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
   * @throws TargetException naming every clash of desired files, on a host that would hold them as one
   */
  synchronized View read(Set<String> asked, Set<String> owned, boolean stateFolder) throws IOException {
    Set<String> all = new TreeSet<>(asked);
    all.addAll(owned);
    remember(all);
    desired = Set.copyOf(asked);
    judgeAtStep = false;
    pending = null;
    shared = Set.of();
    if (byCase.isEmpty() && byBoth.isEmpty()) {
      return new View(asked, Set.of());
    }
    if (!stateFolder) { // nothing owned: only desired files can clash
      judgeAtStep = !CaseFolding.clashes(asked, Folding.CASE_FULL).isEmpty()
          || !CaseFolding.clashes(asked, Folding.BOTH_FULL).isEmpty();
      return new View(asked, Set.of());
    }
    if (folding() == Folding.NONE) {
      return new View(asked, Set.of());
    }
    refuse(null, CaseFolding.clashes(asked, folding));
    Set<String> sharing = new TreeSet<>();
    all.forEach(p -> {
      if (other(spellings, folding, p, all::contains) != null) {
        sharing.add(p);
      }
    });
    shared = Set.copyOf(sharing);
    Set<String> shown = new TreeSet<>(asked);
    shown.removeIf(p -> sharing.contains(p) && !owned.contains(p));
    sharing.retainAll(owned);
    return new View(shown, sharing);
  }

  /** True when the last read found that {@code path} shares its entry with another spelling. */
  boolean isShared(String path) {
    return shared.contains(path);
  }

  /**
   * Before a step that writes or deletes: refuses it when the last read left desired files to judge
   * and the host would hold some of them as one.
   *
   * @throws TargetException naming every clash
   */
  synchronized void beforeStep(ResourceId id) throws IOException {
    if (judgeAtStep) {
      if (pending == null) {
        pending = CaseFolding.clashes(desired, folding());
      }
      refuse(id, pending);
    }
  }

  /**
   * The owned path other than {@code path} that is the same entry on this host (the same name spelled
   * another way that the host ignores), or null (always on a host that ignores nothing).
   */
  synchronized String ownedSameEntry(String path, Ledger ledger) throws IOException {
    if (names == null) { // applied without a read: judged by the inventory alone
      remember(ledger.paths());
    }
    return sameEntry(path, ledger::owns);
  }

  /** A desired path other than {@code path} that is the same entry on this host, or null. */
  synchronized String desiredSameEntry(String path) throws IOException {
    return names == null ? null : sameEntry(path, desired::contains);
  }

  /** What the host's names ignore, for messages ({@code case}): known once a path was found to share its entry. */
  synchronized String ignored() {
    return folding == null ? Folding.NONE.ignores : folding.ignores;
  }

  private void remember(Collection<String> all) {
    names = Set.copyOf(all);
    byCase = CaseFolding.spellings(names, Folding.CASE_FULL); // every spelling one in simple folding is here too
    byBoth = CaseFolding.spellings(names, Folding.BOTH_FULL); // and every one in another form
    folding = null;
    spellings = Map.of();
  }

  private String sameEntry(String path, Predicate<String> among) throws IOException {
    if (other(byCase, Folding.CASE_FULL, path, among) == null && other(byBoth, Folding.BOTH_FULL, path, among) == null) {
      return null; // no other spelling of it that a host could take for it: nothing to ask
    }
    folding();
    return other(spellings, folding, path, among);
  }

  private static String other(Map<String, TreeSet<String>> spellings, Folding folding, String path,
      Predicate<String> among) {
    TreeSet<String> same = spellings.isEmpty() ? null : spellings.get(folding.key(path)); // empty as a rule
    if (same != null) {
      for (String n : same) {
        if (!n.equals(path) && among.test(n)) {
          return n;
        }
      }
    }
    return null;
  }

  /** What the host ignores as far as it matters to {@link #names}, asked once. */
  private Folding folding() throws IOException {
    if (folding == null) {
      folding = judge(names, probe);
      spellings = CaseFolding.spellings(names, folding);
    }
    return folding;
  }

  /**
   * What the host ignores as far as it matters to {@code names}. Three questions, in this order: does it
   * ignore case, normalisation, and (of a host that ignores case) does it fold case fully. Each is asked
   * only when its answer changes which of the names are one entry for some answer to those not asked yet
   * (case: {@code README.md} against {@code Readme.md}; normalisation: {@code café} in NFC against NFD;
   * full folding: {@code Straße} against {@code STRASSE}); an answer not asked for would change nothing
   * about these names.
   */
  static Folding judge(Collection<String> names, Probe probe) throws IOException {
    Map<Folding, Set<Set<String>>> parts = new EnumMap<>(Folding.class);
    for (Folding f : Folding.values()) {
      parts.put(f, new HashSet<>(CaseFolding.spellings(names, f).values()));
    }
    Set<Folding> left = EnumSet.allOf(Folding.class);
    for (Folding question : List.of(Folding.CASE, Folding.FORM, Folding.CASE_FULL)) {
      boolean matters = left.stream().anyMatch(a -> left.stream()
          .anyMatch(b -> onlyAnswerDiffers(question, a, b) && !parts.get(a).equals(parts.get(b))));
      boolean yes = matters && probe.ignores(question);
      left.removeIf(f -> answer(question, f) != yes);
    }
    return left.iterator().next();
  }

  /** True when {@code a} and {@code b} answer {@code question} differently and every other one alike. */
  private static boolean onlyAnswerDiffers(Folding question, Folding a, Folding b) {
    for (Folding q : List.of(Folding.CASE, Folding.FORM, Folding.CASE_FULL)) {
      boolean free = q == Folding.CASE_FULL && !(a.cases() && b.cases()); // full folding says nothing without case
      if ((q == question) != (answer(q, a) != answer(q, b)) && !(q != question && free)) {
        return false;
      }
    }
    return true;
  }

  private static boolean answer(Folding question, Folding f) {
    return question == Folding.CASE ? f.cases() : question == Folding.FORM ? f.forms() : f.full();
  }

  private void refuse(ResourceId id, List<String> clashes) {
    if (!clashes.isEmpty()) {
      throw new TargetException(id, target + ": the host's file system ignores " + folding.ignores + ", so desired"
          + " files whose names differ only in " + folding.differ + " would be one file there; nothing written: "
          + String.join("; ", clashes) + " (rename all but one of each in Git" + ignorables() + ")", false, null);
    }
  }

  /**
   * Why names with default-ignorable characters clash where case is folded fully with normalisation,
   * when a desired name holds one: the kernel's casefold leaves them out (all kernels but 6.12, whose
   * change 5c26d2f1d3f5 was reverted by 231825b2e1ff), and a library cannot know which kernel mounts the
   * directory next.
   */
  private String ignorables() {
    return folding == Folding.BOTH_FULL && desired.stream().anyMatch(p -> p.codePoints().anyMatch(CaseFolding::ignorable))
        ? "; names are compared without default-ignorable characters (a zero-width joiner, a soft hyphen, a variation"
        + " selector), as Linux's casefold compares them on every kernel but 6.12" : "";
  }
}

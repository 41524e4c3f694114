package dev.gitops.ssh;

import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The read half of a {@link FilesTarget}: one {@link RootRead} of the paths asked for and those the
 * owner's ledger lists, which starts a run (the folders this target created, the leftovers swept and the
 * verdict on the root forgotten), keeps the owner's new {@link Ledger} and tells what is there.
 * Thread-safe; not part of the public API.
 */
final class FilesReader {
  private final Host host;
  private final String root;
  private final String target;
  private final ReadSession session;
  private final Ledgers ledgers;
  private final StateDir state;
  private final RootVerdict verdict;
  private final RootState dirs;
  private final CaseClashes cases;
  private final Leftovers leftovers;

  FilesReader(Host host, String root, String target, ReadSession session, Ledgers ledgers, StateDir state,
      RootVerdict verdict, RootState dirs, CaseClashes cases, Leftovers leftovers) {
    this.host = host;
    this.root = root;
    this.target = target;
    this.session = session;
    this.ledgers = ledgers;
    this.state = state;
    this.verdict = verdict;
    this.dirs = dirs;
    this.cases = cases;
    this.leftovers = leftovers;
  }

  /**
   * See {@link FilesTarget#read(Scope, dev.gitops.model.DesiredState)}; the caller has flushed pending results.
   *
   * @param owner the scope's owner, checked ({@link TargetPaths#owner})
   * @param expected desired files the host compares by digest first ({@link HostDigests#expected}), or none
   * @throws TargetException (retryable) when the host cannot be read
   */
  ActualState read(String owner, Scope scope, Map<String, Content.Bytes> expected) {
    leftovers.reset();
    Set<String> asked = TargetPaths.asked(scope, host.limits(), root, target);
    Set<String> paths = new TreeSet<>(asked);
    paths.addAll(ledgers.paths(owner));
    try {
      RootRead read = RootRead.of(session, owner, paths, expected);
      dirs.reset();
      verdict.forget();
      state.seen(read.entries());
      CaseClashes.View view = cases.read(asked, read.inventory(owner).files().keySet(),
          read.entries().containsKey(TargetPaths.STATE_DIR));
      ledgers.put(owner, new Ledger(host, state, owner, read.inventory(owner),
          read.hasJournal(owner), read.absentOwned(owner), read.absent(view.asked())));
      return FileVersion.observe(read, owner, view.asked(), view.shared());
    } catch (IOException e) {
      throw new TargetException(null, target + ": cannot read: " + ResourceId.escape(e.getMessage()), true, e);
    }
  }
}

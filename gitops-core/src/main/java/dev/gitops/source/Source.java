package dev.gitops.source;

import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.util.Optional;

/**
 * Where desired state comes from: a Git repository ({@link GitSource}), a plain directory
 * ({@link DirectorySource}), or anything else that has revisions of files.
 *
 * <p>Implementations are thread-safe unless they say otherwise. Both methods throw
 * {@link SourceException} on failure, naming the source (credentials masked) and the ref.
 */
public interface Source {

  /**
   * Resolves the configured ref to a revision, as cheaply as the source allows (for Git: one ref
   * advertisement, no object download). A pull agent calls this every tick.
   *
   * @return the revision the configured ref points at now
   * @throws SourceException when the source cannot be reached or the ref does not resolve
   */
  Revision latest();

  /**
   * Resolves {@code ref} (a branch, a tag, a commit id, {@code semver:<range>}) instead of the
   * configured one. Sources that have no refs treat every ref as their one revision.
   *
   * @param ref a branch, a tag, a commit id or {@code semver:<range>}
   * @return the revision {@code ref} points at now
   * @throws SourceException when the source cannot be reached or {@code ref} does not resolve
   */
  default Revision resolve(String ref) {
    return latest();
  }

  /**
   * Reads the files of {@code revision} under the configured path.
   *
   * @param revision a revision this source returned from {@link #latest()} or {@link #resolve}
   * @return the selected files, paths relative to the configured path
   * @throws SourceException when the revision cannot be read (or, for a directory, has changed)
   */
  Snapshot fetch(Revision revision);

  /**
   * What this source's {@link #latest()} asks, so that many sources asking the same thing are
   * polled once: sources with equal keys resolve to the same revision at the same moment (for Git:
   * the same repository URL and ref, whatever path each reads). A
   * {@link dev.gitops.reconcile.Fleet} calls {@code latest()} on one of them per poll and hands the
   * revision to all. Wrappers forward it.
   *
   * @return the key, never printed with credentials; empty (the default) to be polled alone
   */
  default Optional<String> pollKey() {
    return Optional.empty();
  }

  /**
   * A key of what {@link #fetch(Revision)} reads at {@code revision}: equal keys mean equal
   * snapshots, so a revision that leaves this source's files as they were need not be read again
   * (for Git: the id of the tree at the configured path, cheap once the commit is in the cache).
   * Wrappers forward it.
   *
   * @param revision a revision this source, or one with the same {@link #pollKey()}, returned
   * @return the key; the default is the revision's id (every revision counts as a change)
   * @throws SourceException when the revision cannot be read
   */
  default String contentKey(Revision revision) {
    return revision.id();
  }

  /** {@return a short description for logs and errors, with credentials masked} */
  default String describe() {
    return getClass().getSimpleName();
  }
}

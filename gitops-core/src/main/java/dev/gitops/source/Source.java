package dev.gitops.source;

import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;

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

  /** {@return a short description for logs and errors, with credentials masked} */
  default String describe() {
    return getClass().getSimpleName();
  }
}

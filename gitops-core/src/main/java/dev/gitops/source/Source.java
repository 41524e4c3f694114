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
   */
  Revision latest();

  /**
   * Resolves {@code ref} (a branch, a tag, a commit id, {@code semver:<range>}) instead of the
   * configured one. Sources that have no refs treat every ref as their one revision.
   */
  default Revision resolve(String ref) {
    return latest();
  }

  /** Reads the files of {@code revision} under the configured path. */
  Snapshot fetch(Revision revision);

  /** A short description for logs and errors, with credentials masked. */
  default String describe() {
    return getClass().getSimpleName();
  }
}

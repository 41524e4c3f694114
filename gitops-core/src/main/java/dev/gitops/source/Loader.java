package dev.gitops.source;

import dev.gitops.model.DesiredState;
import dev.gitops.model.Snapshot;

/**
 * Turns a snapshot's files into a validated desired state. Adapters supply loaders
 * ({@code ManifestLoader} for Kubernetes, {@code FileTreeLoader} for hosts).
 *
 * <p>A loader reports every problem it finds at once: it throws one
 * {@link dev.gitops.model.InvalidDesiredStateException} listing each with file and line.
 *
 * <p>Implementations should be thread-safe: one loader may serve reconcilers running at once (a pull
 * agent and a push deployer over one {@code Reconciler}).
 */
@FunctionalInterface
public interface Loader {
  /**
   * Loads and validates.
   *
   * @param snapshot the files of one revision, by path
   * @return the desired state, every resource carrying the file and line it came from
   * @throws dev.gitops.model.InvalidDesiredStateException listing every problem found
   */
  DesiredState load(Snapshot snapshot);
}

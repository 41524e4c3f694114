package dev.gitops.k8s;

import dev.gitops.diff.DiffOptions;
import dev.gitops.diff.Differ;

/**
 * The differ of a target's plan options, compiled once, on first use, and shared by the checks that
 * judge an object as the plan will ({@link ImmutableFields}, {@link AdmissionKept}): most reads need
 * neither. Thread-safe (two threads may both compile it the first time; one is kept). Not public API.
 */
final class LazyDiffer {
  private final DiffOptions options;
  private volatile Differ differ;

  LazyDiffer(DiffOptions options) {
    this.options = options;
  }

  /** {@return the options the differ compares with} */
  DiffOptions options() {
    return options;
  }

  /** {@return the differ, compiled on the first call} */
  Differ get() {
    Differ d = differ;
    if (d == null) {
      d = new Differ(options);
      differ = d;
    }
    return d;
  }
}

package dev.gitops.samples.cli;

import dev.gitops.reconcile.ReconcileListener;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.source.Source;

/** Builds the reconciler every command runs. */
final class Reconcilers {
  private Reconcilers() {}

  static Reconciler of(String owner, Source source, Binding binding, ReconcileListener listener) {
    return Reconciler.builder().name(owner).source(source).loader(binding.loader())
        .target(binding.target()).applyOptions(binding.applyOptions()).listener(listener).build();
  }
}

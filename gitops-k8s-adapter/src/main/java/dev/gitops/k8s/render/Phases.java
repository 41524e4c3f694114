package dev.gitops.k8s.render;

import java.util.Locale;

/**
 * How long each phase of one load took (wall clock), for the loader's debug line, e.g.
 * {@code digest 9 ms, copy 35 ms, kustomize 2012 ms, ...; total 2240 ms}. Used by one thread.
 */
final class Phases {
  private final long start = System.nanoTime();
  private long last = start;
  private final StringBuilder done = new StringBuilder();

  /** Ends phase {@code name} now: it took the time since the last phase ended. */
  void end(String name) {
    long now = System.nanoTime();
    add(name, now - last);
    last = now;
  }

  /** Adds {@code name}, which took {@code nanos} beside the phases (e.g. during another one). */
  void add(String name, long nanos) {
    done.append(done.length() == 0 ? "" : ", ").append(name).append(' ').append(millis(nanos)).append(" ms");
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }

  @Override
  public String toString() {
    return done + "; total " + millis(System.nanoTime() - start) + " ms";
  }
}

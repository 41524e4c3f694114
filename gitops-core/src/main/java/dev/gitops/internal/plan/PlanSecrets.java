package dev.gitops.internal.plan;

import dev.gitops.diff.PathRule;
import java.util.ArrayList;
import java.util.List;

/** The sensitive paths every plan rendering masks. Not part of the public API. */
public final class PlanSecrets {
  /** Kubernetes Secret values: {@code /data/*} and {@code /stringData/*} of every Secret. */
  public static final List<PathRule> DEFAULTS = List.of(
      PathRule.forKind("Secret", "/data/*"), PathRule.forKind("Secret", "/stringData/*"));

  private PlanSecrets() {}

  /** {@link #DEFAULTS} followed by {@code extra}. */
  public static List<PathRule> rules(List<PathRule> extra) {
    List<PathRule> out = new ArrayList<>(DEFAULTS);
    out.addAll(extra);
    return out;
  }
}

package dev.gitops.model;

import dev.gitops.internal.Checks;
import java.util.List;
import java.util.Objects;

/**
 * A command the target runs once when any resource matching one of its globs is created, updated
 * or deleted by a plan — e.g. {@code nginx -t && systemctl reload nginx} after {@code nginx/**}
 * changed. The planner turns a triggered handler into a {@code run} step of the plan, naming the
 * resources that triggered it; it is never a hidden side effect.
 *
 * @param name short name, unique in a desired state
 * @param command the command, run by the target (for hosts: {@code sh -c}, the command passed as one
 *     argument, never concatenated with paths)
 * @param globs globs over resource names (file paths), e.g. {@code nginx/**}: the lines of one
 *     {@link PathGlob}, with gitignore semantics ({@code !} un-matches what an earlier line matched)
 * @param origin where it was declared
 */
public record Handler(String name, String command, List<String> globs, Origin origin) {
  /**
   * Validates (every glob must compile; {@link IllegalArgumentException} otherwise) and copies.
   *
   * @param name short name, unique in a desired state; not blank
   * @param command the command the target runs; not blank
   * @param globs globs over file paths with gitignore semantics; at least one pattern
   * @param origin where it was declared; null becomes {@link Origin#UNKNOWN}
   */
  public Handler {
    Checks.notBlank(name, "name");
    Checks.notBlank(command, "command");
    globs = List.copyOf(globs);
    if (!PathGlob.of(globs).hasPatterns()) {
      throw new IllegalArgumentException("handler " + ResourceId.escape(name) + " needs at least one glob");
    }
    origin = Objects.requireNonNullElse(origin, Origin.UNKNOWN);
  }

  /** {@return the id under which the handler's run step appears in plans: {@code Handler//name}} */
  public ResourceId id() {
    return ResourceId.of("Handler", "", name);
  }

  /** {@code Handler name (file:line)}, the name {@linkplain ResourceId#escape(String) escaped}. */
  @Override
  public String toString() {
    return "Handler " + ResourceId.escape(name) + " (" + origin + ")";
  }
}

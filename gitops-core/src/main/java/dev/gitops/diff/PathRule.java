package dev.gitops.diff;

import dev.gitops.internal.Checks;
import dev.gitops.model.ResourceId;
import java.util.Objects;

/**
 * Selects paths in resources: resources by group, kind and name ({@code *} matches any), paths by a
 * JSON pointer whose segments may be {@code *} (any one segment), e.g. {@code /data/*} or
 * {@code /spec/template/spec/containers/*}/image}. Used for ignore rules and sensitive paths.
 *
 * @param group API group or {@code *}
 * @param kind kind or {@code *}
 * @param name name or {@code *}
 * @param pointer JSON pointer with optional {@code *} segments; {@code ""} selects the whole tree
 */
public record PathRule(String group, String kind, String name, String pointer) {
  /**
   * Validates.
   *
   * @param group API group ({@code ""} for the core group) or {@code *}; not null
   * @param kind kind or {@code *}; not blank
   * @param name name or {@code *}; not blank
   * @param pointer JSON pointer starting with {@code /}, or {@code ""} for the whole tree; anything
   *     else throws {@link IllegalArgumentException}
   */
  public PathRule {
    Objects.requireNonNull(group, "group");
    Checks.notBlank(kind, "kind");
    Checks.notBlank(name, "name");
    Objects.requireNonNull(pointer, "pointer");
    if (!pointer.isEmpty() && !pointer.startsWith("/")) {
      throw new IllegalArgumentException("a JSON pointer starts with '/': " + pointer);
    }
  }

  /**
   * A rule for every resource of {@code kind} in any group.
   *
   * @param kind the kind to match, e.g. {@code Deployment}, or {@code *}
   * @param pointer JSON pointer with optional {@code *} segments, e.g. {@code /spec/replicas}
   * @return a rule matching any group and any name
   */
  public static PathRule forKind(String kind, String pointer) {
    return new PathRule("*", kind, "*", pointer);
  }

  /**
   * A rule for every resource.
   *
   * @param pointer JSON pointer with optional {@code *} segments, e.g. {@code /metadata/labels/*}
   * @return a rule matching any group, kind and name
   */
  public static PathRule forAll(String pointer) {
    return new PathRule("*", "*", "*", pointer);
  }

  /**
   * Tells whether this rule selects paths in a resource.
   *
   * @param id the resource
   * @return true when group, kind and name each match exactly or by {@code *}
   */
  public boolean appliesTo(ResourceId id) {
    return ("*".equals(group) || group.equals(id.group()))
        && ("*".equals(kind) || kind.equals(id.kind()))
        && ("*".equals(name) || name.equals(id.name()));
  }

  /** {@code group/kind/name: pointer}, with {@code *} where any matches. */
  @Override
  public String toString() {
    return (group.isEmpty() ? "" : group + "/") + kind + "/" + name + ": " + pointer;
  }
}

package dev.gitops.diff;

import dev.gitops.internal.diff.SecretValues;
import dev.gitops.model.ResourceId;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The differences between one resource's actual and desired content, after normalisation and
 * ignore rules, with a count of what the rules hid.
 *
 * @param id the resource
 * @param changes differences that count as drift, sorted by path
 * @param suppressed differences hidden by rules, one entry per rule
 */
public record ResourceDiff(ResourceId id, List<Change> changes, List<Suppressed> suppressed) {
  /**
   * Validates and copies.
   *
   * @param id the resource; not null
   * @param changes differences that count as drift, sorted by path; copied
   * @param suppressed differences hidden by rules, one entry per rule; copied
   */
  public ResourceDiff {
    Objects.requireNonNull(id, "id");
    changes = List.copyOf(changes);
    suppressed = List.copyOf(suppressed);
  }

  /**
   * A diff with no changes and nothing suppressed.
   *
   * @param id the resource
   * @return the empty diff, e.g. for a file whose content and mode match
   */
  public static ResourceDiff none(ResourceId id) {
    return new ResourceDiff(id, List.of(), List.of());
  }

  /** {@return true when nothing counts as drift (suppressed differences do not)} */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** {@return true when any change is sensitive, so its values must be masked when shown} */
  public boolean hasSensitive() {
    return changes.stream().anyMatch(Change::sensitive);
  }

  /**
   * Why differences are not shown: one line per rule with its count, e.g.
   * {@code apps/Deployment/default/web: 3 hidden by ignore Deployment: /status} or, for a reason a
   * {@link FieldSchema} gave, {@code apps/Deployment/default/web: 1 hidden by zero value};
   * {@code ""} when none were.
   *
   * @return the lines, joined with {@code \n}; never values
   */
  public String explain() {
    return suppressed.stream().map(s -> id + ": " + s).collect(Collectors.joining("\n"));
  }

  /**
   * The id and one line per change ({@link Change#toString()}): sensitive values masked, a file's
   * text shown by its length, and the values of a Kubernetes Secret ({@code /data},
   * {@code /stringData}) masked even when no sensitive rule was given.
   */
  @Override
  public String toString() {
    return id + changes.stream().map(c -> "\n  " + (secretValue(c) ? masked(c) : c))
        .collect(Collectors.joining());
  }

  private static Change masked(Change c) {
    return new Change(c.op(), c.path(), c.before(), c.after(), true);
  }

  private boolean secretValue(Change c) {
    return !c.sensitive() && SecretValues.at(id, c.path());
  }
}

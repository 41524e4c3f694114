package dev.gitops.model;

import dev.gitops.internal.Checks;
import java.time.Instant;
import java.util.Objects;

/**
 * One revision of the desired state: a Git commit (or a content digest for a plain directory).
 *
 * @param id commit id (40 hex digits) or {@code sha256:...} digest; never blank
 * @param ref what it was resolved from ({@code main}, {@code v1.2.0}, {@code semver:>=1.0.0})
 * @param author author name and e-mail, {@code ""} when unknown
 * @param time commit time, {@link Instant#EPOCH} when unknown
 * @param message commit message, {@code ""} when unknown
 */
public record Revision(String id, String ref, String author, Instant time, String message) {
  /** Validates; nulls become empty values. */
  public Revision {
    Checks.notBlank(id, "id");
    ref = Objects.requireNonNullElse(ref, "");
    author = Objects.requireNonNullElse(author, "");
    time = Objects.requireNonNullElse(time, Instant.EPOCH);
    message = Objects.requireNonNullElse(message, "");
  }

  /** A revision known only by id. */
  public static Revision of(String id) {
    return new Revision(id, "", "", Instant.EPOCH, "");
  }

  /** The first 12 characters of a commit id, the whole id otherwise. */
  public String shortId() {
    return id.matches("[0-9a-f]{40,64}") ? id.substring(0, 12) : id;
  }

  @Override
  public String toString() {
    return shortId() + (ref.isEmpty() ? "" : " (" + ref + ")");
  }
}

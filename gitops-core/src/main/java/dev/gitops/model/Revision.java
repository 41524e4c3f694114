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
  /**
   * Validates; nulls become empty values.
   *
   * @param id commit id or content digest; not blank
   * @param ref what it was resolved from; null becomes {@code ""}
   * @param author author name and e-mail; null becomes {@code ""}
   * @param time commit time; null becomes {@link Instant#EPOCH}
   * @param message commit message; null becomes {@code ""}
   */
  public Revision {
    Checks.notBlank(id, "id");
    ref = Objects.requireNonNullElse(ref, "");
    author = Objects.requireNonNullElse(author, "");
    time = Objects.requireNonNullElse(time, Instant.EPOCH);
    message = Objects.requireNonNullElse(message, "");
  }

  /**
   * A revision known only by id.
   *
   * @param id commit id or content digest; not blank
   * @return a revision with empty ref, author and message and time {@link Instant#EPOCH}
   */
  public static Revision of(String id) {
    return new Revision(id, "", "", Instant.EPOCH, "");
  }

  /**
   * {@return the first 12 characters of a commit id (40 to 64 lower-case hex digits), the whole id
   * otherwise (a {@code sha256:} digest is never shortened)}
   */
  public String shortId() {
    return id.matches("[0-9a-f]{40,64}") ? id.substring(0, 12) : id;
  }

  @Override
  public String toString() {
    return shortId() + (ref.isEmpty() ? "" : " (" + ref + ")");
  }
}

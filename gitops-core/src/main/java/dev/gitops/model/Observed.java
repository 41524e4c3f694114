package dev.gitops.model;

import dev.gitops.internal.tune.Tuning;
import java.util.Objects;

/**
 * One resource as a target reported it, with who owns it.
 *
 * @param resource the resource as it is on the target
 * @param owner name of the reconciler that owns it, {@code ""} when nobody does
 * @param version the target's version of the resource (Kubernetes {@code resourceVersion}),
 *     {@code ""} when the target has none; the applier's stale-plan check uses it when set,
 *     else the content digest
 * @param lastApplied what this owner applied last time, when the target records it (for three-way
 *     diffs that remove fields which left the desired state), else null
 */
public record Observed(Resource resource, String owner, String version, Content lastApplied) {
  /**
   * Validates; nulls become {@code ""}.
   *
   * @param resource the resource as it is on the target; not null
   * @param owner the owning reconciler's name; null or {@code ""} when nobody owns it
   * @param version the target's version of the resource; null or {@code ""} when it has none
   * @param lastApplied what this owner applied last time, null when not recorded
   */
  public Observed {
    Objects.requireNonNull(resource, "resource");
    owner = Tuning.name(Objects.requireNonNullElse(owner, ""));
    version = Objects.requireNonNullElse(version, "");
  }

  /**
   * An observed resource with no version and no last-applied record.
   *
   * @param resource the resource as it is on the target; not null
   * @param owner the owning reconciler's name, {@code ""} when nobody owns it
   * @return the observation; its fingerprint is the content digest
   */
  public static Observed of(Resource resource, String owner) {
    return new Observed(resource, owner, "", null);
  }

  /** {@return the resource's id} */
  public ResourceId id() {
    return resource.id();
  }

  /**
   * Tells whether one reconciler owns this resource.
   *
   * @param name a reconciler name
   * @return true when {@code name} owns it; false for another owner or nobody
   */
  public boolean isOwnedBy(String name) {
    return owner.equals(name);
  }

  /**
   * What a plan records as the precondition for changing this resource: the version when the
   * target has one, else the content digest. The applier re-reads and compares.
   *
   * @return {@code version:<version>} when the target gave a version, else the content's
   *     {@code sha256:} digest
   */
  public String fingerprint() {
    return version.isEmpty() ? resource.content().digest() : "version:" + version;
  }

  @Override
  public String toString() {
    return resource.id() + (owner.isEmpty() ? " (unowned)" : " (owner " + owner + ")");
  }
}

package dev.gitops.source;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

/**
 * Picks the commit a ref names among the refs a remote advertises: {@code HEAD}, a full ref name
 * ({@code refs/...}), a branch, a tag, or {@code semver:<range>} (the highest matching tag). Not part
 * of the public API.
 */
final class RefResolver {
  /** Prefix of a semantic-version range ref. */
  public static final String SEMVER = "semver:";

  private RefResolver() {}

  /**
   * A resolved ref.
   *
   * @param name the full ref name it resolved to
   * @param id the object the ref points at: a commit, or an annotated tag (peel it with
   *     {@code RevWalk.parseCommit}); fetching it brings the tag and its signature into the cache
   */
  public record Resolved(String name, ObjectId id) {}

  /** The ref's target, or empty when the remote has no such ref. */
  public static Optional<Resolved> resolve(Map<String, Ref> advertised, String ref) {
    if (ref.startsWith(SEMVER)) {
      SemverRange range = SemverRange.parse(ref.substring(SEMVER.length()));
      Map<String, String> byTag = advertised.keySet().stream()
          .filter(n -> n.startsWith("refs/tags/") && !n.endsWith("^{}"))
          .collect(Collectors.toMap(n -> n.substring("refs/tags/".length()), n -> n));
      return range.highest(byTag.keySet()).map(tag -> of(advertised.get(byTag.get(tag))));
    }
    for (String name : new String[] {ref, "refs/heads/" + ref, "refs/tags/" + ref}) {
      if ((name.equals("HEAD") || name.startsWith("refs/")) && advertised.containsKey(name)) {
        Ref r = advertised.get(name);
        if (r.getObjectId() != null) {
          return Optional.of(of(r));
        }
      }
    }
    return Optional.empty();
  }

  /** True for a full (40 or 64 hex digit) object id. */
  public static boolean isObjectId(String ref) {
    return ref.matches("[0-9a-f]{40}|[0-9a-f]{64}");
  }

  private static Resolved of(Ref r) {
    return new Resolved(r.getName(), r.getObjectId());
  }
}

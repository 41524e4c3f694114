package dev.gitops.ssh;

import dev.gitops.diff.RedactionKey;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The version a files target reports for a file, which a plan records as the precondition of the
 * steps that change it: an HMAC under the process's {@link RedactionKey} of the file's id, the
 * SHA-256 of its bytes and its mode (for a large file, its content digest), so that a file the host
 * proved by digest ({@link HostDigests}) needs no second pass over its bytes. A saved plan thus never holds an unkeyed digest of a file that
 * is on the target — for a file whose content a sensitive rule hides, whoever reads the plan cannot
 * confirm a guess of it offline — while equal files still compare equal under one key. Whoever
 * plans and whoever applies a saved plan use the same key (as for redaction markers); a plan made
 * under another key is refused as stale, never applied. Not part of the public API.
 */
final class FileVersion {
  private FileVersion() {}

  /** The observation of {@code content} at {@code path}, owned by {@code owner}, with its keyed version. */
  public static Observed observed(String path, Content.Bytes content, String owner) {
    return observed(path, content, owner, null);
  }

  /** As {@link #observed(String, Content.Bytes, String)}, with the SHA-256 of the bytes when known (else null). */
  static Observed observed(String path, Content.Bytes content, String owner, String sha256) {
    return observed(path, content, owner, sha256, null);
  }

  /** As {@link #observed(String, Content.Bytes, String, String)}, with the keyed version when already known. */
  private static Observed observed(String path, Content.Bytes content, String owner, String sha256, String version) {
    ResourceId id = ResourceId.file(path);
    return new Observed(Resource.of(id, content), owner,
        version != null ? version : of(id, content, sha256), null);
  }

  /** The fingerprint a read reports for {@code content} at {@code path}: {@link Observed#fingerprint()} of it. */
  public static String fingerprint(String path, Content.Bytes content) {
    return observed(path, content, "").fingerprint();
  }

  /**
   * What {@code read} found of {@code asked} and of the paths {@code owner}'s inventory lists, each
   * with its keyed version and its owner; those of {@code shared} that are there as
   * {@link CaseClashes#SHARED}.
   */
  public static ActualState observe(RootRead read, String owner, Set<String> asked, Set<String> shared) {
    Set<String> paths = new TreeSet<>(asked);
    paths.addAll(read.inventory(owner).files().keySet());
    List<String> found = new ArrayList<>();
    List<Content.Bytes> contents = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    List<String> sums = new ArrayList<>();
    List<String> versions = new ArrayList<>();
    for (String path : paths) { // the read is not thread-safe: what it found is taken out here
      Content.Bytes content = read.content(path, read.inventory(owner).get(path));
      if (content != null && shared.contains(path)) {
        content = CaseClashes.SHARED;
      }
      if (content != null) {
        found.add(path);
        contents.add(content);
        owners.add(read.ownerOf(path, owner));
        sums.add(read.provenSha256(path));
        versions.add(read.provenVersion(path, content));
      }
    }
    // each keyed version is a SHA-256 of the file's bytes and an HMAC, independent of the others' and
    // on the path of every plan: a read of many files shares them out over the cores
    IntStream indices = IntStream.range(0, found.size());
    return ActualState.of((found.size() >= PARALLEL_FROM ? indices.parallel() : indices)
        .mapToObj(i -> observed(found.get(i), contents.get(i), owners.get(i), sums.get(i), versions.get(i))).toList());
  }

  /** Files from which a read's versions are computed in parallel (below, starting the pool costs more). */
  static final int PARALLEL_FROM = 64;

  private static String of(ResourceId id, Content.Bytes content, String sha256) {
    return keyed(RedactionKey.current(), id, content, sha256);
  }

  /** The keyed version under {@code key} of {@code content} at {@code path}, whose SHA-256 is {@code sha256} (or null). */
  static String keyed(RedactionKey key, String path, Content.Bytes content, String sha256) {
    return keyed(key, ResourceId.file(path), content, sha256);
  }

  private static String keyed(RedactionKey key, ResourceId id, Content.Bytes content, String sha256) {
    String digest = content.isLarge() ? content.digest()
        : (sha256 != null ? sha256 : content.sha256()) + " " + content.mode();
    return key.digest(id.toString().getBytes(StandardCharsets.UTF_8), digest.getBytes(StandardCharsets.UTF_8));
  }
}

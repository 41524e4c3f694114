package dev.gitops.model;

import dev.gitops.internal.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The files of one revision under the source's path: relative path to bytes and mode, sorted by
 * path. What a {@code Loader} turns into a {@link DesiredState}.
 *
 * @param revision the revision the files were read from
 * @param files relative path ({@code /}-separated, no leading slash) to content
 */
public record Snapshot(Revision revision, NavigableMap<String, Content.Bytes> files) {
  /**
   * Validates and copies.
   *
   * @param revision the revision the files were read from; not null
   * @param files relative path to content; copied into an unmodifiable sorted map
   */
  public Snapshot {
    Objects.requireNonNull(revision, "revision");
    files = Collections.unmodifiableNavigableMap(new TreeMap<>(files));
  }

  /**
   * A snapshot of the given files.
   *
   * @param revision the revision the files were read from; not null
   * @param files relative path ({@code /}-separated, no leading slash) to content, in any order
   * @return the snapshot, its files sorted by path
   */
  public static Snapshot of(Revision revision, Map<String, Content.Bytes> files) {
    return new Snapshot(revision, new TreeMap<>(files));
  }

  /**
   * Looks up one file.
   *
   * @param path relative path, {@code /}-separated, no leading slash
   * @return the file at {@code path}, or null when the snapshot has none there
   */
  public Content.Bytes file(String path) {
    return files.get(path);
  }

  /**
   * Reads one file as text.
   *
   * @param path relative path, {@code /}-separated, no leading slash
   * @return the file at {@code path} decoded as UTF-8 (malformed bytes replaced), or null when the
   *     snapshot has none there
   */
  public String text(String path) {
    Content.Bytes file = files.get(path);
    return file == null ? null : new String(file.data(), StandardCharsets.UTF_8);
  }

  /**
   * Digest over every path and its content: equal file sets have equal digests. The revision is
   * not part of it, so two commits with the same files digest alike.
   *
   * @return {@code "sha256:"} followed by 64 lower-case hex digits
   */
  public String digest() {
    MessageDigest d = Digests.sha256();
    files.forEach((path, bytes) -> {
      d.update(path.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(bytes.digest().getBytes(StandardCharsets.US_ASCII));
    });
    return Digests.format(d);
  }

  /** Revision and file count; never the content. */
  @Override
  public String toString() {
    return "Snapshot[" + revision + ", " + files.size() + " files]";
  }
}

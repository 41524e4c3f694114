package dev.gitops.ssh;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises a Git LFS pointer file, as the Git LFS specification ({@code docs/spec.md} of
 * git-lfs) defines one: under 1,024 bytes of {@code key value} lines, {@code version} first
 * ({@code https://git-lfs.github.com/spec/v1}, or the pre-release {@code hawser} address), then
 * any {@code ext-} lines, an {@code oid sha256:} of 64 hex digits and a {@code size}, and nothing else. A
 * {@code GitSource} and a {@code DirectorySource} refuse such files themselves; a snapshot from another
 * source may still hold one: deployed, the host would get the pointer's three lines in place of the
 * file. Not part of the public API.
 */
final class LfsPointer {
  /** The specification's limit: a pointer is smaller than this. */
  private static final int MAX_BYTES = 1024;
  /** Version first, extensions, then oid and size, each line ended by a line feed, nothing else. */
  private static final Pattern POINTER = Pattern.compile("version https://(?:git-lfs|hawser)\\.github\\.com/spec/v1\n"
      + "(?:ext-[0-9]+-[a-z0-9]+ sha256:[0-9a-f]{64}\n)*oid sha256:([0-9a-f]{64})\nsize ([0-9]+)\n");

  private LfsPointer() {}

  /**
   * Why {@code data} cannot be deployed, or null when it is no LFS pointer.
   *
   * @param data a file's bytes as Git stores them
   * @return a sentence naming the object and its size, or null
   */
  static String problem(byte[] data) {
    if (data.length >= MAX_BYTES || data.length < 20 || data[0] != 'v') {
      return null;
    }
    Matcher pointer = POINTER.matcher(new String(data, StandardCharsets.UTF_8));
    if (!pointer.matches()) {
      return null;
    }
    return "is a Git LFS pointer (object sha256:" + pointer.group(1).substring(0, 12) + "..., " + pointer.group(2)
        + " bytes), not the file: gitops deploys what Git stores and fetches no LFS objects; commit the file"
        + " itself (git lfs migrate export --include=<path>) or exclude it in " + TreeConfig.FILE;
  }
}

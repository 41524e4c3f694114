package dev.gitops.ssh;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The names a host can hold ({@link Host#limits()}), checked for every path before the first write.
 *
 * @param nameBytes the longest name of one file or directory, in bytes ({@code NAME_MAX})
 * @param pathBytes the size of the longest absolute path, terminating NUL included ({@code PATH_MAX})
 * @param charset how names are written as bytes; a name it cannot encode cannot be written
 */
public record HostLimits(int nameBytes, int pathBytes, Charset charset) {
  /** Linux's: 255 bytes a name, 4,096 a path, UTF-8. */
  public static final HostLimits LINUX = new HostLimits(255, 4096, StandardCharsets.UTF_8);

  /**
   * Validates.
   *
   * @param nameBytes the longest name, in bytes; positive
   * @param pathBytes the size of the longest path, NUL included; at least 2
   * @param charset how names are written as bytes; not null
   */
  public HostLimits {
    Objects.requireNonNull(charset, "charset");
    if (nameBytes < 1 || pathBytes < 2) {
      throw new IllegalArgumentException("limits must be positive: " + nameBytes + ", " + pathBytes);
    }
  }
}

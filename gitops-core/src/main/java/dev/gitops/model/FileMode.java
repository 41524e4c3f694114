package dev.gitops.model;

import static java.util.Objects.requireNonNullElse;

/**
 * Attributes of a file resource: POSIX permission bits and, optionally, owner and group names.
 *
 * @param permissions permission bits, {@code 0} to {@code 07777} (e.g. {@code 0644})
 * @param owner user name to own the file, {@code ""} to leave it to the target
 * @param group group name, {@code ""} to leave it to the target
 */
public record FileMode(int permissions, String owner, String group) {
  /** {@code 0644}, no owner or group. */
  public static final FileMode REGULAR = new FileMode(0644, "", "");
  /** {@code 0755}, no owner or group. */
  public static final FileMode EXECUTABLE = new FileMode(0755, "", "");

  /**
   * Validates the bits; null owner or group become {@code ""}.
   *
   * @param permissions permission bits, {@code 0} to {@code 07777}; anything else throws
   *     {@link IllegalArgumentException}
   * @param owner user name to own the file; null or {@code ""} leaves it to the target
   * @param group group name; null or {@code ""} leaves it to the target
   */
  public FileMode {
    if (permissions < 0 || permissions > 07777) {
      throw new IllegalArgumentException("permissions out of range: " + Integer.toOctalString(permissions));
    }
    owner = requireNonNullElse(owner, "");
    group = requireNonNullElse(group, "");
  }

  /**
   * Permission bits only.
   *
   * @param permissions permission bits, {@code 0} to {@code 07777}, in octal (e.g. {@code 0600})
   * @return a mode that leaves owner and group to the target
   */
  public static FileMode of(int permissions) {
    return new FileMode(permissions, "", "");
  }

  /**
   * This mode with other permission bits.
   *
   * @param bits the new permission bits, {@code 0} to {@code 07777}
   * @return a copy with the same owner and group
   */
  public FileMode withPermissions(int bits) {
    return new FileMode(bits, owner, group);
  }

  /**
   * Equal when permissions, owner and group are. Written out (a record's own is bootstrapped through
   * {@code java.lang.runtime.ObjectMethods}, about 9 ms of a command line's cold JVM, paid where a
   * read compares the first file's mode: after the host has answered).
   */
  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof FileMode m && permissions == m.permissions && owner.equals(m.owner)
        && group.equals(m.group);
  }

  @Override
  public int hashCode() {
    return (31 * permissions + owner.hashCode()) * 31 + group.hashCode();
  }

  /** Octal form, with owner and group when set: {@code 0644}, {@code 0640 root:adm}. */
  @Override
  public String toString() {
    String digits = Integer.toOctalString(permissions); // not String.format: a read prints one per file
    String bits = "0000".substring(Math.min(4, digits.length())) + digits;
    return owner.isEmpty() && group.isEmpty() ? bits : bits + " " + owner + ":" + group;
  }
}

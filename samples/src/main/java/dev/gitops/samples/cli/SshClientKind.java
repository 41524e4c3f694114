package dev.gitops.samples.cli;

import dev.gitops.ssh.SystemSshHost;
import java.util.Locale;

/**
 * Which SSH client an {@code ssh://} target goes through ({@code --ssh-client}): the system's OpenSSH
 * {@code ssh} ({@link SystemSshHost}), as git and Ansible use by default, or the one built into this
 * JVM (Apache MINA SSHD, {@code SshHost}). Either way only {@code --identity} and
 * {@code --known-hosts} count, and an unknown or changed host key is refused.
 */
public enum SshClientKind {
  /** The system's {@code ssh} when it is on {@code PATH}, else the built-in client: the default. */
  AUTO,
  /** The system's {@code ssh} (fails when it is not installed). */
  OPENSSH,
  /** Apache MINA SSHD, in this JVM. */
  BUILTIN;

  /** The option's values, as the help and errors print them. */
  public static final String VALUES = "auto, openssh or builtin";

  /**
   * The kind an option value names.
   *
   * @param value {@code auto}, {@code openssh} or {@code builtin}
   * @return the kind
   * @throws IllegalArgumentException naming the accepted values
   */
  public static SshClientKind parse(String value) {
    return switch (value == null ? "" : value) {
      case "auto" -> AUTO;
      case "openssh" -> OPENSSH;
      case "builtin" -> BUILTIN;
      default -> throw new IllegalArgumentException("--ssh-client=" + value + ": expected " + VALUES);
    };
  }

  /** {@return true when commands run through the system's {@code ssh}} */
  public boolean system() {
    return this == OPENSSH || this == AUTO && SystemSshHost.onPath("ssh");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

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
  /**
   * The default: for a command that only reads the target ({@code plan}), the system's {@code ssh}
   * when it is on {@code PATH}, else the built-in client; for a command that writes ({@code push},
   * {@code pull}, {@code apply}, {@code unlock}), the built-in client. A read is one remote command
   * and the system's {@code ssh} starts it without a cold JVM's handshake; a write is a command per
   * file step, each of which the system's {@code ssh} runs in a new remote login shell (0.5-0.75 s
   * each where {@code ~/.bashrc} is heavy: a 20-file push took 51 s against 4 s over MINA's SFTP).
   */
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

  /**
   * The client a command uses: this one, or for {@link #AUTO} the one that suits the command.
   *
   * @param writes true for a command that may write to the target
   * @return {@link #OPENSSH} or {@link #BUILTIN}
   */
  public SshClientKind forCommand(boolean writes) {
    if (this != AUTO) {
      return this;
    }
    return !writes && SystemSshHost.onPath("ssh") ? OPENSSH : BUILTIN;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

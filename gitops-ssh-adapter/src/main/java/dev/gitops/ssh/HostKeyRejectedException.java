package dev.gitops.ssh;

import dev.gitops.GitOpsException;
import dev.gitops.security.KnownHosts;

/**
 * An SSH server presented a host key that known_hosts does not vouch for, under the one rule of
 * {@link KnownHosts} that Git over SSH follows too: unknown (no entry for {@code host:port}),
 * changed (entries with other keys), revoked, or known_hosts unreadable. The connection was
 * refused; nothing was sent. Add the key to known_hosts after checking its fingerprint out of band.
 */
public class HostKeyRejectedException extends GitOpsException {
  private static final long serialVersionUID = 1L;
  /** The {@code host:port} connected to. */
  private final String hostAndPort;
  /** The presented key's fingerprint, {@code SHA256:...}. */
  private final String fingerprint;
  /** Why known_hosts did not vouch for the key. */
  private final KnownHosts.Status reason;

  /**
   * A refusal of an unknown or changed key.
   *
   * @param hostAndPort {@code host:port} connected to
   * @param fingerprint the presented key's fingerprint ({@code SHA256:...})
   * @param changed true when known_hosts lists another key for the host, false when it lists none
   * @param knownHosts the known_hosts file consulted
   */
  public HostKeyRejectedException(String hostAndPort, String fingerprint, boolean changed,
                                  String knownHosts) {
    super((changed ? "host key CHANGED for " : "unknown host key for ") + hostAndPort + ": "
        + fingerprint + (changed ? " does not match the key in " : " is not in ") + knownHosts
        + "; refusing to connect (check the fingerprint out of band, then update known_hosts)");
    this.hostAndPort = hostAndPort;
    this.fingerprint = fingerprint;
    this.reason = changed ? KnownHosts.Status.CHANGED : KnownHosts.Status.UNKNOWN;
  }

  /**
   * A refusal as {@link KnownHosts#check} gave it.
   *
   * @param hostAndPort {@code host:port} connected to
   * @param verdict the refusal; its message becomes this exception's
   */
  public HostKeyRejectedException(String hostAndPort, KnownHosts.Verdict verdict) {
    super(verdict.message() + "; refusing to connect (check the fingerprint out of band, then update"
        + " known_hosts)");
    if (verdict.accepted()) {
      throw new IllegalArgumentException("an accepted key is no refusal: " + verdict);
    }
    this.hostAndPort = hostAndPort;
    this.fingerprint = verdict.fingerprint();
    this.reason = verdict.status();
  }

  /**
   * The host connected to.
   *
   * @return {@code host:port}
   */
  public String hostAndPort() {
    return hostAndPort;
  }

  /**
   * The presented key.
   *
   * @return its fingerprint, {@code SHA256:...}
   */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * Whether known_hosts lists other keys for the host.
   *
   * @return true when the key changed; false when it was unknown, revoked or known_hosts unreadable
   */
  public boolean changed() {
    return reason == KnownHosts.Status.CHANGED;
  }

  /**
   * Why the key was refused.
   *
   * @return {@link KnownHosts.Status#UNKNOWN}, {@code CHANGED}, {@code REVOKED} or {@code UNREADABLE}
   */
  public KnownHosts.Status reason() {
    return reason;
  }
}

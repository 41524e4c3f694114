package dev.gitops.ssh;

import dev.gitops.GitOpsException;

/**
 * An SSH server presented a host key that known_hosts does not vouch for: unknown (no entry for
 * {@code host:port}) or changed (an entry with another key). The connection was refused; nothing
 * was sent. Add the key to known_hosts after checking its fingerprint out of band.
 */
public class HostKeyRejectedException extends GitOpsException {
  private static final long serialVersionUID = 1L;
  private final String hostAndPort;
  private final String fingerprint;
  private final boolean changed;

  /**
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
    this.changed = changed;
  }

  /** {@code host:port}. */
  public String hostAndPort() {
    return hostAndPort;
  }

  /** The presented key's fingerprint. */
  public String fingerprint() {
    return fingerprint;
  }

  /** True when the key changed; false when it was unknown. */
  public boolean changed() {
    return changed;
  }
}

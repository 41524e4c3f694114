package dev.gitops.ssh.internal;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * known_hosts verification that never accepts an unknown or changed key and never writes the
 * file; it remembers the last rejection so that the caller can report it. Not part of the public API.
 */
public final class StrictKnownHosts extends KnownHostsServerKeyVerifier {
  /**
   * A rejected key.
   *
   * @param fingerprint {@code SHA256:...}
   * @param changed true when known_hosts lists another key for the host
   */
  public record Rejection(String fingerprint, boolean changed) {}

  private volatile Rejection rejection;

  /** @param file the known_hosts file */
  public StrictKnownHosts(Path file) {
    super(RejectAllServerKeyVerifier.INSTANCE, file);
    setModifiedServerKeyAcceptor(this);
  }

  /** The last rejection, or null. */
  public Rejection rejection() {
    return rejection;
  }

  /** Forgets the last rejection. */
  public void reset() {
    rejection = null;
  }

  @Override
  protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
    rejection = new Rejection(KeyUtils.getFingerPrint(key), false);
    return false;
  }

  @Override
  public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
                                         PublicKey expected, PublicKey actual) {
    rejection = new Rejection(KeyUtils.getFingerPrint(actual), true);
    return false;
  }
}

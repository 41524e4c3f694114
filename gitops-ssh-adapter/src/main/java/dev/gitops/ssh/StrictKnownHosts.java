package dev.gitops.ssh;

import dev.gitops.security.KnownHosts;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * MINA SSHD's server key verifier, adapted from core's {@link KnownHosts}, the one strict check Git
 * over SSH uses too: nothing is decided here, and known_hosts is never written. Remembers the last
 * refusal so that the caller can report it. Not part of the public API.
 */
final class StrictKnownHosts implements ServerKeyVerifier {
  private final KnownHosts knownHosts;
  private volatile KnownHosts.Verdict rejection;

  /** @param file the known_hosts file */
  public StrictKnownHosts(Path file) {
    this.knownHosts = KnownHosts.of(file);
  }

  /** The check behind this verifier. */
  public KnownHosts knownHosts() {
    return knownHosts;
  }

  /** The last refusal, or null. */
  public KnownHosts.Verdict rejection() {
    return rejection;
  }

  /** Forgets the last rejection. */
  public void reset() {
    rejection = null;
  }

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
    SocketAddress target = session.getConnectAddress() != null ? session.getConnectAddress() : remote;
    String host;
    int port;
    if (target instanceof SshdSocketAddress a) {
      host = a.getHostName();
      port = a.getPort();
    } else {
      InetSocketAddress a = (InetSocketAddress) target;
      host = a.getHostString();
      port = a.getPort();
    }
    KnownHosts.Verdict v = knownHosts.check(host, port, key);
    if (!v.accepted()) {
      rejection = v;
    }
    return v.accepted();
  }
}

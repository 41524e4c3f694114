package dev.gitops.source;

import dev.gitops.security.KnownHosts;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * JGit's host key database, adapted from {@link KnownHosts}, the one strict check hosts use too:
 * nothing is decided here. Keeps the last refusal for the error message. Not part of the public API.
 */
final class StrictKnownHosts implements ServerKeyDatabase {
  private final KnownHosts knownHosts;
  private final AtomicReference<String> lastRejection = new AtomicReference<>();

  /** Checks against {@code file} (which need not exist: then every host is unknown). */
  public StrictKnownHosts(Path file) {
    this.knownHosts = KnownHosts.of(file);
  }

  @Override
  public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    HostAndPort h = HostAndPort.of(connectAddress);
    return knownHosts.keys(h.host, h.port);
  }

  @Override
  public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
      Configuration config, CredentialsProvider provider) {
    HostAndPort h = HostAndPort.of(connectAddress);
    KnownHosts.Verdict v = knownHosts.check(h.host, h.port, serverKey);
    if (!v.accepted()) {
      lastRejection.set(v.message());
    }
    return v.accepted();
  }

  /** Forgets the last refusal; call before a new remote operation. */
  public void reset() {
    lastRejection.set(null);
  }

  /** Why the last host key was refused, or null. */
  public String lastRejection() {
    return lastRejection.get();
  }

  /** JGit's connect address: {@code host}, or {@code [host]:port} for a port other than 22. */
  private record HostAndPort(String host, int port) {
    static HostAndPort of(String connectAddress) {
      int close = connectAddress.lastIndexOf("]:");
      if (connectAddress.startsWith("[") && close > 0) {
        return new HostAndPort(connectAddress.substring(1, close),
            Integer.parseInt(connectAddress.substring(close + 2)));
      }
      return new HostAndPort(connectAddress, 22);
    }
  }
}

package dev.gitops.internal.git;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * A known_hosts file checked strictly: a host key is accepted only when a line of the file names the
 * host (and port) with exactly that key. Unknown and changed keys are refused, never added; the
 * reason is kept for the error message. Reads the file with MINA SSHD's parser. Not part of the
 * public API.
 */
public final class StrictKnownHosts implements ServerKeyDatabase {
  private final Path file;
  private final AtomicReference<String> lastRejection = new AtomicReference<>();

  /** Checks against {@code file} (which need not exist: then every host is unknown). */
  public StrictKnownHosts(Path file) {
    this.file = file;
  }

  @Override
  public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    List<PublicKey> keys = new ArrayList<>();
    for (KnownHostEntry e : entries(connectAddress)) {
      PublicKey k = key(e);
      if (k != null) {
        keys.add(k);
      }
    }
    return keys;
  }

  @Override
  public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
      Configuration config, CredentialsProvider provider) {
    List<KnownHostEntry> matching = entries(connectAddress);
    boolean known = false;
    for (KnownHostEntry e : matching) {
      PublicKey k = key(e);
      if (k != null && KeyUtils.compareKeys(k, serverKey)) {
        if ("revoked".equals(e.getMarker())) {
          return reject("host key of " + connectAddress + " (" + fingerprint(serverKey) + ") is revoked in " + file);
        }
        known = true;
      }
    }
    if (known) {
      return true;
    }
    return reject(matching.isEmpty()
        ? "host " + connectAddress + " is not in known_hosts " + file + " (its key is " + fingerprint(serverKey)
            + "); unknown host keys are refused"
        : "host key of " + connectAddress + " has CHANGED (now " + fingerprint(serverKey)
            + ") and does not match known_hosts " + file + "; refused (possible man-in-the-middle)");
  }

  /** Forgets the last refusal; call before a new remote operation. */
  public void reset() {
    lastRejection.set(null);
  }

  /** Why the last host key was refused, or null. */
  public String lastRejection() {
    return lastRejection.get();
  }

  private boolean reject(String why) {
    lastRejection.set(why);
    return false;
  }

  private List<KnownHostEntry> entries(String connectAddress) {
    String host = connectAddress;
    int port = 22;
    if (connectAddress.startsWith("[") && connectAddress.contains("]:")) {
      host = connectAddress.substring(1, connectAddress.indexOf("]:"));
      port = Integer.parseInt(connectAddress.substring(connectAddress.indexOf("]:") + 2));
    }
    if (!Files.isRegularFile(file)) {
      return Collections.emptyList();
    }
    try {
      List<KnownHostEntry> out = new ArrayList<>();
      for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(file)) {
        if (e.isHostMatch(host, port) && !"cert-authority".equals(e.getMarker())) {
          out.add(e);
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      lastRejection.set("cannot read known_hosts " + file + ": " + e.getMessage());
      return Collections.emptyList();
    }
  }

  private static PublicKey key(KnownHostEntry e) {
    try {
      return e.getKeyEntry().resolvePublicKey(null, Collections.emptyMap(), PublicKeyEntryResolver.IGNORING);
    } catch (IOException | GeneralSecurityException | RuntimeException ex) {
      return null;
    }
  }

  private static String fingerprint(PublicKey key) {
    return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
  }
}

package dev.gitops.internal.git;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;

/**
 * Algorithm preferences of the Git SSH transport, handed to JGit as the ssh config of every host
 * ({@code KexAlgorithms} and {@code Ciphers} with the {@code ^} prefix: the named algorithms go to
 * the front, every other default stays enabled in its default order). MINA SSHD offers the
 * post-quantum hybrids ({@code sntrup761x25519}, {@code mlkem768x25519}) first; computed in Java
 * they cost several hundred milliseconds per handshake, so by default {@code curve25519-sha256}
 * goes first and the hybrids stay available as fallbacks (or first, on request). AES-GCM, which the
 * JDK accelerates, goes before ChaCha20-Poly1305. Nothing else is configured: host name, port, user
 * and identities come from the URL and the source's options, host keys from the strict
 * known_hosts database. Not part of the public API.
 */
public final class SshAlgorithms implements SshConfigStore {
  private static final List<String> GCM =
      List.of(BuiltinCiphers.aes128gcm.getName(), BuiltinCiphers.aes256gcm.getName());

  private final HostConfig config;

  /** Preferences with {@code curve25519-sha256} first, or the post-quantum hybrids first. */
  public SshAlgorithms(boolean postQuantumFirst) {
    this.config = new Preferences(Map.of(
        SshConstants.KEX_ALGORITHMS, "^" + String.join(",", kexFront(postQuantumFirst)),
        SshConstants.CIPHERS, "^" + String.join(",", GCM)));
  }

  /**
   * The key exchanges put at the front of MINA's supported defaults, in MINA's order: the
   * {@code curve25519} ones, preceded by the supported post-quantum hybrids when
   * {@code postQuantumFirst}.
   */
  public static List<String> kexFront(boolean postQuantumFirst) {
    List<String> supported = NamedResource.getNameList(ClientBuilder.setUpDefaultKeyExchanges(true));
    List<String> front = new ArrayList<>();
    if (postQuantumFirst) {
      supported.stream().filter(SshAlgorithms::isHybrid).forEach(front::add);
    }
    supported.stream().filter(n -> n.startsWith("curve25519")).forEach(front::add);
    return front;
  }

  /** Whether {@code kex} is a post-quantum hybrid key exchange. */
  public static boolean isHybrid(String kex) {
    return kex.startsWith("sntrup") || kex.startsWith("mlkem");
  }

  @Override
  public HostConfig lookup(String hostName, int port, String userName) {
    return config;
  }

  @Override
  public HostConfig lookupDefault(String hostName, int port, String userName) {
    return config;
  }

  /** The same two options for every host. */
  private record Preferences(Map<String, String> options) implements HostConfig {
    @Override
    public String getValue(String key) {
      return options.get(key);
    }

    @Override
    public List<String> getValues(String key) {
      return List.of();
    }

    @Override
    public Map<String, String> getOptions() {
      return options;
    }

    @Override
    public Map<String, List<String>> getMultiValuedOptions() {
      return Map.of();
    }
  }
}

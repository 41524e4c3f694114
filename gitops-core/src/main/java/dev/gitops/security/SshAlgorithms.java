package dev.gitops.security;

import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.common.BaseBuilder;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.BuiltinCiphers;

/**
 * The SSH algorithm policy of every connection the library opens: Git over SSH
 * ({@code GitSource}) and hosts ({@code SshHost} in gitops-ssh-adapter) offer exactly these lists,
 * in this order. Both run on Apache MINA SSHD; the lists name only algorithms MINA supports on this
 * JVM. A host reached through the system's OpenSSH client ({@code SystemSshHost}) gets the same rule
 * in that client's terms: {@link #keyExchangesFirst} ahead of its own order, {@link #cipherNames}.
 *
 * <ul>
 *   <li><b>Key exchange:</b> every key exchange MINA enables stays enabled. MINA offers the
 *       post-quantum hybrids ({@code mlkem768x25519-sha256}, {@code sntrup761x25519-sha512}, when
 *       Bouncy Castle is present) first; computed in Java they cost several hundred milliseconds per
 *       handshake, so by default {@code curve25519-sha256} goes first and the hybrids follow it, ahead
 *       of the rest in MINA's order; {@code postQuantumFirst} puts the hybrids first again.
 *   <li><b>Ciphers:</b> AES-GCM (which the JDK accelerates) first, then ChaCha20-Poly1305, then
 *       AES-CTR. The CBC modes MINA still enables are not offered (OpenSSH's client stopped offering
 *       them in 6.7).
 * </ul>
 *
 * Host key algorithms are MINA's, in the order {@link KnownHosts#hostKeyAlgorithms} gives for the
 * host (the types known_hosts lists for it first, as OpenSSH's {@code ssh} orders them; JGit orders
 * them so by itself, from the keys {@link KnownHosts#keys} lists). Everything else (MACs,
 * compression) is MINA's default. Stateless and thread-safe.
 *
 * <pre>{@code
 * String kex = String.join(",", SshAlgorithms.keyExchanges(false));   // curve25519-sha256,...
 * }</pre>
 */
public final class SshAlgorithms {
  /** The ciphers, by their SSH names (no MINA class is loaded to name them). */
  private static final List<String> CIPHERS = List.of("aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
      "chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr");
  /** The key exchanges put ahead of the post-quantum hybrids unless those go first. */
  private static final List<String> CURVES = List.of("curve25519-sha256", "curve25519-sha256@libssh.org");

  private SshAlgorithms() {}

  /**
   * The key exchanges to offer, most preferred first.
   *
   * @param postQuantumFirst offer the post-quantum hybrids before {@code curve25519-sha256}
   * @return the names, e.g. {@code curve25519-sha256}; never empty
   */
  public static List<String> keyExchanges(boolean postQuantumFirst) {
    List<String> supported = NamedResource.getNameList(ClientBuilder.setUpDefaultKeyExchanges(true));
    List<String> hybrids = supported.stream().filter(SshAlgorithms::isPostQuantumHybrid).toList();
    List<String> curves = supported.stream().filter(CURVES::contains).toList();
    List<String> out = new ArrayList<>();
    if (postQuantumFirst) {
      out.addAll(hybrids);
    }
    out.addAll(curves);
    if (!postQuantumFirst) {
      out.addAll(hybrids);
    }
    supported.stream().filter(n -> !out.contains(n)).forEach(out::add);
    return List.copyOf(out);
  }

  /**
   * The ciphers to offer, most preferred first (the same both ways).
   *
   * @return the names, e.g. {@code aes128-gcm@openssh.com}; never empty
   */
  public static List<String> ciphers() {
    List<String> enabled = NamedResource.getNameList(
        NamedFactory.setUpBuiltinFactories(false, BaseBuilder.DEFAULT_CIPHERS_PREFERENCE));
    return CIPHERS.stream().map(BuiltinCiphers::fromFactoryName).filter(c -> c != null && c.isSupported())
        .map(BuiltinCiphers::getName).filter(enabled::contains).toList();
  }

  /**
   * The same policy for a client that keeps its own list of key exchanges, such as OpenSSH's
   * {@code ssh} ({@code SystemSshHost} in gitops-ssh-adapter): the key exchanges to move to the head of
   * that client's default order ({@code curve25519-sha256} and its {@code @libssh.org} alias, ahead of
   * the hybrids, which OpenSSH too offers first), or none when {@code postQuantumFirst}. Loads no MINA
   * class.
   *
   * @param postQuantumFirst offer the post-quantum hybrids first (the client's own order)
   * @return the names to put first, possibly empty
   */
  public static List<String> keyExchangesFirst(boolean postQuantumFirst) {
    return postQuantumFirst ? List.of() : CURVES;
  }

  /**
   * {@link #ciphers()} by name, for a client that supports every one of them (OpenSSH since 6.5).
   * Loads no MINA class.
   *
   * @return the names, most preferred first; never empty
   */
  public static List<String> cipherNames() {
    return CIPHERS;
  }

  /**
   * Whether {@code keyExchange} is a post-quantum hybrid ({@code sntrup...}, {@code mlkem...}).
   *
   * @param keyExchange a key exchange name
   * @return true for a hybrid
   */
  public static boolean isPostQuantumHybrid(String keyExchange) {
    return keyExchange.startsWith("sntrup") || keyExchange.startsWith("mlkem");
  }
}

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
 * JVM.
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
 * Everything else (MACs, host key algorithms, compression) is MINA's default. Stateless and
 * thread-safe.
 *
 * <pre>{@code
 * String kex = String.join(",", SshAlgorithms.keyExchanges(false));   // curve25519-sha256,...
 * }</pre>
 */
public final class SshAlgorithms {
  private static final List<BuiltinCiphers> CIPHERS = List.of(BuiltinCiphers.aes128gcm,
      BuiltinCiphers.aes256gcm, BuiltinCiphers.cc20p1305_openssh, BuiltinCiphers.aes128ctr,
      BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr);

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
    List<String> curves = supported.stream().filter(n -> n.startsWith("curve25519")).toList();
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
    return CIPHERS.stream().filter(BuiltinCiphers::isSupported).map(BuiltinCiphers::getName)
        .filter(enabled::contains).toList();
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

package dev.gitops.ssh.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.kex.KeyExchangeFactory;

/**
 * Algorithm preferences of the SSH client. MINA SSHD offers the post-quantum hybrids
 * ({@code sntrup761x25519}, {@code mlkem768x25519}) first; in pure Java they cost several hundred
 * milliseconds per handshake, so by default {@code curve25519-sha256} goes first and the hybrids stay
 * available as fallbacks (or first, on request). AES-GCM, which the JDK accelerates, goes before
 * ChaCha20-Poly1305. Every algorithm MINA enables stays enabled. Not part of the public API.
 */
public final class Algorithms {
  private Algorithms() {}

  /** Applies the preferences to {@code client}. */
  public static void prefer(SshClient client, boolean postQuantumFirst) {
    List<KeyExchangeFactory> kex = new ArrayList<>(ClientBuilder.setUpDefaultKeyExchanges(true));
    kex.sort(Comparator.comparingInt(f -> rank(f.getName(), postQuantumFirst)));
    client.setKeyExchangeFactories(kex);
    List<NamedFactory<Cipher>> ciphers = new ArrayList<>();
    for (BuiltinCiphers c : List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
        BuiltinCiphers.cc20p1305_openssh, BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr,
        BuiltinCiphers.aes256ctr)) {
      if (c.isSupported()) {
        ciphers.add(c);
      }
    }
    client.setCipherFactories(ciphers);
  }

  private static int rank(String name, boolean postQuantumFirst) {
    boolean hybrid = name.startsWith("sntrup") || name.startsWith("mlkem");
    if (hybrid) {
      return postQuantumFirst ? 0 : 2;
    }
    return name.startsWith("curve25519") ? 1 : 3;
  }
}

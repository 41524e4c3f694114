package dev.gitops.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.common.NamedResource;
import org.junit.jupiter.api.Test;

/** The one algorithm policy: what it offers and in which order (independent of MINA's own order). */
class SshAlgorithmsTest {
  private static final List<String> MINA_KEX = NamedResource.getNameList(ClientBuilder.setUpDefaultKeyExchanges(true));

  @Test
  void curve25519GoesFirstThenTheHybridsThenTheRestAndNothingIsDropped() {
    List<String> kex = SshAlgorithms.keyExchanges(false);
    assertEquals(List.of("curve25519-sha256", "curve25519-sha256@libssh.org"), kex.subList(0, 2));
    assertEquals(new HashSet<>(MINA_KEX), new HashSet<>(kex), "every key exchange MINA enables, once");
    assertEquals(MINA_KEX.size(), kex.size());
    int lastHybrid = -1;
    int firstOther = kex.size();
    for (int i = 2; i < kex.size(); i++) {
      if (SshAlgorithms.isPostQuantumHybrid(kex.get(i))) {
        lastHybrid = i;
      } else {
        firstOther = Math.min(firstOther, i);
      }
    }
    assertTrue(lastHybrid < firstOther, "the hybrids come right after curve25519: " + kex);
  }

  @Test
  void postQuantumFirstPutsEverySupportedHybridFirst() {
    List<String> kex = SshAlgorithms.keyExchanges(true);
    int curve = kex.indexOf("curve25519-sha256");
    assertTrue(kex.subList(0, curve).stream().allMatch(SshAlgorithms::isPostQuantumHybrid), kex.toString());
    assertEquals(kex.stream().filter(SshAlgorithms::isPostQuantumHybrid).count(), curve, kex.toString());
    assertEquals(new HashSet<>(SshAlgorithms.keyExchanges(false)), new HashSet<>(kex));
  }

  @Test
  void aesGcmFirstThenChaChaThenCtrAndNoCbc() {
    assertEquals(List.of("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com",
        "aes128-ctr", "aes192-ctr", "aes256-ctr"), SshAlgorithms.ciphers());
  }

  /** The system's OpenSSH gets the same rule: what goes ahead of its own order, the same ciphers. */
  @Test
  void aClientWithItsOwnListGetsTheSameHeadAndTheSameCiphers() {
    List<String> first = SshAlgorithms.keyExchangesFirst(false);
    assertEquals(SshAlgorithms.keyExchanges(false).subList(0, first.size()), first);
    assertTrue(SshAlgorithms.keyExchangesFirst(true).isEmpty(), "the client's own order puts its hybrids first");
    assertEquals(SshAlgorithms.ciphers(), SshAlgorithms.cipherNames());
  }

  @Test
  void hybridsAreKnownByName() {
    assertTrue(SshAlgorithms.isPostQuantumHybrid("sntrup761x25519-sha512@openssh.com"));
    assertTrue(SshAlgorithms.isPostQuantumHybrid("mlkem768x25519-sha256"));
    assertFalse(SshAlgorithms.isPostQuantumHybrid("curve25519-sha256"));
  }
}

package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.internal.git.SshAlgorithms;
import java.util.List;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;
import org.junit.jupiter.api.Test;

/** The ssh config GitSource hands to JGit: algorithm order only, everything else left to the URL and options. */
class SshAlgorithmsTest {

  @Test
  void curve25519GoesFirstAndTheHybridsKeepTheirDefaultPlaceAfterIt() {
    assertEquals(List.of("curve25519-sha256", "curve25519-sha256@libssh.org"), SshAlgorithms.kexFront(false));
    SshConfigStore.HostConfig c = new SshAlgorithms(false).lookup("example.com", 22, "git");
    assertEquals("^curve25519-sha256,curve25519-sha256@libssh.org", c.getValue(SshConstants.KEX_ALGORITHMS));
    assertEquals("^aes128-gcm@openssh.com,aes256-gcm@openssh.com", c.getValue(SshConstants.CIPHERS));
  }

  @Test
  void postQuantumFirstPutsEverySupportedHybridBeforeCurve25519() {
    List<String> front = SshAlgorithms.kexFront(true);
    int curve = front.indexOf("curve25519-sha256");
    assertTrue(curve > 0, front.toString());
    assertTrue(front.subList(0, curve).stream().allMatch(SshAlgorithms::isHybrid), front.toString());
    assertTrue(front.contains("sntrup761x25519-sha512@openssh.com"), front.toString());
    assertEquals("^" + String.join(",", front),
        new SshAlgorithms(true).lookup("example.com", 22, "git").getValue(SshConstants.KEX_ALGORITHMS));
  }

  @Test
  void nothingButTheAlgorithmsIsConfigured() {
    SshConfigStore.HostConfig c = new SshAlgorithms(false).lookupDefault("example.com", 2222, "git");
    assertEquals(2, c.getOptions().size());
    for (String key : List.of(SshConstants.HOST_NAME, SshConstants.PORT, SshConstants.USER,
        SshConstants.STRICT_HOST_KEY_CHECKING, SshConstants.USER_KNOWN_HOSTS_FILE)) {
      assertEquals(null, c.getValue(key), key);
    }
    assertTrue(c.getValues(SshConstants.IDENTITY_FILE).isEmpty());
    assertFalse(SshAlgorithms.isHybrid("curve25519-sha256"));
  }
}

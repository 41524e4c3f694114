package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.security.SshAlgorithms;
import java.util.List;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;
import org.junit.jupiter.api.Test;

/** The ssh config GitSource hands to JGit: the policy's full lists, everything else left to the URL and options. */
class GitSshConfigTest {

  @Test
  void jgitGetsThePolicysFullListsInOrder() {
    for (boolean pq : new boolean[] {false, true}) {
      SshConfigStore.HostConfig c = new GitSshConfig(pq).lookup("example.com", 22, "git");
      assertEquals(String.join(",", SshAlgorithms.keyExchanges(pq)), c.getValue(SshConstants.KEX_ALGORITHMS));
      assertEquals(String.join(",", SshAlgorithms.ciphers()), c.getValue(SshConstants.CIPHERS));
    }
  }

  @Test
  void nothingButTheAlgorithmsIsConfigured() {
    SshConfigStore.HostConfig c = new GitSshConfig(false).lookupDefault("example.com", 2222, "git");
    assertEquals(2, c.getOptions().size());
    for (String key : List.of(SshConstants.HOST_NAME, SshConstants.PORT, SshConstants.USER,
        SshConstants.STRICT_HOST_KEY_CHECKING, SshConstants.USER_KNOWN_HOSTS_FILE)) {
      assertEquals(null, c.getValue(key), key);
    }
    assertTrue(c.getValues(SshConstants.IDENTITY_FILE).isEmpty());
  }
}

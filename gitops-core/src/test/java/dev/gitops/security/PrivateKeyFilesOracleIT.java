package dev.gitops.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.SshKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which private key files are refused, checked against OpenSSH itself: {@code ssh-keygen -y -f KEY}
 * loads the key through {@code sshkey_perm_ok} as {@code ssh} does and fails with "bad permissions"
 * exactly when OpenSSH ignores the key. Every group and others mode, on a key this user owns and (as
 * root) on one another user owns.
 */
class PrivateKeyFilesOracleIT {
  @TempDir Path dir;

  @Test
  void everyModeAndOwnerIsRefusedExactlyWhenOpenSshRefusesIt() throws Exception {
    Path keygen = Path.of("/usr/bin/ssh-keygen");
    assumeTrue(Files.isExecutable(keygen), keygen + " is not installed: skipping");
    Path key = SshKeys.ed25519(dir.resolve("id_ed25519"), "");
    boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    List<String> differences = new ArrayList<>();
    int cases = 0;
    for (int owner : root ? new int[] {0, 65534} : new int[] {-1}) {
      if (owner >= 0) {
        Files.setAttribute(key, "unix:uid", owner);
      }
      for (int mode : modes(root)) {
        Files.setAttribute(key, "unix:mode", mode);
        Process p = new ProcessBuilder(keygen.toString(), "-y", "-f", key.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        boolean openssh = out.contains("bad permissions");
        boolean ours = PrivateKeyFiles.refusal(key).isPresent();
        cases++;
        if (openssh != ours) {
          differences.add(String.format("mode 0%03o owner %d: OpenSSH refuses %s, ours %s", mode, owner, openssh, ours));
        }
      }
    }
    assertEquals(List.of(), differences, "of " + cases + " cases");
  }

  /**
   * Every group and others mode under owner bits {@code 6}, and the owner bits {@code 0}, {@code 4},
   * {@code 7} under a few (one {@code ssh-keygen} costs ~25 ms; the owner bits are not part of the rule).
   */
  private static List<Integer> modes(boolean root) {
    List<Integer> modes = new ArrayList<>();
    for (int groupAndOthers = 0; groupAndOthers <= 077; groupAndOthers++) {
      modes.add(0600 | groupAndOthers);
    }
    for (int owner : new int[] {0, 4, 7}) {
      for (int groupAndOthers : new int[] {0, 004, 040, 044, 077}) {
        if (root || owner >= 4) { // a mode this user can read
          modes.add(owner << 6 | groupAndOthers);
        }
      }
    }
    return modes;
  }
}

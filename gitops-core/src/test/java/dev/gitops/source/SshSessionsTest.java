package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default keys of {@code ~/.ssh} a Git source tries when given none: OpenSSH's, without those it ignores. */
class SshSessionsTest {
  @TempDir Path ssh;

  private Path key(String name, String permissions) throws Exception {
    Path key = Files.writeString(ssh.resolve(name), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(permissions));
    return key;
  }

  @Test
  void aDefaultKeyGroupOrOthersMayReadIsLeftOutAndTheOthersKept() throws Exception {
    Path rsa = key("id_rsa", "rw-r--r--");
    Path ecdsa = key("id_ecdsa", "rw-------");
    Path ed25519 = key("id_ed25519", "r--------");
    key("deploy_key", "rw-------"); // not a default name: never tried
    assertEquals(List.of(ecdsa, ed25519), SshSessions.defaultIdentities(ssh));
    Files.setPosixFilePermissions(rsa, PosixFilePermissions.fromString("rw-------"));
    assertEquals(List.of(rsa, ecdsa, ed25519), SshSessions.defaultIdentities(ssh));
  }

  @Test
  void noDefaultKeyIsNoIdentity() {
    assertEquals(List.of(), SshSessions.defaultIdentities(ssh));
  }
}

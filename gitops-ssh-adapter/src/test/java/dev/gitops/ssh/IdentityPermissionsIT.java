package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.ssh.OpenSshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@link SshHost} logs in to a real OpenSSH {@code sshd} with a key file exactly when OpenSSH's own
 * {@code ssh} does with that file: {@code 0600} and {@code 0400} are used; {@code 0644}, {@code 0640},
 * {@code 0604} are refused, naming the file, its mode and {@code chmod 600}; a key another user owns is
 * not checked (as root, the test gives the file to {@code nobody}). {@link SystemSshHost} passes
 * OpenSSH's own refusal on.
 */
class IdentityPermissionsIT {
  @TempDir static Path tmp;
  @AutoClose private static OpenSshd sshd;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(SshClients.systemSshAvailable(), "SKIPPED: OpenSSH's sshd or ssh is absent");
    sshd = OpenSshd.start(tmp.resolve("sshd"));
  }

  @Test
  void aKeyIsUsedExactlyWhenOpenSshUsesIt() throws Exception {
    Path key = Files.copy(sshd.userKey(), tmp.resolve("id_copy"));
    boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    // mode, owner (-1: this user), used
    List<Object[]> cases = new ArrayList<>(List.of(new Object[] {0600, -1, true}, new Object[] {0400, -1, true},
        new Object[] {0644, -1, false}, new Object[] {0640, -1, false}, new Object[] {0604, -1, false}));
    if (root) {
      cases.add(new Object[] {0644, 65534, true}); // nobody's: neither OpenSSH nor we check it
    }
    for (Object[] c : cases) {
      Files.setAttribute(key, "unix:mode", (int) c[0]);
      if (root) {
        Files.setAttribute(key, "unix:uid", (int) c[1] < 0 ? 0 : (int) c[1]);
      }
      String name = String.format("0%03o owned by %s", (int) c[0], (int) c[1] < 0 ? "this user" : "nobody");
      assertEquals(c[2], systemSshLogsIn(key), "OpenSSH with " + name);
      try (SshHost host = SshClients.to(sshd).identity(key, null).build()) {
        if ((boolean) c[2]) {
          assertEquals(0, host.exec(List.of("true"), new byte[0]).exitCode(), name);
        } else {
          String m = assertThrows(IOException.class, () -> host.exec(List.of("true"), new byte[0]), name).getMessage();
          assertTrue(m.contains(String.format(": permissions 0%03o of private key file %s are too open", (int) c[0], key)), m);
        }
      }
    }
  }

  @Test
  void theRefusalNamesFileModeAndFixNeverTheKey() throws Exception {
    Path key = Files.copy(sshd.userKey(), tmp.resolve("id_leaked"));
    Files.setAttribute(key, "unix:mode", 0644);
    try (SshHost host = SshClients.to(sshd).identity(key, null).build()) {
      String m = assertThrows(IOException.class, () -> host.exec(List.of("true"), new byte[0])).getMessage();
      assertEquals("cannot connect to " + host.describe() + ": permissions 0644 of private key file " + key
          + " are too open: group and others must have no access to a private key (OpenSSH ignores such a key);"
          + " chmod 600 " + key, m);
      String body = Files.readAllLines(key).get(1);
      assertFalse(m.contains(body.substring(0, 20)), "no key content");
      assertFalse(host.isConnected(), "nothing was sent with the key");
    }
  }

  @Test
  void throughTheSystemsSshTheRefusalIsOpenSshsOwnNamingFileAndMode() throws Exception {
    Path key = Files.copy(sshd.userKey(), tmp.resolve("id_system"));
    Files.setAttribute(key, "unix:mode", 0640);
    try (SystemSshHost host = SshClients.system(sshd).identity(key).build()) {
      String m = assertThrows(IOException.class, () -> host.exec(List.of("true"), new byte[0])).getMessage();
      assertTrue(m.contains("Permissions 0640 for '" + key + "' are too open."), m);
      assertFalse(m.contains(Files.readAllLines(key).get(1).substring(0, 20)), "no key content");
    }
  }

  /** Whether the system's {@code ssh} logs in with {@code key} (it ignores a key it refuses, so it cannot). */
  private static boolean systemSshLogsIn(Path key) throws Exception {
    Process p = new ProcessBuilder("ssh", "-F", "/dev/null", "-p", Integer.toString(sshd.port()), "-i", key.toString(),
        "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + sshd.knownHosts(),
        OpenSshd.user() + "@" + sshd.host(), "true").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = p.waitFor();
    assertTrue(status == 0 || out.contains("Permission denied"), out);
    return status == 0;
  }
}

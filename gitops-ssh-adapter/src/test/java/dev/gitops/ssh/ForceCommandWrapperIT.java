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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code sshd} whose account runs every command through a {@code ForceCommand} wrapper, as
 * audit and session-recording wrappers do: it runs {@code $SSH_ORIGINAL_COMMAND}, then prints on
 * standard error and exits 0 whatever the command did; or it prints a banner on standard output
 * first. SFTP requests go to {@code sftp-server} untouched. {@link SystemSshHost} still reports the
 * command's own status (before, the report was looked for only at the very end of standard error, so
 * a failed command read as the wrapper's 0), and an owner named in Git is either resolved or the
 * banner is named (before, {@link SshHost} said {@code no such user}).
 */
class ForceCommandWrapperIT {
  @TempDir Path tmp;
  private OpenSshd sshd;

  @AfterEach
  void stop() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
  }

  /** Starts {@code sshd} with a wrapper that runs {@code before}, the command, then {@code after}, and exits 0. */
  private void start(String before, String after) throws Exception {
    assumeTrue(SshClients.systemSshAvailable(), "OpenSSH sshd or ssh not installed: skipping");
    Path wrapper = tmp.resolve("wrapper");
    Files.writeString(wrapper, String.join("\n", "#!/bin/sh",
        "case \"$SSH_ORIGINAL_COMMAND\" in internal-sftp|*sftp-server) exec /usr/lib/openssh/sftp-server;; esac",
        before, "eval \"$SSH_ORIGINAL_COMMAND\"", after, "exit 0", ""));
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    sshd = OpenSshd.start(tmp.resolve("sshd"), "ForceCommand " + wrapper);
  }

  @Test
  void aWrapperThatPrintsAfterTheCommandLeavesTheCommandItsStatus() throws Exception {
    start(":", "echo 'audit: session logged' >&2");
    try (SystemSshHost host = SshClients.system(sshd).build()) {
      Host.Result r = host.exec(List.of("sh", "-c", "echo out; echo own >&2; exit 3"), new byte[0]);
      assertEquals(3, r.exitCode(), "the command's status, not the wrapper's 0: " + r.output());
      assertEquals("out\n", new String(r.stdout(), StandardCharsets.UTF_8));
      String err = new String(r.stderr(), StandardCharsets.UTF_8);
      assertTrue(err.contains("own") && err.contains("audit: session logged"), err);
      assertFalse(err.contains("gitops-exit"), "the report is taken off: " + err);
      assertEquals(0, host.exec(List.of("true"), new byte[0]).exitCode());
    }
  }

  @Test
  void anOwnerNameIsResolvedThroughAWrapperThatPrintsAfter() throws Exception {
    start(":", "echo 'audit: session logged'");
    Path file = Files.writeString(tmp.resolve("f"), "x");
    try (SshHost host = SshClients.to(sshd).build()) {
      host.chown(file.toString(), "nobody", "");
    }
    assertEquals("nobody", Files.getOwner(file).getName());
  }

  @Test
  void aBannerAheadOfAnOwnersIdIsNamedNotTakenForNoSuchUser() throws Exception {
    start("echo 'Welcome to web1!'", ":");
    Path file = Files.writeString(tmp.resolve("f"), "x");
    try (SshHost host = SshClients.to(sshd).build()) {
      IOException e = assertThrows(IOException.class, () -> host.chown(file.toString(), "nobody", ""));
      assertTrue(e.getMessage().contains("Welcome to web1!"), e.getMessage());
      assertFalse(e.getMessage().contains("no such user"), e.getMessage());
    }
  }
}

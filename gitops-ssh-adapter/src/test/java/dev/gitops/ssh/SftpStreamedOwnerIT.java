package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.model.FileMode;
import dev.gitops.testing.ssh.OpenSshd;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshHost}'s write of a file too large to hold, with an owner kept (the file replaced was
 * {@code nobody}'s), against a real OpenSSH {@code sshd}: a neighbour who can write the target's folder
 * swaps the temporary file for a hard link to a file outside the root once the last bytes were read
 * from the stream. Before, the stream was written, then the owner set by the name ({@code lsetstat}),
 * a look ({@code lstat}: a regular file) and the rename: the file outside was given the owner and
 * renamed into place. Now the owner is set on the open handle before the data, and the look wants the
 * size written.
 */
class SftpStreamedOwnerIT {
  @AutoClose private static OpenSshd sshd;
  @AutoClose private static SshHost host;
  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed at /usr/sbin/sshd: skipping");
    sshd = OpenSshd.start(Files.createTempDirectory("openssh"));
    host = SshClients.to(sshd).build();
  }

  @Test
  void aStreamedFileSwappedForAHardLinkAtItsEndGivesNothingAwayNorIsRenamedIntoPlace() throws Exception {
    Path app = Files.createDirectories(dir.resolve("root/app"));
    Path secret = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("shadow"), "secret\n");
    assumeTrue((Integer) Files.getAttribute(secret, "unix:uid") == 0, "not root: only root may give a file away");
    Files.setAttribute(secret, "unix:mode", 0600);
    Path tmp = app.resolve(".gitops-t");
    byte[] data = new byte[3 * (1 << 20) + 5];
    ByteArrayInputStream stream = new ByteArrayInputStream(data) {
      private boolean swapped;

      @Override
      public synchronized int read(byte[] b, int off, int len) {
        int n = super.read(b, off, len);
        if (n < 0 && !swapped) { // its end read: the data is on its way, the file still open
          swapped = true;
          try {
            Files.delete(tmp);
            Files.createLink(tmp, secret);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return n;
      }
    };
    IOException e = assertThrows(IOException.class, () -> host.writeAndRename(tmp.toString(),
        app.resolve("big").toString(), stream, data.length, new FileMode(0644, "65534", "65534"), false,
        dir.resolve("root").toString()));
    assertTrue(e.getMessage().contains("not renamed into place"), e.getMessage());
    assertEquals(0, Files.getAttribute(secret, "unix:uid", LinkOption.NOFOLLOW_LINKS), "not given away");
    assertEquals(0600, (Integer) Files.getAttribute(secret, "unix:mode") & 07777);
    assertEquals("secret\n", Files.readString(secret));
    assertFalse(Files.exists(app.resolve("big"), LinkOption.NOFOLLOW_LINKS), "nothing renamed into place");
  }
}

package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A wrong identity file fails the first use of an {@link SshHost} with a message that says what is wrong. */
class IdentityErrorsIT {
  @AutoClose private static MinaServer mina;

  @BeforeAll
  static void start() throws Exception {
    mina = MinaServer.start(Files.createTempDirectory("mina-identity"));
  }

  private static String error(Path identity) throws Exception {
    try (SshHost host = mina.client().identity(identity, null).build()) {
      return assertThrows(IOException.class, () -> host.exec(List.of("true"), new byte[0])).getMessage();
    }
  }

  @Test
  void aMissingIdentityFileIsNamed() throws Exception {
    Path missing = mina.dir.resolve("id_nope");
    String m = error(missing);
    assertTrue(m.endsWith("identity file " + missing + " does not exist"), m);
  }

  @Test
  void aPublicKeyGivenAsIdentityIsRefusedNamingThePrivateKey() throws Exception {
    Path pub = mina.dir.resolve("id_test.pub");
    Files.writeString(pub, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDe1x4YxnbdqmU0Ys9ykGw9W4ZS8bkCKvOvnRJq2W7Eu test\n");
    String m = error(pub);
    assertTrue(m.endsWith("identity file " + pub + " is a public key: give the private key instead (id_test)"), m);
  }
}

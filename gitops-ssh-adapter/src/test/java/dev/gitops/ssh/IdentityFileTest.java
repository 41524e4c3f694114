package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.testing.ssh.SshKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing, public, encrypted or empty identity file gets an error that says which and what to do. */
class IdentityFileTest {
  @TempDir Path dir;

  private Path keygen(String name, String passphrase) throws Exception {
    return SshKeys.ed25519(dir.resolve(name), passphrase);
  }

  private String error(Path file, String passphrase) {
    return assertThrows(IOException.class, () -> IdentityFile.load(file, passphrase)).getMessage();
  }

  @Test
  void aMissingFileIsNamed() {
    String m = error(dir.resolve("id_missing"), null);
    assertEquals("identity file " + dir.resolve("id_missing") + " does not exist", m);
  }

  @Test
  void aPublicKeyIsRefusedNamingThePrivateOne() throws Exception {
    Path key = keygen("id_ed25519", "");
    String m = error(Path.of(key + ".pub"), null);
    assertEquals("identity file " + key + ".pub is a public key: give the private key instead (id_ed25519)", m);
    Path renamed = Files.copy(Path.of(key + ".pub"), dir.resolve("deploy-key"));
    assertTrue(error(renamed, null).contains("is a public key"), "by content too");
  }

  @Test
  void anEmptyFileHoldsNoKeyAndAnEncryptedOneWantsItsPassphrase() throws Exception {
    assertTrue(error(Files.write(dir.resolve("empty"), new byte[0]), null).contains("holds no private key"));
    Path locked = keygen("id_locked", "open sesame");
    String m = error(locked, null);
    assertTrue(m.startsWith("cannot load identity file " + locked), m);
    assertEquals(1, IdentityFile.load(locked, "open sesame").size());
    assertEquals(1, IdentityFile.load(keygen("id_plain", ""), null).size());
  }
}

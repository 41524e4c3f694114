package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.testing.ssh.SshKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void everyKeyFormatSshKeygenWritesLoads() throws Exception {
    for (String type : List.of("ed25519", "ecdsa", "rsa", "rsa-pem")) {
      Path plain = SshKeys.generate(dir.resolve("id_" + type), type, "");
      assertEquals(1, IdentityFile.load(plain, null).size(), type);
      Path locked = SshKeys.generate(dir.resolve("id_" + type + "_locked"), type, "open sesame");
      assertEquals(1, IdentityFile.load(locked, "open sesame").size(), type + " with its passphrase");
      String m = error(locked, null);
      assertEquals("cannot load identity file " + locked + ": it is encrypted: pass its passphrase", m, type);
      String wrong = error(locked, "not it");
      assertEquals("cannot load identity file " + locked + ": it is encrypted and the passphrase given does not"
          + " decrypt it (wrong passphrase, or a damaged file)", wrong, type);
      for (String secret : secrets(locked)) {
        assertTrue(!m.contains(secret) && !wrong.contains(secret), type + ": no key material in " + m + " / " + wrong);
      }
    }
  }

  /** Lines of the key file long enough to be key material, that no message may quote. */
  private static List<String> secrets(Path key) throws Exception {
    return Files.readAllLines(key).stream().filter(l -> l.length() > 20 && !l.startsWith("-----")).toList();
  }

  @Test
  void anEmptyFileHoldsNoKeyAndAnEncryptedOneWantsItsPassphrase() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))); // 0644 would be refused first
    assertTrue(error(empty, null).contains("holds no private key"));
    Path locked = keygen("id_locked", "open sesame");
    String m = error(locked, null);
    assertTrue(m.startsWith("cannot load identity file " + locked), m);
    assertEquals(1, IdentityFile.load(locked, "open sesame").size());
    assertEquals(1, IdentityFile.load(keygen("id_plain", ""), null).size());
  }
}

package dev.gitops.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSH's rule for private key files on real files with real modes: a key this user owns must give
 * group and others no access; a key another user owns is not checked; links are followed.
 * {@code PrivateKeyFilesOracleIT} compares every mode with OpenSSH itself.
 */
class PrivateKeyFilesTest {
  private static final String CONTENT = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-secret\n"
      + "-----END OPENSSH PRIVATE KEY-----\n";

  @TempDir Path dir;

  private Path key(String name, String permissions) throws IOException {
    Path key = Files.writeString(dir.resolve(name), CONTENT);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(permissions));
    return key;
  }

  @Test
  void aKeyOnlyItsOwnerMayAccessIsUsed() throws IOException {
    assertEquals(Optional.empty(), PrivateKeyFiles.refusal(key("id_600", "rw-------")));
    assertEquals(Optional.empty(), PrivateKeyFiles.refusal(key("id_400", "r--------")));
    assertEquals(Optional.empty(), PrivateKeyFiles.refusal(key("id_700", "rwx------")));
  }

  @Test
  void aKeyGroupOrOthersMayReadIsRefusedNamingFileModeAndFix() throws IOException {
    for (String[] c : new String[][] {{"rw-r--r--", "0644"}, {"rw-r-----", "0640"}, {"rw----r--", "0604"},
        {"rw---x---", "0610"}, {"rw-----w-", "0602"}}) {
      Path key = key("id_" + c[1], c[0]);
      String why = PrivateKeyFiles.refusal(key).orElseThrow();
      assertEquals("permissions " + c[1] + " of private key file " + key + " are too open: group and others must"
          + " have no access to a private key (OpenSSH ignores such a key); chmod 600 " + key, why);
      assertFalse(why.contains("secret") || why.contains("BEGIN"), why);
    }
  }

  @Test
  void aPathWithSpacesIsQuotedInTheCommandThatHelps() throws IOException {
    Path key = key("deploy key's", "rw-r--r--");
    assertTrue(PrivateKeyFiles.refusal(key).orElseThrow().endsWith("; chmod 600 '" + dir + "/deploy key'\\''s'"));
  }

  @Test
  void aKeyAnotherUserOwnsIsNotCheckedAsOpenSshDoesNot() throws IOException {
    Path key = key("id_theirs", "rw-r--r--");
    try {
      Files.setAttribute(key, "unix:uid", 65534); // nobody
    } catch (IOException e) {
      assumeTrue(false, "only root can give a file away: " + e);
    }
    assertEquals(Optional.empty(), PrivateKeyFiles.refusal(key));
  }

  @Test
  void theModeOfTheLinkedFileCountsNotTheLinks() throws IOException {
    Path open = key("open", "rw-r--r--");
    Path closed = key("closed", "rw-------");
    Path toOpen = Files.createSymbolicLink(dir.resolve("id_to_open"), open.getFileName());
    Path toClosed = Files.createSymbolicLink(dir.resolve("id_to_closed"), closed.getFileName());
    assertTrue(PrivateKeyFiles.refusal(toOpen).orElseThrow().contains(" 0644 of private key file " + toOpen + " "));
    assertEquals(Optional.empty(), PrivateKeyFiles.refusal(toClosed));
  }

  @Test
  void aKeyOfAKubernetesSecretVolumeIsToldToSetDefaultMode() throws IOException {
    // the kubelet's layout: id_ed25519 -> ..data/id_ed25519, ..data -> ..2026_12_06_11_00_00.000000001
    Path timestamped = Files.createDirectory(dir.resolve("..2026_12_06_11_00_00.000000001"));
    Path file = Files.writeString(timestamped.resolve("id_ed25519"), CONTENT);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Files.createSymbolicLink(dir.resolve("..data"), timestamped.getFileName());
    Path key = Files.createSymbolicLink(dir.resolve("id_ed25519"), Path.of("..data", "id_ed25519"));
    assertTrue(PrivateKeyFiles.refusal(key).orElseThrow().endsWith("; chmod 600 " + key
        + " (a file of a Kubernetes Secret volume: set the volume's defaultMode to 0400)"));
  }

  @Test
  void aMissingKeyIsAnIoExceptionNamingIt() {
    Path missing = dir.resolve("id_missing");
    assertTrue(assertThrows(NoSuchFileException.class, () -> PrivateKeyFiles.refusal(missing)).getMessage()
        .contains(missing.toString()));
  }
}

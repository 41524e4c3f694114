package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.GitOpsException;
import dev.gitops.diff.RedactionKey;
import dev.gitops.samples.cli.RedactionKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployer's redaction key: from the environment, else from a file created 0600 when absent. */
class RedactionKeysTest {
  @TempDir Path home;

  @Test
  void theVariableWinsAndMustBeLongEnough() {
    assertEquals(digest(RedactionKey.of("a-key-from-ci-secrets")),
        digest(RedactionKeys.load(Map.of(RedactionKeys.VARIABLE, "a-key-from-ci-secrets"), home)));
    GitOpsException e = assertThrows(GitOpsException.class,
        () -> RedactionKeys.load(Map.of(RedactionKeys.VARIABLE, "hunter2"), home));
    assertEquals("GITOPS_REDACTION_KEY: the redaction key must be at least 16 characters (it is 7)",
        e.getMessage());
  }

  @Test
  void anAbsentKeyFileIsCreatedReadableByTheUserOnlyAndKept() throws Exception {
    RedactionKey first = RedactionKeys.load(Map.of(), home);
    Path file = home.resolve(".config/gitops/redaction.key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertTrue(Files.readString(file).matches("[0-9a-f]{64}\n"), "32 random bytes, hex");
    assertEquals(digest(first), digest(RedactionKeys.load(Map.of(), home)), "the same key next time");
    Path xdg = home.resolve("xdg");
    RedactionKeys.load(Map.of("XDG_CONFIG_HOME", xdg.toString()), home);
    assertTrue(Files.exists(xdg.resolve("gitops/redaction.key")));
  }

  @Test
  void aKeyFileOthersCanReadIsRefused() throws Exception {
    RedactionKeys.load(Map.of(), home);
    Path file = home.resolve(".config/gitops/redaction.key");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    GitOpsException e = assertThrows(GitOpsException.class, () -> RedactionKeys.load(Map.of(), home));
    assertEquals(file + " is readable by others (rw-r--r--): chmod 600 it, or remove it for a new key",
        e.getMessage());
  }

  private static String digest(RedactionKey key) {
    return key.digest("a value".getBytes(StandardCharsets.UTF_8));
  }
}

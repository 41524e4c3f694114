package dev.gitops.samples.cli;

import dev.gitops.GitOpsException;
import dev.gitops.diff.RedactionKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The deployer's {@link RedactionKey}, the key of plan redaction markers: without it, a marker of a
 * short secret cannot be confirmed offline by guessing. From {@code GITOPS_REDACTION_KEY} when set,
 * else from {@code $XDG_CONFIG_HOME/gitops/redaction.key} (or {@code ~/.config/gitops/redaction.key}),
 * a file of 32 random bytes (hex) created {@code 0600} in a {@code 0700} directory when absent. Whoever
 * plans and whoever applies a saved plan must hold the same key (one machine and user, or the
 * variable set from a CI secret).
 */
public final class RedactionKeys {
  /** The environment variable that holds the key. */
  public static final String VARIABLE = "GITOPS_REDACTION_KEY";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private RedactionKeys() {}

  /**
   * The key of this process's environment and user.
   *
   * @return the key
   */
  public static RedactionKey load() {
    return load(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * The key from {@code env}'s {@link #VARIABLE}, else from the key file under {@code home}'s config
   * directory, created when absent.
   *
   * @param env the environment
   * @param home the user's home directory
   * @return the key
   * @throws GitOpsException when the key is shorter than 16 characters, or the file is readable by
   *     others or cannot be read or created
   */
  public static RedactionKey load(Map<String, String> env, Path home) {
    String value = env.get(VARIABLE);
    if (value != null && !value.isEmpty()) {
      return checked(value.strip(), VARIABLE);
    }
    Path file = file(env, home);
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")
          && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
        throw new GitOpsException(file + " is readable by others (" + PosixFilePermissions.toString(
            Files.getPosixFilePermissions(file)) + "): chmod 600 it, or remove it for a new key");
      }
      return checked(Files.readString(file, StandardCharsets.UTF_8).strip(), file.toString());
    } catch (IOException e) {
      throw new GitOpsException(file + ": cannot read or create the redaction key: " + e.getMessage(), e);
    }
  }

  /** Where the key file is: {@code $XDG_CONFIG_HOME/gitops/redaction.key} or under {@code ~/.config}. */
  static Path file(Map<String, String> env, Path home) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".config");
    return base.resolve("gitops").resolve("redaction.key");
  }

  private static void create(Path file) throws IOException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (posix) {
      Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(file.getParent());
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    Path temp = Files.createTempFile(file.getParent(), ".redaction", ".tmp",
        posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0]);
    try {
      Files.writeString(temp, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
      try {
        Files.createLink(file, temp); // fails when another process created it meanwhile: keep theirs
      } catch (FileAlreadyExistsException e) {
        // another process won the race; its key is the key
      } catch (UnsupportedOperationException e) {
        Files.move(temp, file);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static RedactionKey checked(String key, String where) {
    try {
      return RedactionKey.of(key);
    } catch (GitOpsException e) {
      throw new GitOpsException(where + ": " + e.getMessage(), e);
    }
  }
}

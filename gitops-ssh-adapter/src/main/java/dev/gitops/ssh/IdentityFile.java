package dev.gitops.ssh;

import dev.gitops.security.PrivateKeyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Loads the private key an {@code SshHost} logs in with, and says what is wrong when it cannot: a
 * missing or unreadable file, a public key ({@code id_ed25519.pub}) where the private key belongs, a
 * key group or others may access (refused as OpenSSH refuses it: {@link PrivateKeyFiles}), an
 * encrypted key without its passphrase, a file that holds no key. Not part of the public API.
 */
final class IdentityFile {
  private IdentityFile() {}

  /**
   * The key pairs in {@code file}.
   *
   * @param passphrase the key's passphrase, null when unencrypted
   * @throws IOException naming the file and what is wrong with it
   */
  public static List<KeyPair> load(Path file, String passphrase) throws IOException {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException("identity file " + file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new IOException("identity file " + file + " cannot be read (permission denied)", e);
    }
    String head = new String(data, 0, Math.min(data.length, 64), StandardCharsets.US_ASCII).strip();
    if (isPublicKey(file, head)) {
      String name = file.getFileName().toString();
      throw new IOException("identity file " + file + " is a public key: give the private key instead"
          + (name.endsWith(".pub") ? " (" + name.substring(0, name.length() - 4) + ")" : ""));
    }
    Optional<String> tooOpen = PrivateKeyFiles.refusal(file);
    if (tooOpen.isPresent()) {
      throw new IOException(tooOpen.get());
    }
    boolean[] encrypted = {false}; // MINA asks for the passphrase only of an encrypted key
    FilePasswordProvider password = (session, resource, index) -> {
      encrypted[0] = true;
      return passphrase;
    };
    List<KeyPair> keys = new ArrayList<>();
    try (InputStream in = new java.io.ByteArrayInputStream(data)) {
      Iterable<KeyPair> found = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in,
          password);
      if (found != null) {
        found.forEach(keys::add);
      }
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IOException("cannot load identity file " + file + ": " + (!encrypted[0] ? why
          : passphrase == null ? "it is encrypted: pass its passphrase"
          : "it is encrypted and the passphrase given does not decrypt it (wrong passphrase, or a damaged file)"), e);
    }
    if (keys.isEmpty()) {
      throw new IOException("identity file " + file + " holds no private key (OpenSSH or PEM format expected)");
    }
    return List.copyOf(keys);
  }

  private static boolean isPublicKey(Path file, String head) {
    return head.startsWith("ssh-") || head.startsWith("ecdsa-sha2-") || head.startsWith("sk-")
        || head.startsWith("---- BEGIN SSH2 PUBLIC KEY") || head.startsWith("-----BEGIN PUBLIC KEY")
        || (file.getFileName().toString().endsWith(".pub") && !head.contains("PRIVATE KEY"));
  }
}

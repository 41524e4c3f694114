package dev.gitops.source;

import dev.gitops.security.PrivateKeyFiles;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** The options a {@link GitSource} was built with. Package-private; never printed (holds secrets). */
record GitSourceConfig(RemoteUrl url, String ref, String path, List<String> include, List<String> exclude,
    Path cache, boolean shallow, String user, String token, Path sshKey, char[] passphrase, Path knownHosts,
    List<Verification> verify, boolean keepConnection, boolean postQuantumFirst, int timeoutSeconds,
    Duration callTimeout, ReadLimits limits) {

  GitSourceConfig {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    verify = List.copyOf(verify);
  }

  URIish uri() {
    try {
      return new URIish(url.url());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a Git URL: " + url.masked(), null);
    }
  }

  boolean isSsh() {
    String u = url.url();
    return u.startsWith("ssh://") || u.startsWith("git+ssh://") || u.startsWith("ssh+git://")
        || (!u.contains("://") && u.contains(":"));
  }

  CredentialsProvider credentials() {
    return token == null ? null : new UsernamePasswordCredentialsProvider(user == null ? "" : user, token);
  }

  String[] secrets() {
    return new String[] {token, passphrase == null ? null : new String(passphrase)};
  }

  /**
   * Fails fast, naming the file, when {@code key} is missing, unreadable, a public key (an
   * {@code id_ed25519.pub} given for {@code id_ed25519}), open to group or others as
   * {@link PrivateKeyFiles} says (OpenSSH's rule) or encrypted and {@code passphrase} is
   * missing or does not decrypt it, instead of a failed handshake later ("Cannot log in"). Never says
   * anything of the key's content.
   */
  static void checkPrivateKey(Path key, char[] passphrase) {
    if (!Files.isRegularFile(key) || !Files.isReadable(key)) {
      throw new IllegalArgumentException("sshKey " + key + ": no such readable file");
    }
    String head;
    try (java.io.BufferedReader in = Files.newBufferedReader(key, StandardCharsets.ISO_8859_1)) {
      head = java.util.Objects.requireNonNullElse(in.readLine(), "").strip();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("sshKey " + key + ": cannot read: " + e.getMessage(), e);
    }
    if (head.matches("(ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+.*")
        || head.startsWith("---- BEGIN SSH2 PUBLIC KEY")) {
      String name = key.getFileName().toString();
      throw new IllegalArgumentException("sshKey " + key + " is a public key; give the private key"
          + (name.endsWith(".pub") ? " (" + key.resolveSibling(name.substring(0, name.length() - 4)) + ")" : ""));
    }
    Optional<String> tooOpen;
    try {
      tooOpen = PrivateKeyFiles.refusal(key);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("sshKey " + key + ": cannot read its permissions: " + e.getMessage(), e);
    }
    if (tooOpen.isPresent()) {
      throw new IllegalArgumentException("sshKey: " + tooOpen.get());
    }
    boolean[] asked = {false}; // MINA asks for a passphrase only when the key is encrypted
    try (java.io.InputStream in = Files.newInputStream(key)) {
      SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(key.toString()), in, (session, file, index) -> {
        asked[0] = true;
        return passphrase == null ? null : new String(passphrase);
      });
    } catch (java.io.IOException | java.security.GeneralSecurityException | RuntimeException e) {
      if (asked[0]) {
        throw new IllegalArgumentException("sshKey " + key + (passphrase == null ? " is encrypted: pass its passphrase"
            : ": the passphrase given does not decrypt it (wrong passphrase, or a damaged file)"), e);
      }
      // other formats and failures are left to the transport, which says what it could not use
    }
  }

  @Override
  public String toString() {
    return "GitSourceConfig[" + url.masked() + ", " + ref + "]";
  }
}

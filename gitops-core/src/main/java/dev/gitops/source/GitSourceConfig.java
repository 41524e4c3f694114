package dev.gitops.source;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
   * Fails fast, naming the file, when {@code key} is missing, unreadable or a public key (an
   * {@code id_ed25519.pub} given for {@code id_ed25519}), instead of a failed handshake later.
   */
  static void checkPrivateKey(Path key) {
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
  }

  @Override
  public String toString() {
    return "GitSourceConfig[" + url.masked() + ", " + ref + "]";
  }
}

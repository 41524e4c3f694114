package dev.gitops.source;

import dev.gitops.internal.git.RemoteUrl;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** The options a {@link GitSource} was built with. Package-private; never printed (holds secrets). */
record GitSourceConfig(RemoteUrl url, String ref, String path, List<String> include, List<String> exclude,
    Path cache, boolean shallow, String user, String token, Path sshKey, char[] passphrase, Path knownHosts,
    List<Verification> verify, boolean keepConnection, boolean postQuantumFirst, int timeoutSeconds) {

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

  @Override
  public String toString() {
    return "GitSourceConfig[" + url.masked() + ", " + ref + "]";
  }
}

package dev.gitops.source;

import dev.gitops.security.SshAlgorithms;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;

/**
 * The ssh config JGit's SSH transport gets for every host: {@code KexAlgorithms} and
 * {@code Ciphers} set to the full lists of {@link SshAlgorithms}, the policy hosts follow too (full
 * lists, not JGit's {@code ^}/{@code +} modifiers, so the offer is exactly the policy's). Nothing
 * else is configured: host name, port, user and identities come from the URL and the source's
 * options, host keys from {@link StrictKnownHosts}. Not part of the public API.
 */
final class GitSshConfig implements SshConfigStore {
  private final HostConfig config;

  /** The policy's lists, with the post-quantum hybrids first when {@code postQuantumFirst}. */
  public GitSshConfig(boolean postQuantumFirst) {
    this.config = new Preferences(Map.of(
        SshConstants.KEX_ALGORITHMS, String.join(",", SshAlgorithms.keyExchanges(postQuantumFirst)),
        SshConstants.CIPHERS, String.join(",", SshAlgorithms.ciphers())));
  }

  @Override
  public HostConfig lookup(String hostName, int port, String userName) {
    return config;
  }

  @Override
  public HostConfig lookupDefault(String hostName, int port, String userName) {
    return config;
  }

  /** The same two options for every host. */
  private record Preferences(Map<String, String> options) implements HostConfig {
    @Override
    public String getValue(String key) {
      return options.get(key);
    }

    @Override
    public List<String> getValues(String key) {
      return List.of();
    }

    @Override
    public Map<String, String> getOptions() {
      return options;
    }

    @Override
    public Map<String, List<String>> getMultiValuedOptions() {
      return Map.of();
    }
  }
}

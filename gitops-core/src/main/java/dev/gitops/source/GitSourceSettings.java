package dev.gitops.source;

import dev.gitops.internal.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link GitSource.Builder} has been told so far, each option at its default until set, and
 * the {@link GitSourceConfig} it resolves to when the source is built. Mutable and not thread-safe,
 * like the builder that owns it; never printed (it holds secrets).
 */
final class GitSourceSettings {
  final String url;
  String ref = "main";
  String path = "";
  List<String> include = List.of();
  List<String> exclude = List.of();
  Path cache;
  boolean shallow;
  String user;
  String token;
  Path sshKey;
  char[] passphrase;
  Path knownHosts;
  List<Verification> verify = List.of();
  boolean keepConnection = true;
  boolean postQuantumFirst;
  Duration timeout = Duration.ofSeconds(60);
  Duration callTimeout = Duration.ofMinutes(5);
  ReadLimits limits = ReadLimits.DEFAULTS;

  /** Every option at its default, for {@code url} (a repository URL or path, checked not blank). */
  GitSourceSettings(String url) {
    this.url = url;
  }

  /**
   * The options, checked and resolved: a {@code semver:} range parsed, the SSH key file looked at,
   * user and token taken from the URL unless given, the cache and known_hosts at their defaults
   * unless given.
   *
   * @throws IllegalArgumentException on a malformed URL, ref or glob line, or an unusable SSH key file
   */
  GitSourceConfig config() {
    if (ref.startsWith(RefResolver.SEMVER)) {
      SemverRange.parse(ref.substring(RefResolver.SEMVER.length()));
    }
    if (sshKey != null) {
      GitSourceConfig.checkPrivateKey(sshKey, passphrase);
    }
    RemoteUrl parsed = RemoteUrl.parse(url, token != null);
    String u = user != null ? user : parsed.user();
    String t = token != null ? token : parsed.isHttp() ? parsed.password() : null;
    Path dir = cache != null ? cache : GitCache.userCacheDirectory();
    Path hosts = knownHosts != null ? knownHosts : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    return new GitSourceConfig(parsed, ref, path, include, exclude, dir, shallow, u, t, sshKey,
        passphrase, hosts, verify, keepConnection, postQuantumFirst,
        Checks.ceilSeconds(timeout, "timeout"), callTimeout, limits);
  }
}

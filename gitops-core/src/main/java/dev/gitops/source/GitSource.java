package dev.gitops.source;

import dev.gitops.internal.Checks;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;

/**
 * Desired state from a Git repository, read with JGit into a local bare cache.
 *
 * <p>{@link #latest()} costs one ref advertisement (ls-remote): when the commit is already in the
 * cache nothing else happens; otherwise one incremental fetch of every branch and tag follows (forced,
 * so rewritten branches are followed). {@link #fetch(Revision)} reads the files straight from the
 * commit's tree and fetches only when the commit is missing. Refs: a branch, a tag,
 * {@code semver:<range>} over tags (the highest match; npm's range grammar: {@code semver:^1.2},
 * {@code semver:>=1.2.0 <2.0.0}, {@code ~1.2}, {@code 1.x}, {@code *}, {@code ||}, hyphen ranges;
 * pre-release tags only when the range names a pre-release of the same version, as npm does), a full
 * commit id, or {@code HEAD}. Symbolic links among the selected files are an error naming the path, and
 * so are selected submodules (gitlinks), named with their URLs from {@code .gitmodules}: their files are in
 * another repository, which is not read; exclude them to proceed. A ref on a tree or a blob is refused;
 * one moved back (a force push) is followed like any move. At most {@link Builder#limits} files and
 * bytes are read from one commit. Blobs are read as committed (no {@code eol}, {@code ident} or encoding
 * conversion); LFS pointers, git-crypt files and other {@code filter=} drivers' files are refused, named.
 *
 * <p>The cache ({@link Builder#cache}) survives restarts and may be shared by several sources and
 * processes: writers hold a file lock; a corrupt cache is rebuilt. Thread-safe. Every failure is a
 * {@link SourceException} naming the URL (credentials masked) and the ref. Every remote call is
 * bounded twice: each read by {@link Builder#timeout} and the whole call by
 * {@link Builder#callTimeout}, so a remote that trickles bytes cannot hold a poll for ever. Close it
 * to release the cache and any kept connection.
 */
public final class GitSource implements Source, AutoCloseable {
  private final GitSourceConfig config;
  private final GitCache cache;
  private final Remote remote;
  private final StrictKnownHosts knownHosts;
  private final SshdSessionFactory ssh;
  private final GitReader reader;
  private final SourceAhead ahead;

  GitSource(GitSourceConfig config) {
    this.config = config;
    this.cache = new GitCache(config.cache(), config.url().url());
    this.knownHosts = new StrictKnownHosts(config.knownHosts());
    this.ssh = config.isSsh() ? SshSessions.factory(config.sshKey(), config.passphrase(), knownHosts,
        config.postQuantumFirst()) : null;
    this.remote = new Remote(config.uri(), config.credentials(), ssh, config.keepConnection(),
        config.timeoutSeconds(), config.callTimeout());
    this.reader = new GitReader(config, cache, remote, knownHosts);
    // what was prepared is waited for as long as its two remote calls may take, and a little
    this.ahead = new SourceAhead(config.callTimeout().multipliedBy(2).plusSeconds(10));
  }

  /**
   * {@code url} as it may be stored or printed: an {@code http(s)} URL without its user and password,
   * another URL without its password ({@code ssh://git@host/r.git} keeps {@code git}); a path or
   * {@code git@host:repo} as it is. Credentials holding {@code @}, {@code :} or {@code /} unencoded
   * are removed whole.
   *
   * @param url a repository URL or path, as given to {@link #builder(String)}
   * @return the URL safe to store in a saved plan or print in a log
   */
  public static String withoutCredentials(String url) {
    return url.contains("://") ? RemoteUrl.parse(url, false).url() : url;
  }

  /**
   * A source for {@code url} at {@code ref}, with every other option at its default.
   *
   * @param url {@code https://}, {@code ssh://}, {@code git@host:repo}, {@code file://} or a path
   * @param ref branch, tag, {@code semver:<range>}, full commit id or {@code HEAD}
   * @return a source reading the whole repository through the default cache
   * @throws IllegalArgumentException on a malformed URL or ref
   */
  public static GitSource of(String url, String ref) {
    return builder(url).ref(ref).build();
  }

  /**
   * A builder for a repository.
   *
   * @param url {@code https://}, {@code ssh://}, {@code git@host:repo}, {@code file://} or a path;
   *     not blank
   * @return a builder with every option at its default (ref {@code main})
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * Counters of remote work, for tests and metrics.
   *
   * @param polls ref advertisements read (ls-remote round trips)
   * @param fetches fetches that downloaded objects (or tried to)
   * @param cacheRebuilds times the local cache was found corrupt and rebuilt
   */
  public record Stats(long polls, long fetches, long cacheRebuilds) {}

  /** {@return what this source did so far: counters since it was built, never reset} */
  public Stats stats() {
    return new Stats(reader.polls(), reader.fetches(), cache.rebuilds());
  }

  @Override
  public Revision latest() {
    return resolve(config.ref());
  }

  @Override
  public Revision resolve(String ref) {
    Revision prepared = ahead.revision(ref);
    return prepared != null ? prepared : reader.resolve(ref);
  }

  @Override
  public Snapshot fetch(Revision revision) {
    Snapshot prepared = ahead.snapshot(revision);
    return prepared != null ? prepared : reader.fetch(revision);
  }

  /**
   * Starts, in the background, the first {@code resolve(ref)} and the {@link #fetch} of the revision it
   * finds, and returns at once (a command line still reading its options overlaps the two). The next
   * {@code resolve} of {@code ref} takes that revision (a few moments older than one resolved then), the
   * fetch of it its files; anything else, or a failure there, the caller's call does itself. Once per source.
   *
   * @param ref the ref the first resolve will ask for
   */
  public void prepare(String ref) {
    ahead.start(java.util.Objects.requireNonNull(ref, "ref"), reader, "gitops-source-ahead " + describe());
  }

  /**
   * {@inheritDoc} Here: the URL without credentials and the ref, so every path of one repository
   * on one ref is polled once.
   */
  @Override
  public Optional<String> pollKey() {
    return Optional.of("git " + config.url().url() + " " + config.ref());
  }

  /**
   * {@inheritDoc} Here: the id of the tree at the configured path ({@code absent} when there is
   * none); include and exclude globs and signature checks are fixed per source, so equal trees read
   * equal.
   */
  @Override
  public String contentKey(Revision revision) {
    return reader.contentKey(revision);
  }

  @Override
  public String describe() {
    return "git " + config.url().masked() + " (ref " + config.ref()
        + (config.path().isEmpty() ? "" : ", path " + config.path()) + ")";
  }

  /** Same as {@link #describe()}; never prints credentials. */
  @Override
  public String toString() {
    return describe();
  }

  /** Releases the cache and any kept connection. */
  @Override
  public void close() {
    ahead.drain(); // the background read, when one is still going, finishes before the cache closes
    remote.close();
    cache.close();
    if (ssh != null) {
      ssh.close();
    }
  }

  /** The cache's repository directory (for tests in this package). */
  Path cacheDirectory() {
    return cache.directory();
  }

  /** The settings it was built with (for tests in this package). */
  GitSourceConfig config() {
    return config;
  }

  /**
   * Options of a {@link GitSource}; every one has a default. Not thread-safe; build once.
   */
  public static final class Builder {
    private final GitSourceSettings settings;

    private Builder(String url) {
      this.settings = new GitSourceSettings(Checks.notBlank(url, "url"));
    }

    /**
     * The ref to follow; default {@code main}.
     *
     * @param ref branch, tag, {@code semver:<range>}, full commit id or {@code HEAD}; not blank
     * @return this builder
     */
    public Builder ref(String ref) {
      settings.ref = Checks.notBlank(ref, "ref");
      return this;
    }

    /**
     * Directory inside the repository to read; default the root.
     *
     * @param path relative directory such as {@code deploy/prod}; null or {@code ""} for the root,
     *     leading and trailing slashes dropped
     * @return this builder
     */
    public Builder path(String path) {
      settings.path = path == null ? "" : path.replaceAll("^/+|/+$", "");
      return this;
    }

    /**
     * Only files these lines match, read as a {@code .gitignore} file ({@link dev.gitops.model.PathGlob};
     * relative to the path); default all. A line that is no glob fails {@link #build()}.
     *
     * @param globs gitignore-style lines; none selects every file
     * @return this builder
     */
    public Builder include(String... globs) {
      settings.include = List.of(globs);
      return this;
    }

    /**
     * Leave out files these lines match, read as a {@code .gitignore} file
     * ({@link dev.gitops.model.PathGlob}; relative to the path). A line that is no glob fails
     * {@link #build()}.
     *
     * @param globs gitignore-style lines; none leaves nothing out
     * @return this builder
     */
    public Builder exclude(String... globs) {
      settings.exclude = List.of(globs);
      return this;
    }

    /**
     * Directory of the local bare cache, reused across runs; default {@code $XDG_CACHE_HOME/gitops/git}
     * or {@code ~/.cache/gitops/git}, kept {@code 0700}. Directories the cache creates are
     * {@code 0700}: the cache holds every file of the repository, Secrets' manifests included.
     * Sources of one repository given the same directory share, in one JVM, one open repository
     * (one pack index in memory) and the Git trees on the way to their paths, each read once
     * however many sources look through it: a fleet's 1,000 reconcilers of a 1,000-folder
     * repository read its root tree once per revision, not 2,000 times.
     *
     * @param dir the cache directory; null for the default
     * @return this builder
     */
    public Builder cache(Path dir) {
      settings.cache = dir;
      return this;
    }

    /**
     * Fetch with depth 1 (only the commits at the branch and tag tips); default false.
     *
     * @param shallow true to fetch only the tips: faster, but an older commit id cannot be read
     * @return this builder
     */
    public Builder shallow(boolean shallow) {
      settings.shallow = shallow;
      return this;
    }

    /**
     * HTTPS user and password or token; never logged, masked in messages.
     *
     * @param user the user name (for tokens, whatever the server expects, e.g. {@code git})
     * @param token the password or access token
     * @return this builder
     */
    public Builder credentials(String user, String token) {
      settings.user = user;
      settings.token = token;
      return this;
    }

    /**
     * SSH private key file and its passphrase. A missing, unreadable or public key file, one group or
     * others may access ({@code 0644}: refused as OpenSSH refuses it, see {@code PrivateKeyFiles}), or an
     * encrypted key without its passphrase or with a wrong one, fails {@link #build()} naming the file.
     *
     * @param key the private key file, e.g. {@code ~/.ssh/id_ed25519}
     * @param passphrase the key's passphrase, null when it has none; copied
     * @return this builder
     */
    public Builder sshKey(Path key, String passphrase) {
      settings.sshKey = key;
      settings.passphrase = passphrase == null ? null : passphrase.toCharArray();
      return this;
    }

    /**
     * known_hosts file checked strictly; default {@code ~/.ssh/known_hosts}.
     *
     * @param file an OpenSSH known_hosts file; a host missing from it is refused, never added
     * @return this builder
     */
    public Builder knownHosts(Path file) {
      settings.knownHosts = file;
      return this;
    }

    /**
     * Accept only commits signed by one of these keys; default none (no verification).
     *
     * @param anyOf the accepted signers; a commit signed by none of them fails with a
     *     {@link SourceException}
     * @return this builder
     */
    public Builder verify(Verification... anyOf) {
      settings.verify = List.of(anyOf);
      return this;
    }

    /**
     * Keep the connection (an SSH session) open between polls; default true.
     *
     * @param keep true to reuse one session, false to connect for every poll
     * @return this builder
     */
    public Builder keepConnection(boolean keep) {
      settings.keepConnection = keep;
      return this;
    }

    /**
     * SSH key exchange preference. By default {@code curve25519-sha256} is offered first and the
     * post-quantum hybrids ({@code sntrup761x25519-sha512}, {@code mlkem768x25519-sha256}) after it,
     * because MINA SSHD computes the hybrids in Java at several hundred milliseconds per handshake;
     * {@code true} offers the hybrids first (a server that has them then picks one). Every other
     * default algorithm stays enabled either way; AES-GCM ciphers are offered first.
     *
     * @param first true to offer the post-quantum hybrids first; default false
     * @return this builder
     */
    public Builder postQuantumFirst(boolean first) {
      settings.postQuantumFirst = first;
      return this;
    }

    /**
     * I/O timeout of remote operations, rounded up to whole seconds (so {@code 500ms} waits one
     * second, never forever); default 60 s. It bounds each read only: a remote that sends a byte now
     * and then is bounded by {@link #callTimeout(Duration)}.
     *
     * @param timeout the longest wait for one remote read or connect; positive
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public Builder timeout(Duration timeout) {
      Checks.ceilSeconds(timeout, "timeout");
      settings.timeout = timeout;
      return this;
    }

    /**
     * The longest one remote call may take as a whole, connecting included: a ref advertisement
     * (ls-remote) or a fetch; default 5 minutes. Past it the connection is closed and the call fails
     * with a {@link SourceException} naming the URL and what timed out; a fetch cut short leaves the
     * cache as it was, and the next call starts afresh. Raise it for a first fetch of a large
     * repository over a slow link.
     *
     * @param callTimeout positive
     * @return this builder
     * @throws IllegalArgumentException when {@code callTimeout} is null, zero or negative
     */
    public Builder callTimeout(Duration callTimeout) {
      Checks.ceilSeconds(callTimeout, "callTimeout");
      settings.callTimeout = callTimeout;
      return this;
    }

    /**
     * The most files the path and globs may select from one commit, and the most bytes those may hold
     * together (each name counted, a blob under two names twice); default 100,000 files and 1 GiB.
     * Counted from the tree and each blob's header before any blob is inflated: a fetch that passes
     * one fails with a {@link SourceException} naming the limit and the file that passed it, where a
     * pushed tree (a blob of zeros compresses a thousandfold; one blob may have a million names)
     * would fill the heap.
     *
     * @param files at least 1
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException when either is below 1
     */
    public Builder limits(int files, long bytes) {
      settings.limits = new ReadLimits(files, bytes);
      return this;
    }

    /**
     * Builds the source; nothing is contacted yet.
     *
     * @return the source
     * @throws IllegalArgumentException on a malformed URL, ref or glob line, or an unusable SSH key
     *     file
     */
    public GitSource build() {
      return new GitSource(settings.config());
    }
  }
}

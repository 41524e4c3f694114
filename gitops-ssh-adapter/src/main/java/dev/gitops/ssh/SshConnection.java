package dev.gitops.ssh;

import dev.gitops.security.KnownHosts;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Objects;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.SftpModuleProperties;

/**
 * The connection behind an {@code SshHost}: opened on first use, reopened when it dropped, with
 * strict known_hosts verification and a small pool of SFTP sessions. Thread-safe; not part of the
 * public API.
 */
final class SshConnection {
  /**
   * What to connect to and how.
   *
   * @param host host name or address
   * @param port port
   * @param user user
   * @param identity private key file
   * @param passphrase its passphrase, or null
   * @param knownHosts the known_hosts file
   * @param connectTimeout connect, key exchange and authentication timeout
   * @param operationTimeout how long one SFTP request or channel open may wait for its answer
   * @param keepAlive keepalive interval, zero for none
   * @param postQuantumFirst prefer the post-quantum hybrid key exchanges
   * @param sftpSessions SFTP sessions at most
   */
  public record Options(String host, int port, String user, Path identity, String passphrase, Path knownHosts,
                        Duration connectTimeout, Duration operationTimeout, Duration keepAlive,
                        boolean postQuantumFirst, int sftpSessions) {
    /**
     * Validates what {@link SshHost.Builder#build()} was given.
     *
     * @throws IllegalArgumentException when a required option is missing or a value is out of range
     * @throws NullPointerException naming a missing file or timeout
     */
    public Options {
      if (host == null || host.isBlank() || user == null || user.isBlank()) {
        throw new IllegalArgumentException("host and user are required");
      }
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(knownHosts, "knownHosts");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(keepAlive, "keepAlive");
      positive(connectTimeout, "connectTimeout");
      positive(operationTimeout, "operationTimeout");
      if (keepAlive.isNegative()) {
        throw new IllegalArgumentException("keepAlive must not be negative: " + keepAlive);
      }
    }

    /** Throws naming {@code what} unless {@code d} is positive. */
    static void positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
    }

    @Override
    public String toString() {
      return "Options[" + user + "@" + host + ":" + port + "]";
    }
  }

  /** Keepalive requests left unanswered before the session is given up. */
  static final int MISSED_KEEPALIVES = 3;
  private final Options options;
  private final String describe;
  private final StrictKnownHosts verifier;
  private final AtomicReferenceArray<SftpClient> sftp;
  private final Object[] slots;
  private final Map<SftpClient, SftpBatch> batches = new ConcurrentHashMap<>();
  private SshClient client;
  private volatile ClientSession session;
  private List<KeyPair> keys;

  /**
   * @param options what to connect to
   * @param describe the host's description, for messages
   */
  public SshConnection(Options options, String describe) {
    this.options = options;
    this.describe = describe;
    this.verifier = new StrictKnownHosts(options.knownHosts());
    this.sftp = new AtomicReferenceArray<>(options.sftpSessions());
    this.slots = new Object[options.sftpSessions()];
    java.util.Arrays.setAll(slots, i -> new Object());
  }

  /** The open session, connecting first when there is none or it dropped. */
  public ClientSession session() throws IOException {
    ClientSession open = session;
    if (open != null && open.isOpen() && !open.isClosing()) {
      return open; // the common case takes no lock: every file operation passes here
    }
    return connect();
  }

  private synchronized ClientSession connect() throws IOException {
    if (session != null && session.isOpen() && !session.isClosing()) {
      return session;
    }
    closeQuietly();
    if (client == null) {
      client = SshClient.setUpDefaultClient();
      Algorithms.prefer(client, options.postQuantumFirst());
      client.setServerKeyVerifier(verifier);
      // every SFTP request waits at most this for its answer (MINA's SFTP client bounds its
      // receive by the idle timeout); a session idle that long (no keepalive) is closed
      CoreModuleProperties.IDLE_TIMEOUT.set(client, options.operationTimeout());
      SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(client, options.operationTimeout());
      if (!options.keepAlive().isZero()) {
        // keepalive@openssh.com wants a reply: a peer that stops answering (frozen, or the network
        // gone without a reset) closes the session after MISSED_KEEPALIVES intervals, failing
        // every operation waiting on it, instead of leaving it to wait for ever
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, options.keepAlive());
        CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, MISSED_KEEPALIVES);
      }
      client.start();
    }
    verifier.reset();
    // read at every connect, as the verifier reads known_hosts at every check
    Algorithms.preferKnownHostKeys(client, verifier.knownHosts(), options.host(), options.port());
    ClientSession s = null;
    try {
      List<KeyPair> identities = keys(); // a key that cannot be used fails before anything is sent
      s = client.connect(options.user(), options.host(), options.port()).verify(options.connectTimeout())
          .getSession();
      for (KeyPair k : identities) {
        s.addPublicKeyIdentity(k);
      }
      s.auth().verify(options.connectTimeout());
      session = s;
      return s;
    } catch (IOException | RuntimeException e) {
      if (s != null) {
        s.close(true);
      }
      KnownHosts.Verdict refused = verifier.rejection();
      if (refused != null) {
        throw new HostKeyRejectedException(options.host() + ":" + options.port(), refused);
      }
      throw new IOException("cannot connect to " + describe + ": " + e.getMessage(), e);
    }
  }

  private List<KeyPair> keys() throws IOException {
    if (keys == null) {
      keys = IdentityFile.load(options.identity(), options.passphrase());
    }
    return keys;
  }

  /**
   * An SFTP session of the pool (chosen by thread); when the server refuses another session
   * ({@code MaxSessions}), an open one is shared.
   */
  public SftpClient sftp() throws IOException {
    ClientSession s = session();
    int slot = (int) Math.floorMod(Thread.currentThread().getId(), (long) sftp.length());
    SftpClient current = sftp.get(slot);
    if (current != null && current.isOpen() && current.getClientSession() == s) {
      return current;
    }
    synchronized (slots[slot]) { // one lock per slot: the sessions of a first apply open in parallel
      SftpClient c = sftp.get(slot);
      if (c == null || !c.isOpen() || c.getClientSession() != s) {
        try {
          c = SftpClientFactory.instance().createSftpClient(s);
        } catch (IOException | IllegalStateException e) { // refused (MaxSessions) or session closing
          SftpClient other = anyOpen(s);
          if (other == null) {
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
          }
          return other;
        }
        sftp.set(slot, c);
      }
      return c;
    }
  }

  /** The group-commit queue of {@code sftp} (a session of this pool that can pipeline). */
  public SftpBatch batch(SftpClient sftp) {
    return batches.computeIfAbsent(sftp, c -> new SftpBatch((RawSftpClient) c));
  }

  private SftpClient anyOpen(ClientSession s) {
    for (int i = 0; i < sftp.length(); i++) {
      SftpClient c = sftp.get(i);
      if (c != null && c.isOpen() && c.getClientSession() == s) {
        return c;
      }
    }
    return null;
  }

  /** Drops the connection; the next use opens a new one. */
  public synchronized void reconnect() {
    closeQuietly();
  }

  /** True when a connection is open now. */
  public synchronized boolean isConnected() {
    return session != null && session.isOpen();
  }

  /** Closes the connection and stops the client. */
  public synchronized void close() {
    closeQuietly();
    if (client != null) {
      client.stop();
      client = null;
    }
  }

  private void closeQuietly() {
    batches.clear();
    for (int i = 0; i < sftp.length(); i++) {
      SftpClient c = sftp.getAndSet(i, null);
      try {
        if (c != null) {
          c.close();
        }
      } catch (IOException e) {
        // the connection is being dropped anyway
      }
    }
    if (session != null) {
      session.close(true);
      session = null;
    }
  }
}

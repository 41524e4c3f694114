package dev.gitops.security;

import dev.gitops.security.KnownHostsFile.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * The one strict known_hosts check of every SSH connection the library opens (Git over SSH and
 * hosts). It reads an OpenSSH known_hosts file at every check and never writes it, and matches its
 * lines as OpenSSH's {@code ssh} does: a host on port 22 by its name, on any other port as
 * {@code [host]:port}, against hashed names ({@code |1|salt|hash}) or comma lists of patterns
 * ({@code *}, {@code ?}, case-insensitive), where a matching negation ({@code !pattern}) rules the line
 * out:
 *
 * <ol>
 *   <li>A key on a {@code @revoked} line is refused for every host, whatever the line's host
 *       pattern; for a host certificate, so is a certificate whose certified key or signing
 *       authority is revoked.
 *   <li>A host certificate is accepted when a {@code @cert-authority} line matching the host names
 *       the key that signed it, and the certificate is a host certificate, valid now, and lists the
 *       host among its principals (or lists none). Otherwise its certified key is checked as a plain
 *       key, as OpenSSH does.
 *   <li>A plain key is accepted when a line without a marker matching the host names exactly that
 *       key. A {@code @cert-authority} line never vouches for a plain key: a server that presents
 *       the authority's own key is refused.
 *   <li>Anything else is refused: {@link Status#CHANGED} when unmarked lines name the host with
 *       other keys (of any type, as OpenSSH 9 does), {@link Status#UNKNOWN} when none does. Messages
 *       name the line ({@code file:line}) behind the verdict and the presented key's type and
 *       fingerprint. Unknown keys are never accepted nor added; malformed lines are skipped; a file
 *       that cannot be read refuses every key.
 * </ol>
 *
 * Both transports adapt this class thinly (JGit's {@code ServerKeyDatabase}, MINA's
 * {@code ServerKeyVerifier}), so they cannot drift. Immutable and thread-safe.
 *
 * <pre>{@code
 * KnownHosts.Verdict v = KnownHosts.of(Path.of("/etc/gitops/known_hosts")).check("git.example.com", 22, key);
 * if (!v.accepted()) throw new IllegalStateException(v.message());
 * }</pre>
 */
public final class KnownHosts {
  /** What a certificate host key algorithm's name ends with. */
  private static final String CERT = "-cert-v01@openssh.com";
  private final Path file;
  private final Clock clock;

  private KnownHosts(Path file, Clock clock) {
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Checks against {@code file}, which need not exist (then every key is unknown).
   *
   * @param file an OpenSSH known_hosts file
   * @return the check
   */
  public static KnownHosts of(Path file) {
    return new KnownHosts(file, Clock.systemUTC());
  }

  /**
   * The same check, judging certificate validity at {@code clock}'s time.
   *
   * @param clock the time certificates must be valid at
   * @return a copy
   */
  public KnownHosts withClock(Clock clock) {
    return new KnownHosts(file, clock);
  }

  /**
   * The file checked against.
   *
   * @return the known_hosts file
   */
  public Path file() {
    return file;
  }

  /** The outcome of a check. */
  public enum Status {
    /** A line vouches for the key (or the authority that signed it). */
    ACCEPTED,
    /** No unmarked line names the host and no authority vouches for the key. */
    UNKNOWN,
    /** Unmarked lines name the host, with other keys. */
    CHANGED,
    /** The key, or a key that certifies it, is on a {@code @revoked} line. */
    REVOKED,
    /** The file exists but cannot be read. */
    UNREADABLE
  }

  /**
   * A verdict on one presented key.
   *
   * @param status what the check found
   * @param fingerprint the presented key's fingerprint ({@code SHA256:...}; for a certificate, its
   *     certified key's)
   * @param message one line saying what was decided and why, naming host, port and file
   */
  public record Verdict(Status status, String fingerprint, String message) {
    /**
     * Whether the key may be used.
     *
     * @return true when the key is accepted
     */
    public boolean accepted() {
      return status == Status.ACCEPTED;
    }
  }

  /**
   * Checks the key {@code host} presented when connected to on {@code port}.
   *
   * @param host the host name or address as the connection names it (not resolved)
   * @param port the port, 22 by default
   * @param key the presented key: a plain public key, or an {@link OpenSshCertificate}
   * @return the verdict; never null
   */
  public Verdict check(String host, int port, PublicKey key) {
    String where = host + ":" + port;
    OpenSshCertificate cert = key instanceof OpenSshCertificate c ? c : null;
    PublicKey plain = cert != null ? cert.getCertPubKey() : key;
    String fingerprint = KeyUtils.getFingerPrint(plain);
    String described = describe(plain);
    List<Entry> lines;
    try {
      lines = KnownHostsFile.read(file);
    } catch (IOException e) {
      return new Verdict(Status.UNREADABLE, fingerprint, "cannot read known_hosts " + file + " ("
          + e.getMessage() + "): the host key of " + where + " (" + described + ") is refused");
    }
    for (Entry l : lines) {
      if (l.marker().equals("revoked") && (same(l.key(), plain) || cert != null && same(l.key(), cert.getCaPubKey()))) {
        return new Verdict(Status.REVOKED, fingerprint, "host key of " + where + " (" + described
            + (same(l.key(), plain) ? "" : ", certified by " + describe(l.key())) + ") is revoked at "
            + at(l) + "; refused");
      }
    }
    if (cert != null && trustedCertificate(lines, host, port, cert)) {
      return new Verdict(Status.ACCEPTED, fingerprint, "host certificate of " + where + " (" + described
          + ") is signed by an authority of known_hosts " + file);
    }
    Entry known = null;
    for (Entry l : lines) {
      if (l.marker().isEmpty() && l.matches(host, port)) {
        if (same(l.key(), plain)) {
          return new Verdict(Status.ACCEPTED, fingerprint, "host key of " + where + " (" + described
              + ") is in known_hosts " + at(l));
        }
        known = known == null ? l : known;
      }
    }
    return known != null
        ? new Verdict(Status.CHANGED, fingerprint, "host key of " + where + " has CHANGED: it offered " + described
            + ", but known_hosts has another key for it (" + KeyUtils.getKeyType(known.key()) + " at " + at(known)
            + "); refused (possible man-in-the-middle)")
        : new Verdict(Status.UNKNOWN, fingerprint, "host " + where + " is not in known_hosts " + file
            + " (its key is " + described + "); unknown host keys are refused");
  }

  /**
   * The plain keys known_hosts lists for the host (no authorities, nothing revoked): what a client
   * may prefer when it picks a host key algorithm.
   *
   * @param host the host
   * @param port the port
   * @return the keys, in file order; empty when the file is missing or unreadable
   */
  public List<PublicKey> keys(String host, int port) {
    try {
      return keys(KnownHostsFile.read(file), host, port);
    } catch (IOException unreadable) {
      return List.of();
    }
  }

  /** The plain keys {@code lines} list for the host, none revoked, in file order. */
  private static List<PublicKey> keys(List<Entry> lines, String host, int port) {
    List<PublicKey> out = new ArrayList<>();
    for (Entry l : lines) {
      if (l.marker().isEmpty() && l.matches(host, port)
          && lines.stream().noneMatch(r -> r.marker().equals("revoked") && same(r.key(), l.key()))) {
        out.add(l.key());
      }
    }
    return out;
  }

  /**
   * The host key algorithms to offer {@code host}, as OpenSSH's {@code ssh} orders them: when
   * known_hosts lists a key of the type of the first of {@code algorithms}, {@code algorithms}
   * unchanged; otherwise those whose key type known_hosts lists for the host (and, when an authority
   * is listed for it, every certificate algorithm) first, the rest after, each group in the order
   * given. So a client asks for a key it can check rather than negotiate a type the file does not know
   * and refuse the host.
   *
   * @param host the host
   * @param port the port
   * @param algorithms the client's host key algorithms, most preferred first (e.g.
   *     {@code ssh-ed25519}, {@code rsa-sha2-512}, {@code ecdsa-sha2-nistp256-cert-v01@openssh.com})
   * @return the same names, reordered
   */
  public List<String> hostKeyAlgorithms(String host, int port, List<String> algorithms) {
    List<Entry> lines;
    try {
      lines = KnownHostsFile.read(file); // once per connect: the known types and authorities both
    } catch (IOException unreadable) {
      return List.copyOf(algorithms);
    }
    List<String> known = keys(lines, host, port).stream().map(KeyUtils::getKeyType).toList();
    boolean authority = lines.stream().anyMatch(l -> l.marker().equals("cert-authority") && l.matches(host, port));
    if (algorithms.isEmpty() || known.contains(plainType(algorithms.get(0)))) {
      return List.copyOf(algorithms);
    }
    List<String> first = new ArrayList<>();
    List<String> last = new ArrayList<>();
    for (String a : algorithms) {
      (authority && a.contains(CERT) || known.contains(plainType(a)) ? first : last).add(a);
    }
    first.addAll(last);
    return List.copyOf(first);
  }

  /** The key type of a host key algorithm: {@code rsa-sha2-512} signs with an {@code ssh-rsa} key. */
  private static String plainType(String algorithm) {
    String type = algorithm;
    if (type.endsWith(CERT)) {
      type = type.substring(0, type.length() - CERT.length()) + (type.startsWith("sk-") ? "@openssh.com" : "");
    }
    return type.startsWith("rsa-sha2-") ? "ssh-rsa" : type;
  }

  private boolean trustedCertificate(List<Entry> lines, String host, int port, OpenSshCertificate cert) {
    if (cert.getType() != OpenSshCertificate.Type.HOST || !OpenSshCertificate.isValidAt(cert, clock.instant())
        || !cert.getPrincipals().isEmpty() && !cert.getPrincipals().contains(host)) {
      return false;
    }
    for (Entry l : lines) {
      if (l.marker().equals("cert-authority") && l.matches(host, port) && same(l.key(), cert.getCaPubKey())) {
        return true;
      }
    }
    return false;
  }

  private String at(Entry line) {
    return file + ":" + line.number();
  }

  private static boolean same(PublicKey a, PublicKey b) {
    return a != null && b != null && KeyUtils.compareKeys(a, b);
  }

  private static String describe(PublicKey key) {
    return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
  }

  @Override
  public String toString() {
    return "KnownHosts[" + file + "]";
  }
}

package dev.gitops.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.security.KnownHosts.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one known_hosts rule, on plain keys, host certificates and every kind of line OpenSSH writes. */
class KnownHostsTest {
  private static final String HOST = "git.example.com";
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private static final KeyPair SERVER = key();
  private static final KeyPair OTHER = key();
  private static final KeyPair CA = key();

  @TempDir
  Path dir;

  @Test
  void aKeyListedForTheHostIsAcceptedByNamePortPatternOrHash() throws Exception {
    assertEquals(Status.ACCEPTED, check(HOST + " " + line(SERVER), HOST, 22, SERVER.getPublic()));
    assertEquals(Status.ACCEPTED, check("[" + HOST + "]:2222 " + line(SERVER), HOST, 2222, SERVER.getPublic()));
    assertEquals(Status.UNKNOWN, check("[" + HOST + "]:2222 " + line(SERVER), HOST, 22, SERVER.getPublic()));
    assertEquals(Status.ACCEPTED, check("*.example.com " + line(SERVER), HOST, 22, SERVER.getPublic()));
    assertEquals(Status.UNKNOWN, check("*.example.com,!" + HOST + " " + line(SERVER), HOST, 22, SERVER.getPublic()));
    assertEquals(Status.ACCEPTED, check(hashed(HOST) + " " + line(SERVER), HOST, 22, SERVER.getPublic()));
    assertEquals(Status.ACCEPTED, check(hashed("[" + HOST + "]:2222") + " " + line(SERVER), HOST, 2222, SERVER.getPublic()));
  }

  @Test
  void anUnknownKeyIsRefusedAndNothingIsWritten() throws Exception {
    Path empty = Files.writeString(dir.resolve("known_hosts"), "");
    KnownHosts.Verdict v = KnownHosts.of(empty).check(HOST, 22, SERVER.getPublic());
    assertEquals(Status.UNKNOWN, v.status());
    assertFalse(v.accepted());
    assertTrue(v.message().contains(HOST + ":22") && v.message().contains(v.fingerprint()), v.message());
    assertEquals("", Files.readString(empty));
    Path missing = dir.resolve("missing");
    assertEquals(Status.UNKNOWN, KnownHosts.of(missing).check(HOST, 22, SERVER.getPublic()).status());
    assertFalse(Files.exists(missing));
  }

  @Test
  void anotherKeyForTheHostIsAChange() throws Exception {
    KnownHosts.Verdict v = verdict(HOST + " " + line(OTHER), HOST, 22, SERVER.getPublic());
    assertEquals(Status.CHANGED, v.status());
    assertTrue(v.message().contains("CHANGED"), v.message());
  }

  @Test
  void aRevokedKeyIsRefusedForEveryHostEvenWhenAlsoListed() throws Exception {
    String lines = HOST + " " + line(SERVER) + "\n@revoked other.example.org " + line(SERVER);
    KnownHosts.Verdict v = verdict(lines, HOST, 22, SERVER.getPublic());
    assertEquals(Status.REVOKED, v.status());
    assertTrue(v.message().contains("revoked"), v.message());
    assertEquals(List.of(), KnownHosts.of(write(lines)).keys(HOST, 22), "no revoked key is offered as known");
  }

  @Test
  void aHostCertificateSignedByAListedAuthorityIsAccepted() throws Exception {
    String ca = "@cert-authority *.example.com " + line(CA);
    assertEquals(Status.ACCEPTED, check(ca, HOST, 22, cert(OpenSshCertificate.Type.HOST, List.of(HOST), 1)));
    assertEquals(Status.ACCEPTED, check(ca, HOST, 22, cert(OpenSshCertificate.Type.HOST, List.of(), 1)),
        "no principals: valid for any host");
    assertEquals(List.of(), KnownHosts.of(write(ca)).keys(HOST, 22), "an authority is no host key");
  }

  @Test
  void aCertificateTheAuthorityDoesNotVouchForFallsBackToItsPlainKey() throws Exception {
    String ca = "@cert-authority *.example.com " + line(CA);
    assertEquals(Status.UNKNOWN, check(ca, HOST, 22, cert(OpenSshCertificate.Type.HOST, List.of("other.example.com"), 1)));
    assertEquals(Status.UNKNOWN, check(ca, HOST, 22, cert(OpenSshCertificate.Type.USER, List.of(HOST), 1)));
    assertEquals(Status.UNKNOWN, check(ca, HOST, 22, cert(OpenSshCertificate.Type.HOST, List.of(HOST), -1)), "expired");
    assertEquals(Status.UNKNOWN, check("@cert-authority other.org " + line(CA), HOST, 22,
        cert(OpenSshCertificate.Type.HOST, List.of(HOST), 1)), "authority for other hosts");
    assertEquals(Status.ACCEPTED, check(HOST + " " + line(SERVER), HOST, 22,
        cert(OpenSshCertificate.Type.HOST, List.of("other.example.com"), 1)), "its key is listed");
  }

  @Test
  void anAuthorityNeverVouchesForAPlainKeyNotEvenItsOwn() throws Exception {
    assertEquals(Status.UNKNOWN, check("@cert-authority " + HOST + " " + line(CA), HOST, 22, CA.getPublic()));
    assertEquals(Status.UNKNOWN, check("@cert-authority " + HOST + " " + line(CA), HOST, 22, SERVER.getPublic()));
  }

  @Test
  void aRevokedAuthorityOrCertifiedKeyRefusesTheCertificate() throws Exception {
    String ca = "@cert-authority *.example.com " + line(CA);
    assertEquals(Status.REVOKED, check(ca + "\n@revoked * " + line(CA), HOST, 22,
        cert(OpenSshCertificate.Type.HOST, List.of(HOST), 1)));
    assertEquals(Status.REVOKED, check(ca + "\n@revoked * " + line(SERVER), HOST, 22,
        cert(OpenSshCertificate.Type.HOST, List.of(HOST), 1)));
  }

  @Test
  void malformedLinesAndCommentsAreSkippedAndAnUnreadableFileRefusesEverything() throws Exception {
    String lines = "# a comment\n" + HOST + " ssh-ed25519 not-base64!\n\ngarbage\n" + HOST + " " + line(SERVER);
    assertEquals(Status.ACCEPTED, check(lines, HOST, 22, SERVER.getPublic()));
    Path directory = Files.createDirectories(dir.resolve("a-directory"));
    KnownHosts.Verdict v = KnownHosts.of(directory).check(HOST, 22, SERVER.getPublic());
    assertEquals(Status.UNREADABLE, v.status());
    assertTrue(v.message().contains(directory.toString()), v.message());
  }

  @Test
  void aPlainNameIsPort22OnlyAndAWildcardMatchesEveryPortAsInOpenSsh() throws Exception {
    assertEquals(Status.UNKNOWN, check(HOST + " " + line(SERVER), HOST, 2222, SERVER.getPublic()));
    assertEquals(Status.UNKNOWN, check("[" + HOST + "]:22 " + line(SERVER), HOST, 22, SERVER.getPublic()),
        "ssh looks a host on port 22 up by its bare name");
    assertEquals(Status.ACCEPTED, check("* " + line(SERVER), HOST, 2222, SERVER.getPublic()));
    assertEquals(Status.ACCEPTED, check("[*.example.com]:2222 " + line(SERVER), HOST, 2222, SERVER.getPublic()));
    assertEquals(Status.ACCEPTED, check("[" + HOST + "]:22?? " + line(SERVER), HOST, 2222, SERVER.getPublic()));
    assertEquals(Status.UNKNOWN, check("*.example.com " + line(SERVER), HOST, 2222, SERVER.getPublic()));
    assertEquals(Status.ACCEPTED, check("GIT.Example.COM " + line(SERVER), "git.EXAMPLE.com", 22, SERVER.getPublic()));
    assertEquals(Status.UNKNOWN, check("*,!*.com " + line(SERVER), HOST, 22, SERVER.getPublic()));
    assertEquals(Status.ACCEPTED, check("*,!*.com " + line(SERVER), HOST, 2222, SERVER.getPublic()),
        "!*.com does not match [git.example.com]:2222");
  }

  @Test
  void linesAreReadAsUsersHaveThem() throws Exception {
    KeyPair rsa = KeyUtils.generateKeyPair("ssh-rsa", 2048);
    String lines = "# written by ssh-keyscan\r\n\r\n  " + HOST + "\t" + line(rsa) + " root@host\r\n"
        + "@future " + HOST + " " + line(OTHER) + "\n"       // a marker OpenSSH does not know: skipped
        + HOST + " ssh-rsa " + line(OTHER).split(" ")[1] + "\n" // a key of another type than named: skipped
        + HOST + "\n"                                          // no key: skipped
        + hashed(HOST) + " " + line(SERVER) + " comment with spaces\r\n";
    assertEquals(Status.ACCEPTED, check(lines, HOST, 22, rsa.getPublic()), "CRLF, tabs, comment");
    assertEquals(Status.ACCEPTED, check(lines, HOST, 22, SERVER.getPublic()), "a second key, another type");
    assertEquals(Status.CHANGED, check(lines, HOST, 22, OTHER.getPublic()), "the skipped lines vouch for nothing");
    assertEquals(2, KnownHosts.of(write(lines)).keys(HOST, 22).size());
  }

  @Test
  void aRefusalNamesTheOfferedKeyAndTheLineThatKnowsTheHost() throws Exception {
    Path file = write("# keys\nother.example.org " + line(SERVER) + "\n" + HOST + " " + line(OTHER));
    KnownHosts.Verdict v = KnownHosts.of(file).check(HOST, 22, SERVER.getPublic());
    assertEquals(Status.CHANGED, v.status());
    assertEquals("host key of " + HOST + ":22 has CHANGED: it offered ecdsa-sha2-nistp256 " + v.fingerprint()
        + ", but known_hosts has another key for it (ecdsa-sha2-nistp256 at " + file + ":3); refused (possible"
        + " man-in-the-middle)", v.message());
    assertEquals(KeyUtils.getFingerPrint(SERVER.getPublic()), v.fingerprint());
    String revoked = KnownHosts.of(write(HOST + " " + line(SERVER) + "\n@revoked * " + line(SERVER)))
        .check(HOST, 22, SERVER.getPublic()).message();
    assertTrue(revoked.matches(".*is revoked at .*known_hosts.*:2; refused"), revoked);
  }

  @Test
  void hostKeyAlgorithmsPutTheKnownTypesFirstAsOpenSshDoes() throws Exception {
    List<String> offer = List.of("ecdsa-sha2-nistp256-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com",
        "rsa-sha2-512-cert-v01@openssh.com", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ssh-ed25519",
        "rsa-sha2-512", "rsa-sha2-256");
    KeyPair rsa = KeyUtils.generateKeyPair("ssh-rsa", 2048);
    KeyPair p384 = KeyUtils.generateKeyPair("ecdsa-sha2-nistp384", 384);
    assertEquals(List.of("rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-512", "rsa-sha2-256",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com", "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384", "ssh-ed25519"), algorithms(HOST + " " + line(rsa), offer));
    assertEquals(List.of("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "ssh-ed25519-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com", "ecdsa-sha2-nistp256", "ssh-ed25519",
        "rsa-sha2-512", "rsa-sha2-256"), algorithms(HOST + " " + line(p384), offer), "the curve counts");
    assertEquals(offer, algorithms(HOST + " " + line(SERVER), offer), "the first choice is known: unchanged");
    assertEquals(offer, algorithms("other.org " + line(rsa), offer), "nothing known: unchanged");
    assertEquals(offer, algorithms(HOST + " " + line(rsa) + "\n@revoked * " + line(rsa), offer), "revoked");
    assertEquals(List.of("ecdsa-sha2-nistp256-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com",
        "rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-512", "rsa-sha2-256", "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384", "ssh-ed25519"), algorithms("@cert-authority * " + line(CA) + "\n" + HOST + " "
        + line(rsa), offer), "an authority: every certificate algorithm first");
  }

  // --- fixtures

  private Status check(String lines, String host, int port, PublicKey key) throws Exception {
    return verdict(lines, host, port, key).status();
  }

  private KnownHosts.Verdict verdict(String lines, String host, int port, PublicKey key) throws Exception {
    return KnownHosts.of(write(lines)).withClock(Clock.fixed(NOW, ZoneOffset.UTC)).check(host, port, key);
  }

  private List<String> algorithms(String lines, List<String> offer) throws Exception {
    return KnownHosts.of(write(lines)).hostKeyAlgorithms(HOST, 22, offer);
  }

  private Path write(String lines) throws Exception {
    return Files.writeString(Files.createTempFile(dir, "known_hosts", ""), lines + "\n");
  }

  private static String line(KeyPair key) {
    return PublicKeyEntry.toString(key.getPublic());
  }

  /** A host certificate of {@link #SERVER} signed by {@link #CA}, valid for a day before or after {@link #NOW}. */
  private static OpenSshCertificate cert(OpenSshCertificate.Type type, List<String> principals, int validity)
      throws Exception {
    OpenSshCertificateBuilder b = type == OpenSshCertificate.Type.HOST
        ? OpenSshCertificateBuilder.hostCertificate() : OpenSshCertificateBuilder.userCertificate();
    Instant from = validity > 0 ? NOW.minus(1, ChronoUnit.DAYS) : NOW.minus(3, ChronoUnit.DAYS);
    return b.publicKey(SERVER.getPublic()).serial(1).id("test").principals(principals)
        .validAfter(from).validBefore(from.plus(2, ChronoUnit.DAYS)).sign(CA);
  }

  /** OpenSSH's hashed host name: {@code |1|base64(salt)|base64(HMAC-SHA1(salt, name))}. */
  private static String hashed(String name) throws Exception {
    byte[] salt = new byte[20];
    new java.security.SecureRandom().nextBytes(salt);
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(salt, "HmacSHA1"));
    byte[] hash = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
    return "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hash);
  }

  private static KeyPair key() {
    try {
      return KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

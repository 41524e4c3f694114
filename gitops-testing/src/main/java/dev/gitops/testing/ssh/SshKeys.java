package dev.gitops.testing.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SSH keys for tests, made with OpenSSH's {@code ssh-keygen} (which must be on the {@code PATH}).
 * Stateless and thread-safe.
 */
public final class SshKeys {
  private SshKeys() {
  }

  /**
   * Generates a fresh ed25519 key pair: {@code file} (the private key, OpenSSH format) and
   * {@code file.pub}, replacing both if present.
   *
   * @param file where the private key goes; its public key goes beside it, with {@code .pub} appended
   * @param passphrase the private key's passphrase, empty for none
   * @return {@code file}
   * @throws IOException when {@code ssh-keygen} fails or cannot be started
   * @throws InterruptedException when interrupted while waiting for {@code ssh-keygen}
   */
  public static Path ed25519(Path file, String passphrase) throws IOException, InterruptedException {
    return generate(file, "ed25519", passphrase);
  }

  /**
   * Generates a fresh key pair of {@code type} as {@link #ed25519} does: OpenSSH's private key format
   * unless {@code type} is {@code "rsa-pem"} (an RSA key in the PEM format of
   * {@code -----BEGIN RSA PRIVATE KEY-----}, as older {@code ssh-keygen}s wrote by default).
   *
   * @param file where the private key goes; its public key goes beside it, with {@code .pub} appended
   * @param type {@code ssh-keygen -t}'s type ({@code ed25519}, {@code ecdsa}, {@code rsa}) or
   *     {@code rsa-pem}
   * @param passphrase the private key's passphrase, empty for none
   * @return {@code file}
   * @throws IOException when {@code ssh-keygen} fails or cannot be started
   * @throws InterruptedException when interrupted while waiting for {@code ssh-keygen}
   */
  public static Path generate(Path file, String type, String passphrase) throws IOException, InterruptedException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(publicKey(file));
    boolean pem = type.equals("rsa-pem");
    List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", pem ? "rsa" : type, "-a", "2",
        "-N", passphrase, "-C", "test", "-f", file.toString()));
    if (pem) {
      command.addAll(List.of("-m", "PEM"));
    }
    run(command.toArray(String[]::new));
    return file;
  }

  /**
   * {@return {@code privateKey} with {@code .pub} appended: its public key file}
   *
   * @param privateKey a private key file
   */
  public static Path publicKey(Path privateKey) {
    return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
  }

  /** Writes {@code host_key-cert.pub} beside {@code hostPublicKey}, signed by {@code ca} for {@code principal}. */
  static Path certifyHost(Path ca, Path hostPublicKey, String principal) throws IOException, InterruptedException {
    run("ssh-keygen", "-q", "-s", ca.toString(), "-I", "test-host", "-h", "-n", principal, hostPublicKey.toString());
    return hostPublicKey.resolveSibling(hostPublicKey.getFileName().toString().replaceFirst("\\.pub$", "-cert.pub"));
  }

  /** {@code [host]:port ssh-ed25519 AAAA...} and a newline (without the brackets and port on port 22). */
  static String knownHostsLine(String host, int port, Path publicKey) throws IOException {
    String[] pub = Files.readString(publicKey).trim().split("\\s+");
    return (port == 22 ? host : "[" + host + "]:" + port) + " " + pub[0] + " " + pub[1] + "\n";
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(command[0] + " failed: " + out);
    }
  }
}

package dev.gitops.testing.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SSH keys and {@code known_hosts} lines for tests, made with OpenSSH's {@code ssh-keygen} (which must
 * be on the {@code PATH}). Stateless and thread-safe.
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
    Files.deleteIfExists(file);
    Files.deleteIfExists(publicKey(file));
    run("ssh-keygen", "-q", "-t", "ed25519", "-a", "2", "-N", passphrase, "-C", "test", "-f", file.toString());
    return file;
  }

  /**
   * Certifies a host key: writes {@code <name>-cert.pub} beside {@code hostPublicKey}, signed by the
   * certificate authority's private key {@code ca}, valid for {@code principal}.
   *
   * @param ca the authority's private key file
   * @param hostPublicKey the host's public key file ({@code .pub})
   * @param principal the host name the certificate names, e.g. {@code 127.0.0.1}
   * @return the certificate file
   * @throws IOException when {@code ssh-keygen} fails or cannot be started
   * @throws InterruptedException when interrupted while waiting for {@code ssh-keygen}
   */
  public static Path certifyHost(Path ca, Path hostPublicKey, String principal)
      throws IOException, InterruptedException {
    run("ssh-keygen", "-q", "-s", ca.toString(), "-I", "test-host", "-h", "-n", principal,
        hostPublicKey.toString());
    String name = hostPublicKey.getFileName().toString().replaceFirst("\\.pub$", "");
    return hostPublicKey.resolveSibling(name + "-cert.pub");
  }

  /**
   * The public key file beside a private key file.
   *
   * @param privateKey a private key file
   * @return {@code privateKey} with {@code .pub} appended
   */
  public static Path publicKey(Path privateKey) {
    return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
  }

  /**
   * A {@code known_hosts} line (ending in a newline) for {@code host} on {@code port} with the key in
   * {@code publicKey}: {@code [127.0.0.1]:2222 ssh-ed25519 AAAA...}, or {@code host ssh-ed25519 AAAA...}
   * on port 22.
   *
   * @param host the host name or address as clients will name it
   * @param port the port clients connect to
   * @param publicKey a public key file ({@code .pub}, one line: type, key, comment)
   * @return the line
   * @throws IOException when the key file cannot be read
   */
  public static String knownHostsLine(String host, int port, Path publicKey) throws IOException {
    String[] pub = Files.readString(publicKey).trim().split("\\s+");
    String name = port == 22 ? host : "[" + host + "]:" + port;
    return name + " " + pub[0] + " " + pub[1] + "\n";
  }

  static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(command[0] + " failed: " + out);
    }
  }
}

package dev.gitops.ssh;

import dev.gitops.security.KnownHosts;
import dev.gitops.security.SshAlgorithms;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.signature.Signature;

/**
 * Hands core's {@link SshAlgorithms} policy, the one Git over SSH follows too, to a MINA SSHD
 * client: the named key exchanges and ciphers, in the policy's order, and MINA's host key algorithms
 * in the order {@link KnownHosts#hostKeyAlgorithms} gives for the host. Nothing is decided here. Not
 * part of the public API.
 */
final class Algorithms {
  private Algorithms() {}

  /** Sets {@code client}'s key exchanges and ciphers to the policy's lists. */
  public static void prefer(SshClient client, boolean postQuantumFirst) {
    Map<String, KeyExchangeFactory> kex = ClientBuilder.setUpDefaultKeyExchanges(true).stream()
        .collect(Collectors.toMap(KeyExchangeFactory::getName, Function.identity()));
    client.setKeyExchangeFactories(SshAlgorithms.keyExchanges(postQuantumFirst).stream().map(kex::get).toList());
    List<NamedFactory<Cipher>> ciphers = SshAlgorithms.ciphers().stream()
        .<NamedFactory<Cipher>>map(BuiltinCiphers::fromFactoryName).toList();
    client.setCipherFactories(ciphers);
  }

  /**
   * Sets {@code client}'s host key algorithms (MINA's defaults) to the order {@code knownHosts} gives
   * for {@code host} on {@code port}: the types it knows first, as OpenSSH's {@code ssh} asks for them.
   */
  public static void preferKnownHostKeys(SshClient client, KnownHosts knownHosts, String host, int port) {
    List<NamedFactory<Signature>> defaults = ClientBuilder.setUpDefaultSignatureFactories(true);
    Map<String, NamedFactory<Signature>> byName = defaults.stream()
        .collect(Collectors.toMap(NamedFactory::getName, Function.identity()));
    List<String> ordered = knownHosts.hostKeyAlgorithms(host, port, NamedResource.getNameList(defaults));
    client.setSignatureFactories(ordered.stream().map(byName::get).toList());
  }
}

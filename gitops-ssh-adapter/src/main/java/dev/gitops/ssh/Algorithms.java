package dev.gitops.ssh;

import dev.gitops.security.SshAlgorithms;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.kex.KeyExchangeFactory;

/**
 * Hands core's {@link SshAlgorithms} policy, the one Git over SSH follows too, to a MINA SSHD
 * client: the named key exchanges and ciphers, in the policy's order. Nothing is decided here. Not
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
}

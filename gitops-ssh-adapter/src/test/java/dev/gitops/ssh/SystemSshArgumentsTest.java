package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The argument vector of a {@link SystemSshHost}'s {@code ssh}: what each option is, and what can never get in. */
class SystemSshArgumentsTest {
  private static SystemSshArguments arguments(Path key, Path knownHosts) {
    return new SystemSshArguments("ssh", "web1", 2222, "deploy", key, knownHosts, Duration.ofMillis(1500),
        Duration.ofSeconds(15), false, Duration.ofSeconds(30));
  }

  @Test
  void noConfigTheGivenKeyAndKnownHostsOnlyStrictlyThenTheDestinationThenTheConstantCommandLine() {
    List<String> a = arguments(Path.of("/k/id"), Path.of("/k/known hosts%h")).command(Path.of("/tmp/c d/c"));
    assertEquals(List.of("ssh", "-F", "/dev/null"), a.subList(0, 3));
    for (String option : List.of("BatchMode=yes", "StrictHostKeyChecking=yes", "UserKnownHostsFile=\"/k/known hosts%%h\"",
        "GlobalKnownHostsFile=/dev/null", "UpdateHostKeys=no", "IdentitiesOnly=yes", "IdentityAgent=none",
        "ConnectTimeout=2", "ServerAliveInterval=15", "ServerAliveCountMax=3",
        "KexAlgorithms=^curve25519-sha256,curve25519-sha256@libssh.org",
        "Ciphers=aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr",
        "ControlMaster=auto", "ControlPath=\"/tmp/c d/c\"", "ControlPersist=30s")) {
      int at = a.indexOf(option);
      assertTrue(at > 0 && a.get(at - 1).equals("-o"), option + " in " + a);
    }
    assertEquals("/k/id", a.get(a.indexOf("-i") + 1));
    assertEquals("2222", a.get(a.indexOf("-p") + 1));
    assertEquals("deploy", a.get(a.indexOf("-l") + 1));
    assertEquals(List.of("--", "web1", "sh -c 'IFS= read -r c || exit; eval \"$c\"'"), a.subList(a.size() - 3, a.size()));
  }

  @Test
  void aKeptConnectionIsNamedAfterEveryOptionOfIt() {
    String key = arguments(Path.of("/k/id"), Path.of("/k/kh")).connectionKey();
    assertTrue(key.matches("[0-9a-f]{16}"), key);
    assertEquals(key, arguments(Path.of("/k/id"), Path.of("/k/kh")).connectionKey(), "built alike: the same");
    for (SystemSshArguments other : List.of(arguments(Path.of("/k/other"), Path.of("/k/kh")),
        arguments(Path.of("/k/id"), Path.of("/k/kh2")),
        new SystemSshArguments("ssh", "web2", 2222, "deploy", Path.of("/k/id"), Path.of("/k/kh"), Duration.ofMillis(1500),
            Duration.ofSeconds(15), false, Duration.ofSeconds(30)),
        new SystemSshArguments("ssh", "web1", 2222, "root", Path.of("/k/id"), Path.of("/k/kh"), Duration.ofMillis(1500),
            Duration.ofSeconds(15), false, Duration.ofSeconds(30)),
        new SystemSshArguments("ssh", "web1", 2222, "deploy", Path.of("/k/id"), Path.of("/k/kh"), Duration.ofMillis(1500),
            Duration.ofSeconds(15), true, Duration.ofSeconds(30)))) {
      assertTrue(!key.equals(other.connectionKey()), "another key, known_hosts, host, user or algorithm order");
    }
  }

  @Test
  void theMasterIsTheCommandsConnectionWithNoRemoteCommand() {
    SystemSshArguments arguments = arguments(Path.of("/k/id"), Path.of("/k/kh"));
    List<String> master = arguments.master(Path.of("/tmp/c"));
    List<String> command = arguments.command(Path.of("/tmp/c"));
    assertEquals(command.subList(0, command.size() - 3), master.subList(0, master.size() - 4), "the same options");
    assertEquals(List.of("-f", "-N", "--", "web1"), master.subList(master.size() - 4, master.size()));
  }

  @Test
  void maxSessionsIsAtLeastOne() {
    assertThrows(IllegalArgumentException.class, () -> SystemSshHost.builder().host("web1").user("deploy")
        .identity(Path.of("/k")).knownHosts(Path.of("/kh")).maxSessions(0).build());
  }

  @Test
  void withoutSharingNoControlSocketIsUsed() {
    List<String> a = arguments(Path.of("/k/id"), Path.of("/k/kh")).command(null);
    assertTrue(a.contains("ControlMaster=no") && a.contains("ControlPath=none"), a.toString());
  }

  @Test
  void aHostOrUserThatCouldBeReadAsAnOptionIsRefused() {
    for (String host : List.of("-oProxyCommand=touch /tmp/x", "evil@web1", " web1", "")) {
      assertThrows(IllegalArgumentException.class, () -> SystemSshHost.builder().host(host).user("deploy")
          .identity(Path.of("/k")).knownHosts(Path.of("/kh")).build(), host);
    }
    assertThrows(IllegalArgumentException.class, () -> SystemSshHost.builder().host("web1").user("-oX=y")
        .identity(Path.of("/k")).knownHosts(Path.of("/kh")).build());
    assertThrows(IllegalArgumentException.class, () -> arguments(Path.of("/k"), Path.of("/k/\"kh")));
  }

  /**
   * Exit status 255 with a message: what OpenSSH prints when an open session is lost says the command
   * may have run; what it prints when the connection or login failed, or was closed during the key
   * exchange, says it could not connect.
   */
  @Test
  void aLostSessionIsToldFromAFailedConnection() {
    for (String lost : List.of("Connection to 10.0.0.1 closed by remote host.",
        "client_loop: send disconnect: Broken pipe", "Timeout, server 10.0.0.1 not responding.",
        "mux_client_request_session: read from master failed: Broken pipe")) {
      String m = failure(lost);
      assertTrue(m.startsWith("web1: ssh lost the connection (exit 255)") && m.contains("may have run")
          && m.endsWith(lost), m);
    }
    for (String refused : List.of("kex_exchange_identification: Connection closed by remote host",
        "ssh: connect to host 10.0.0.1 port 22: Connection refused", "deploy@10.0.0.1: Permission denied (publickey).",
        "ssh: Could not resolve hostname web1: Name or service not known")) {
      String m = failure(refused);
      assertTrue(m.startsWith("web1: ssh could not connect or log in (exit 255): ") && !m.contains("may have run"), m);
    }
  }

  /** OpenSSH 9.2's words for a changed key (LogLevel ERROR): the refusal names what was offered and the known line. */
  @Test
  void aChangedKeyNamesTheOfferedKeyAndTheOffendingLine() throws Exception {
    String said = String.join("\n", "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
        "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @",
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
        "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!",
        "The fingerprint for the ECDSA key sent by the remote host is",
        "SHA256:MiqFjVpo2T8aV1PfRcg/JCtqytac74qIxJxZ5U8oqBk.",
        "Please contact your system administrator.",
        "Add correct host key in /etc/my hosts/known_hosts to get rid of this message.",
        "Offending ED25519 key in /etc/my hosts/known_hosts:3",
        "  remove with:",
        "  ssh-keygen -f \"/etc/my hosts/known_hosts\" -R \"[web1]:2222\"",
        "Host key for [web1]:2222 has changed and you have requested strict checking.",
        "Host key verification failed.");
    RuntimeException e = SystemSshArguments.failure("web1", "web1:2222", Path.of("/etc/my hosts/known_hosts"), said,
        () -> "");
    HostKeyRejectedException refused = assertInstanceOf(HostKeyRejectedException.class, e);
    assertTrue(refused.changed());
    assertEquals("SHA256:MiqFjVpo2T8aV1PfRcg/JCtqytac74qIxJxZ5U8oqBk", refused.fingerprint());
    assertTrue(refused.getMessage().startsWith("host key of [web1]:2222 has CHANGED: it offered ECDSA "
        + refused.fingerprint() + ", but known_hosts has another key for it (ED25519 at /etc/my hosts/known_hosts:3)"),
        refused.getMessage());
  }

  private static String failure(String stderr) {
    return assertThrows(java.io.IOException.class, () -> SystemSshArguments.failure("web1", "web1:22", Path.of("/kh"),
        stderr, () -> "")).getMessage();
  }
}

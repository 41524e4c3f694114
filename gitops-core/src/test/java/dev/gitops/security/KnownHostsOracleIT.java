package dev.gitops.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which known_hosts lines name which host, checked against OpenSSH itself: {@code ssh-keygen -F name}
 * finds a line exactly when {@code ssh} would use it for {@code name} ({@code host} on port 22,
 * {@code [host]:port} on any other). Host patterns, ports, wildcards, negation, case, hashed names.
 */
class KnownHostsOracleIT {
  private static final List<String> PATTERNS = List.of("h.example.com", "H.EXAMPLE.COM", "[h.example.com]:2222",
      "[h.example.com]:22", "h.example.com:2222", "*", "*.example.com", "*.Example.com", "[*.example.com]:2222",
      "h.example.co?", "[h.example.com]:222?", "[h.example.com]:*", "*:2222", "[*]:2222", "h*", "*com",
      "*.example.com,!h.example.com", "!h.example.com,*.example.com", "!h.example.com", "!*", "*,!*.com",
      "other,[h.example.com]:2222", "h.example.com,other", "127.0.0.1", "[127.0.0.1]:2222", "127.0.0.*",
      "[127.0.0.1]:2222,!127.0.0.1", "[h.example.com]:2222,h.example.com", "h.example.com,", ",h.example.com");
  private static final List<String> HOSTS = List.of("h.example.com", "H.example.com", "x.h.example.com", "127.0.0.1");
  private static final List<Integer> PORTS = List.of(22, 2222);

  @TempDir Path dir;

  @Test
  void everyPatternNamesTheHostsOpenSshFindsItFor() throws Exception {
    assumeTrue(onPath("ssh-keygen"), "ssh-keygen is not installed: skipping");
    KeyPair pair = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
    String key = PublicKeyEntry.toString(pair.getPublic());
    List<String> differences = new ArrayList<>();
    int cases = 0;
    for (String pattern : PATTERNS) {
      for (boolean hash : new boolean[] {false, true}) {
        Path file = Files.writeString(dir.resolve("known_hosts"), pattern + " " + key + "\n");
        if (hash && !pattern.contains(",") && !pattern.contains("*") && !pattern.contains("?")) {
          run("ssh-keygen", "-q", "-H", "-f", file.toString()); // OpenSSH's own hashing of the name
        } else if (hash) {
          continue; // ssh-keygen -H leaves patterns as they are
        }
        for (String host : HOSTS) {
          for (int port : PORTS) {
            String name = port == 22 ? host : "[" + host + "]:" + port;
            boolean openssh = run("ssh-keygen", "-F", name.toLowerCase(java.util.Locale.ROOT), "-f", file.toString())
                .contains(key.split(" ")[1]);
            boolean ours = KnownHosts.of(file).check(host, port, pair.getPublic()).accepted();
            cases++;
            if (openssh != ours) {
              differences.add((hash ? "hashed " : "") + "'" + pattern + "' for " + name + ": OpenSSH " + openssh
                  + ", ours " + ours);
            }
          }
        }
      }
    }
    assertEquals(List.of(), differences, "of " + cases + " cases");
  }

  private static boolean onPath(String program) {
    return List.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}

package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.testing.git.GitRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bouncy Castle is an optional dependency: on a classpath without it (its own Failsafe execution
 * excludes {@code org.bouncycastle:*}), asking for OpenPGP verification fails at once naming the
 * artifact to add, and SSH signatures are still verified. {@link GitSignatureIT} covers the
 * classpath with Bouncy Castle.
 */
class WithoutBouncyCastleIT {
  @TempDir Path tmp;

  @BeforeEach
  void onlyInItsOwnExecution() {
    Assumptions.assumeTrue(Boolean.getBoolean("gitops.test.withoutBouncyCastle"),
        "runs in gitops-core's without-bouncy-castle Failsafe execution only");
  }

  @Test
  void theClasspathReallyHasNoBouncyCastle() {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.bouncycastle.openpgp.PGPSignature"));
  }

  @Test
  void askingForOpenPgpVerificationNamesTheArtifactToAdd() {
    SourceException e = assertThrows(SourceException.class, () -> Verification.openPgp(tmp.resolve("keys.asc")));
    assertTrue(e.getMessage().contains("add org.bouncycastle:bcpg-jdk18on"), e.getMessage());
  }

  @Test
  void sshSignaturesAreVerifiedWithoutBouncyCastle() throws Exception {
    SshSigner signer = SshSigner.create(tmp);
    Path key = signer.key();
    Path allowed = signer.allowedSigners();
    try (GitRepo repo = GitRepo.init(tmp.resolve("remote"))) {
      repo.commit("base", Map.of("app.yaml", "v: 1\n"));
      String signed = git(repo.dir(), "-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "-c", "user.name=Test Author",
          "-c", "user.email=author@example.com", "commit", "--allow-empty", "-S", "-q", "-m", "signed");
      assertEquals("", signed);
      String head = git(repo.dir(), "rev-parse", "HEAD").trim();
      try (GitSource source = GitSource.builder(repo.dir().toString()).ref("main").cache(tmp.resolve("cache"))
          .verify(Verification.ssh(allowed)).build()) {
        assertEquals(head, source.latest().id());
      }
    }
  }

  private static String git(Path dir, String... args) throws Exception {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "git";
    cmd[1] = "-C";
    cmd[2] = dir.toString();
    System.arraycopy(args, 0, cmd, 3, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    return out;
  }
}

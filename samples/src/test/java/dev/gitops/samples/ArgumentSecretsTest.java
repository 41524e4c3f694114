package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A credential typed on the command line is never printed, wherever the command echoes the argument
 * that holds it: usage errors quote what was typed, a mistyped option takes the URL as its value.
 */
class ArgumentSecretsTest {
  private static final String TOKEN = "ghp_s3cr3tT0ken";
  @TempDir Path tmp;

  private static void assertMasked(Cli cli, String masked) {
    assertEquals(1, cli.exit(), cli::toString);
    assertFalse(cli.out().contains("s3cr3t") || cli.err().contains("s3cr3t"), cli::toString);
    assertTrue(cli.err().contains(masked), cli::toString);
  }

  @Test
  void aUrlGivenWhereATargetBelongsIsEchoedMasked() {
    String url = "https://ci:" + TOKEN + "@git.example.com/team/repo.git";
    assertMasked(Cli.run("plan", "--repo", url, "--target", url), "--target https://***@git.example.com/team/repo.git: want");
    assertMasked(Cli.run("plan", "--repo", url, "--target=" + url), "--target https://***@git.example.com/team/repo.git");
  }

  @Test
  void anUnmatchedArgumentIsQuotedMasked() {
    assertMasked(Cli.run("plna", "https://" + TOKEN + "@github.com/team/repo.git"),
        "'https://***@github.com/team/repo.git'");
    assertMasked(Cli.run("plan", "--verbose", "--repo", "ssh://git:" + TOKEN + "@host/repo.git", "--target", "dir:" + tmp,
        "extra"), "");
  }

  @Test
  void percentEncodedCredentialsAreMaskedInBothForms() {
    Cli cli = Cli.run("plan", "--repo", "x", "--target", "https://ci:s3cr3t%40pass@host/r.git");
    assertMasked(cli, "https://***@host/r.git");
    assertFalse(cli.err().contains("s3cr3t@pass"), cli::toString);
  }

  @Test
  void argumentsWithoutCredentialsPrintAsTyped() {
    Cli cli = Cli.run("plan", "--repo", "https://git.example.com/r.git", "--target", "https://git.example.com/r.git");
    assertTrue(cli.err().contains("--target https://git.example.com/r.git: want"), cli::toString);
  }
}

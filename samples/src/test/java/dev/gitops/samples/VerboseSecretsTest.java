package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.testing.git.GitRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 10, end to end: {@code push --verbose} to {@code k8s-mock} never prints a Secret's
 * data. Run as its own JVM, as a user runs it, so that every logger (this project's at debug,
 * fabric8's mock server and HTTP client at their defaults) is configured by the command line alone
 * and writes to the process's own output.
 */
class VerboseSecretsTest {
  private static final String SECRET = "s3cret-pa55word-for-verbose";
  @TempDir Path tmp;

  @Test
  void verbosePushToTheMockClusterPrintsNoSecretData() throws Exception {
    String encoded = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.write("k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: default\n"
          + "data:\n  password: " + encoded + "\nstringData:\n  token: " + SECRET + "\n").commit("secret");
      String output = run("push", "--verbose", "--yes", "--repo", repo.dir().toString(), "--path", "k8s",
          "--target", "k8s-mock");
      assertTrue(output.contains("Secret/default/db"), output);
      assertTrue(output.contains("[DEBUG]"), "--verbose logs this project's debug lines: " + output);
      assertFalse(output.contains(SECRET), output);
      assertFalse(output.contains(encoded), output);
      assertFalse(output.contains(Base64.getEncoder().encodeToString(encoded.getBytes(StandardCharsets.UTF_8))),
          output);
    }
  }

  private String run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    builder.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the command line ends");
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), text);
    return text;
  }
}

package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README quotes the embedding samples; the build compiles them. This keeps the two the same. */
class ReadmeSamplesTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void readmeQuotesThePullAgentSampleAsCompiled() throws Exception {
    assertQuoted("pull/PullAgentSample.java", "pull");
  }

  @Test
  void readmeQuotesThePushDeploySampleAsCompiled() throws Exception {
    assertQuoted("push/PushDeploySample.java", "push");
  }

  private static void assertQuoted(String sample, String tag) throws Exception {
    String source = Files.readString(ROOT.resolve("samples/src/main/java/dev/gitops/samples/" + sample));
    Matcher m = Pattern.compile("// README:" + tag + "\n(.*?)\n\\s*// README:end", Pattern.DOTALL).matcher(source);
    assertTrue(m.find(), sample + " lacks its README markers");
    String snippet = m.group(1).stripIndent().strip();
    assertTrue(snippet.lines().count() < 15, sample + ": the README quote must stay under 15 lines");
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertTrue(readme.contains("```java\n" + snippet + "\n```"),
        "README.md must quote " + sample + " exactly, as:\n" + snippet);
  }
}

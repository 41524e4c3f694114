package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  /**
   * The push example needs as few project types as the pull example (issue 16: at most five). It
   * counts the project's imports of the sample, the quote's only source of names: {@code var} hides
   * the plan's and the result's types, and the sample imports nothing of the project it does not use.
   */
  @Test
  void thePushExampleNeedsAtMostFiveProjectTypes() throws Exception {
    List<String> used = projectImports("push/PushDeploySample.java");
    List<String> pull = projectImports("pull/PullAgentSample.java");
    assertTrue(used.size() <= 5, "the push example needs " + used.size() + " project types: " + used);
    assertTrue(used.size() <= pull.size(), "the push example " + used + " is as short as the pull example " + pull);
  }

  private static List<String> projectImports(String sample) throws Exception {
    String source = Files.readString(ROOT.resolve("samples/src/main/java/dev/gitops/samples/" + sample));
    assertTrue(!source.substring(source.indexOf("// README:")).contains("dev.gitops."),
        sample + " names project types only through imports");
    return Pattern.compile("^import dev\\.gitops\\.[a-z0-9.]+\\.([A-Z]\\w*);$", Pattern.MULTILINE)
        .matcher(source).results().map(r -> r.group(1)).toList();
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

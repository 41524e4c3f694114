package dev.gitops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.Applier;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Scope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's "Core concepts" example is this class's {@link #example()} body, word for word, and it
 * runs and prints what its comments say.
 */
class ReadmeExampleTest {
  private static final String BEGIN = "// README:begin";
  private static final String END = "// README:end";

  private record Result(DesiredState desired, Plan plan, ApplyReport report, InMemoryTarget target) {}

  @SuppressWarnings("unused")
  private static Result example() {
    // README:begin
    Resource oldConf = Resource.of(ResourceId.file("etc/old.conf"),
        Content.bytes("debug=true\n".getBytes(UTF_8), FileMode.REGULAR));
    Resource appConf = Resource.of(ResourceId.file("etc/app.conf"),
        Content.bytes("port=8080\n".getBytes(UTF_8), FileMode.REGULAR));
    // A target holding one file, owned by the reconciler "web"
    InMemoryTarget target = InMemoryTarget.of(List.of(Observed.of(oldConf, "web")));
    // What Git says should exist: app.conf only
    DesiredState desired = DesiredState.of(List.of(appConf));
    ActualState actual = target.read(Scope.of("web", desired.byId().keySet()));
    Plan plan = new Planner().plan(desired, actual, PlanOptions.defaults().withOwner("web"));
    System.out.println(plan.summary()); // Plan: 1 to create, 0 to update, 1 to delete, 0 to adopt.
    ApplyReport report = new Applier().apply(plan, target, ApplyOptions.defaults());
    System.out.println(report.counts()); // {APPLIED=2, UNCHANGED=0, FAILED=0, SKIPPED=0}
    System.out.println(target.snapshot().byId().keySet()); // [File//etc/app.conf]
    // README:end
    return new Result(desired, plan, report, target);
  }

  @Test
  void readmeExampleIsTheTestedCode() throws IOException {
    List<String> readme = readmeExample();
    assertTrue(readme.size() <= 25, "the example fits in 25 lines: " + readme.size());
    assertEquals(String.join("\n", exampleBody()), String.join("\n", readme),
        "README.md's Core concepts example must equal ReadmeExampleTest.example()'s body");
  }

  @Test
  void readmeExampleRunsAndPrintsWhatItsCommentsSay() throws IOException {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Result result;
    System.setOut(new PrintStream(captured, true, UTF_8));
    try {
      result = example();
    } finally {
      System.setOut(out);
    }
    List<String> promised = new ArrayList<>();
    for (String line : exampleBody()) {
      if (line.startsWith("System.out.println(")) {
        promised.add(line.substring(line.lastIndexOf("// ") + 3));
      }
    }
    assertEquals(promised, captured.toString(UTF_8).lines().toList());
    assertTrue(result.report().isSuccess(), result.report()::toString);
    assertEquals("web", result.target().get(ResourceId.file("etc/app.conf")).owner());
    assertEquals(2, result.plan().changes().size());
    assertTrue(new Planner().plan(result.desired(), result.target().read("web"),
        PlanOptions.defaults().withOwner("web")).isEmpty(), "a second plan is empty");
  }

  /** The lines between the markers of {@link #example()}, de-indented. */
  private static List<String> exampleBody() throws IOException {
    List<String> lines = Files.readAllLines(moduleDir().resolve(
        "src/test/java/dev/gitops/ReadmeExampleTest.java"), UTF_8);
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).trim();
      if (t.equals(BEGIN)) {
        begin = i;
      } else if (t.equals(END)) {
        end = i;
      }
    }
    assertTrue(begin >= 0 && end > begin, "markers found");
    String indent = lines.get(begin).substring(0, lines.get(begin).indexOf(BEGIN));
    return lines.subList(begin + 1, end).stream()
        .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l.strip()).toList();
  }

  /** The fenced java block under "## Core concepts" in the repository's README.md. */
  private static List<String> readmeExample() throws IOException {
    List<String> lines = Files.readAllLines(moduleDir().getParent().resolve("README.md"), UTF_8);
    int section = lines.indexOf("## Core concepts");
    assertTrue(section >= 0, "README.md has a '## Core concepts' section");
    int open = -1;
    for (int i = section + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      if (lines.get(i).equals("```java")) {
        open = i;
        break;
      }
    }
    assertTrue(open > 0, "the section has a ```java block");
    int close = lines.subList(open + 1, lines.size()).indexOf("```") + open + 1;
    assertTrue(close > open, "the block is closed");
    return lines.subList(open + 1, close);
  }

  private static Path moduleDir() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    return Files.isDirectory(here.resolve("src/test/java/dev/gitops")) ? here : here.resolve("gitops-core");
  }
}

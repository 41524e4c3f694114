package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Start-up: a command line that names its command sets up that command alone (picocli reads every
 * added command's options, mixins and completion candidates); help, completion, no command or an
 * unknown one set up every command, and what people see is the same.
 */
class CommandSetupTest {
  private static final List<String> ALL =
      List.of("demo", "plan", "apply", "push", "pull", "unlock", "schema", "completion", "help");

  private static List<String> added(String... args) {
    return List.copyOf(Main.commandLine(new Main(), args).getSubcommands().keySet());
  }

  @Test
  void aNamedCommandIsTheOnlyOneSetUp() {
    assertEquals(List.of("plan"), added("plan", "--repo", "r", "--target", "dir:/srv"));
    assertEquals(List.of("push"), added("-v", "push", "--yes"));
    assertEquals(List.of("schema"), added("schema", "gitops-plan"));
  }

  @Test
  void helpCompletionNoCommandOrAnUnknownOneSetUpEveryCommand() {
    assertEquals(ALL, added());
    assertEquals(ALL, added("--help"));
    assertEquals(ALL, added("help", "plan"));
    assertEquals(ALL, added("completion", "bash"));
    assertEquals(ALL, added("plna"));
    assertEquals(ALL, added("--", "plan"));
  }

  @Test
  void whatPeopleSeeIsTheSame() {
    Cli typo = Cli.run("plna");
    assertEquals(1, typo.exit());
    assertTrue(typo.err().contains("plan"), typo::toString);
    Cli help = Cli.run("plan", "--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("Usage: gitops plan"), help::toString);
    Cli unknown = Cli.run("plan", "--bogus");
    assertEquals(1, unknown.exit());
    assertTrue(unknown.err().contains("Try 'gitops plan --help'."), unknown::toString);
  }
}

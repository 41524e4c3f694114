package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In a real process (where the logging backend writes to standard error too) a failed one-shot command
 * prints its error once: the reconciler's own warning does not repeat it.
 */
class OneLineErrorIT extends RepoAndSite {
  @Test
  void anUnknownRefIsOneLineOnStandardError() throws Exception {
    repo.write("site/index.html", "<h1>one</h1>\n").commit("one");
    Process p = new ProcessBuilder(Cli.inChildJvm(args("pull", "--once", "--ref", "no-such-branch"))).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, p.waitFor(), err);
    assertEquals(List.of("error: git " + repo.dir().toUri() + " (ref no-such-branch): no branch, tag or semver match"
        + " named 'no-such-branch' (remote has main)"), err.lines().toList(), err);
  }
}

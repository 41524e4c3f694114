package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.Outcome;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import dev.gitops.samples.cli.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live counter a terminal gets: one line rewritten in place, failures kept above it. */
class ConsoleTest {
  @Test
  void aTerminalGetsOneLiveCounterAndEveryFailure() {
    StringWriter err = new StringWriter();
    Console console = new Console(new PrintWriter(new StringWriter()), new PrintWriter(err),
        new Console.Style(false, false, Console.DiffMode.auto, true));
    List<Action> creates = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      creates.add(new Action.Create(Resource.of(ResourceId.file("f" + i), Content.bytes(new byte[] {1}, dev.gitops.model.FileMode.of(0644)))));
    }
    console.planned(new Plan("o", "", List.of(new Wave(0, creates)), "sha256:" + "0".repeat(64)));
    for (int i = 0; i < creates.size(); i++) {
      Action a = creates.get(i);
      console.applied(i == 7 ? new Outcome.Failed(a, new dev.gitops.GitOpsException("disk full"), Duration.ZERO)
          : new Outcome.Applied(a, Duration.ZERO, ""));
    }
    String text = err.toString();
    assertTrue(text.contains("\rapplied 1,204/1,500 …"), text.substring(0, 200));
    assertTrue(text.contains("  failed create File//f7: disk full\n"), text.substring(0, 400));
    assertEquals(1, text.split("\n", -1).length - 1, "one line for the failure, the counter rewritten in place");
    assertTrue(text.endsWith("\r\033[K"), "the counter is cleared at the end");
  }
}

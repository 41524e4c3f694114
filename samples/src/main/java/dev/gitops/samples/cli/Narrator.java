package dev.gitops.samples.cli;

import dev.gitops.plan.Plan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The demo's voice: numbered steps, plans, and what is on the target. */
final class Narrator {
  private final PrintWriter out;

  Narrator(PrintWriter out) {
    this.out = out;
  }

  void title(String text) {
    out.println();
    out.println("== " + text);
    out.flush();
  }

  void step(int n, String text) {
    out.println();
    out.println("-- " + n + ". " + text);
    out.flush();
  }

  void line(String text) {
    out.println("   " + text);
    out.flush();
  }

  void plan(Plan plan) {
    for (String l : plan.render().split("\n")) {
      if (!l.isBlank()) {
        out.println("   | " + l);
      }
    }
    line(plan.summary());
  }

  void files(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      line("target holds: " + paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
          .filter(p -> !p.startsWith(".gitops")).sorted().collect(Collectors.joining(", ")));
    }
  }
}

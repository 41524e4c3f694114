package dev.gitops.samples.cli;

import dev.gitops.plan.Plan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
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
    // the agent keeps working while this walks: its state folder is skipped, not entered (a journal comes
    // and goes there at every reconcile), and a file that is gone by the time it is visited is not listed
    List<String> found = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
        return dir.equals(root.resolve(".gitops")) ? FileVisitResult.SKIP_SUBTREE
            : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
        if (a.isRegularFile()) {
          found.add(root.relativize(file).toString());
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    line("target holds: " + found.stream().sorted().collect(Collectors.joining(", ")));
  }
}

package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a tool run that fails says: the paths the failure names print escaped. */
class ToolRunTest {
  @TempDir Path dir;

  /**
   * The JDK's message for a program that cannot start names the program and the folder it was to run
   * in, a snapshot's folder inside the render's copy ({@code Cannot run program "..." (in directory
   * "..."): error=2}), so a repository's folder name reached the exception raw.
   */
  @Test
  void aToolThatCannotStartIsNamedWithItsFolderEscaped() throws IOException {
    String forged = "web\n[WARN] forged\u001b[2J";
    Path folder = Files.createDirectory(dir.resolve(forged));
    String program = dir.resolve("no-such-tool\u001b[31m").toString();

    RenderException e = assertThrows(RenderException.class, () -> ToolRun.run("the tool", "Install it.",
        List.of(program), folder, Map.of(), Duration.ofSeconds(30), 1 << 20));

    String message = e.getMessage();
    assertTrue(message.startsWith("the tool could not be started (" + dir + "/no-such-tool\\x1b[31m): "), message);
    assertTrue(message.contains("web\\n[WARN] forged\\x1b[2J") && message.endsWith(". Install it."), message);
    assertTrue(message.chars().noneMatch(c -> c < 0x20), message);
  }
}

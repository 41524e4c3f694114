package dev.gitops.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code src/test/resources/plans/}. Run with {@code -Dgitops.golden.update=true}
 * to rewrite them (then review the change in Git).
 */
final class Golden {
  private Golden() {}

  static void check(String name, String actual) {
    if (Boolean.getBoolean("gitops.golden.update")) {
      try {
        Path file = Path.of("src/test/resources/plans", name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    try (InputStream in = Golden.class.getResourceAsStream("/plans/" + name)) {
      if (in == null) {
        throw new AssertionError("missing golden file plans/" + name
            + " (run with -Dgitops.golden.update=true to create it)");
      }
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, "golden file plans/" + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

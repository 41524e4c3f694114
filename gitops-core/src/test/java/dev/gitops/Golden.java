package dev.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares rendered text with a golden file under {@code src/test/resources/} ({@code diff/...},
 * {@code plans/...}). Run with {@code -Dgitops.golden.update=true} to rewrite the files after a
 * deliberate change, then review them in Git.
 */
public final class Golden {
  private Golden() {}

  /** Asserts that {@code actual} equals the golden file at {@code path}, relative to the test resources. */
  public static void check(String path, String actual) {
    if (Boolean.getBoolean("gitops.golden.update")) {
      try {
        Path file = Path.of("src/test/resources", path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    try (InputStream in = Golden.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new AssertionError("missing golden file src/test/resources/" + path
            + " (run with -Dgitops.golden.update=true to create it)");
      }
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, "golden file " + path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.gitops.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares rendered text with {@code src/test/resources/diff/NAME}. Run with
 * {@code -Dgitops.golden.update=true} to rewrite the files after a deliberate change, then review them.
 */
final class Golden {
  private Golden() {}

  static void assertMatches(String name, String actual) {
    if (Boolean.getBoolean("gitops.golden.update")) {
      try {
        Path file = Path.of("src/test/resources/diff", name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    try (InputStream in = Golden.class.getResourceAsStream("/diff/" + name)) {
      assertNotNull(in, "missing golden file src/test/resources/diff/" + name);
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, "golden file " + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code --verbose} turns up this project's loggers, never a library's (which print Secret data). */
class VerboseTest {
  @Test
  void verboseIsScopedToThisProjectsLoggers() {
    String key = "org.slf4j.simpleLogger.log.dev.gitops";
    String before = System.getProperty(key);
    try {
      Cli.run("--verbose", "--help");
      assertEquals("debug", System.getProperty(key));
      assertNull(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"),
          "the default level of every other logger is left alone");
      assertTrue(LoggerFactory.getLogger("dev.gitops.samples.VerboseProbe").isDebugEnabled());
      assertFalse(LoggerFactory.getLogger("io.fabric8.mockwebserver.VerboseProbe").isDebugEnabled());
      assertFalse(LoggerFactory.getLogger("okhttp3.VerboseProbe").isDebugEnabled());
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }
}

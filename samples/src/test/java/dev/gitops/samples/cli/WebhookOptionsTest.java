package dev.gitops.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JVM-wide connection cap the command line sets for the JDK's HTTP server. */
class WebhookOptionsTest {
  private final String before = System.getProperty(WebhookOptions.MAX_CONNECTIONS);

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(WebhookOptions.MAX_CONNECTIONS);
    } else {
      System.setProperty(WebhookOptions.MAX_CONNECTIONS, before);
    }
  }

  @Test
  void capsConnectionsUnlessTheCommandLineSetTheCap() {
    System.clearProperty(WebhookOptions.MAX_CONNECTIONS);
    WebhookOptions.capConnections();
    assertEquals("512", System.getProperty(WebhookOptions.MAX_CONNECTIONS));

    System.setProperty(WebhookOptions.MAX_CONNECTIONS, "64");
    WebhookOptions.capConnections();
    assertEquals("64", System.getProperty(WebhookOptions.MAX_CONNECTIONS), "-D on the command line wins");
  }
}

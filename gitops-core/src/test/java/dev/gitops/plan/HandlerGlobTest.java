package dev.gitops.plan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.internal.plan.Glob;
import org.junit.jupiter.api.Test;

class HandlerGlobTest {
  @Test
  void starStaysWithinOneSegment() {
    assertTrue(Glob.of("nginx/*.conf").matches("nginx/web.conf"));
    assertFalse(Glob.of("nginx/*.conf").matches("nginx/sites/web.conf"));
  }

  @Test
  void doubleStarCrossesSegments() {
    assertTrue(Glob.of("nginx/**").matches("nginx/sites/enabled/web.conf"));
    assertTrue(Glob.of("**/web.conf").matches("a/b/web.conf"));
    assertTrue(Glob.of("**/web.conf").matches("web.conf"));
    assertTrue(Glob.of("a/**/b").matches("a/b"));
    assertTrue(Glob.of("a/**/b").matches("a/x/y/b"));
    assertFalse(Glob.of("nginx/**").matches("nginx2/x"));
  }

  @Test
  void questionMarkIsOneCharacterButSlash() {
    assertTrue(Glob.of("app?.conf").matches("app1.conf"));
    assertFalse(Glob.of("app?.conf").matches("app12.conf"));
    assertFalse(Glob.of("a?b").matches("a/b"));
  }

  @Test
  void globWithoutSlashMatchesAtAnyDepth() {
    assertTrue(Glob.of("*.conf").matches("etc/nginx/nginx.conf"));
    assertTrue(Glob.of("*.conf").matches("nginx.conf"));
    assertFalse(Glob.of("*.conf").matches("nginx.conf.bak"));
  }

  @Test
  void leadingSlashAnchorsAtTheRoot() {
    assertTrue(Glob.of("/app.conf").matches("app.conf"));
    assertFalse(Glob.of("/app.conf").matches("etc/app.conf"));
  }

  @Test
  void aMatchedDirectoryMatchesEverythingBeneath() {
    assertTrue(Glob.of("nginx").matches("nginx/conf.d/a.conf"));
    assertTrue(Glob.of("etc/nginx/").matches("etc/nginx/nginx.conf"));
    assertFalse(Glob.of("etc/nginx/").matches("etc/nginx.conf"));
  }

  @Test
  void characterClassesAndLiteralDots() {
    assertTrue(Glob.of("app[0-9].conf").matches("app7.conf"));
    assertFalse(Glob.of("app[!0-9].conf").matches("app7.conf"));
    assertTrue(Glob.of("app[!0-9].conf").matches("appx.conf"));
    assertFalse(Glob.of("a.conf").matches("abconf"));
    assertTrue(Glob.of("a+(b).conf").matches("a+(b).conf"));
  }

  @Test
  void emptyGlobIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Glob.of("/"));
  }
}

package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.internal.git.SemverRange;
import dev.gitops.internal.git.SemverRange.Version;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SemverRangeTest {
  private static final List<String> TAGS =
      List.of("v1.0.0", "v1.2.0", "1.9.3", "v1.10.0-rc.1", "v2.0.0", "latest", "v1.9.3+build.7");

  @Test
  void aRangePicksTheHighestMatchingVersionIgnoringNonVersions() {
    assertEquals(Optional.of("1.9.3"), SemverRange.parse(">=1.2.0 <2.0.0").highest(TAGS));
    assertEquals(Optional.of("v2.0.0"), SemverRange.parse(">1.0.0").highest(TAGS));
    assertEquals(Optional.of("v1.0.0"), SemverRange.parse("<=1.0.0").highest(TAGS));
    assertEquals(Optional.of("v1.2.0"), SemverRange.parse("=1.2.0").highest(TAGS));
    assertEquals(Optional.of("v1.2.0"), SemverRange.parse("1.2.0").highest(TAGS));
    assertEquals(Optional.empty(), SemverRange.parse(">=3.0.0").highest(TAGS));
  }

  @Test
  void preReleasesMatchOnlyWhenTheRangeNamesOne() {
    assertFalse(SemverRange.parse(">=1.2.0").test(Version.parse("1.10.0-rc.1").orElseThrow()));
    assertTrue(SemverRange.parse(">=1.10.0-rc.0").test(Version.parse("1.10.0-rc.1").orElseThrow()));
  }

  @Test
  void versionsCompareNumericallyAndReleasesFollowTheirPreReleases() {
    Version rc1 = Version.parse("1.10.0-rc.1").orElseThrow();
    Version rc2 = Version.parse("1.10.0-rc.2").orElseThrow();
    Version rc10 = Version.parse("1.10.0-rc.10").orElseThrow();
    Version release = Version.parse("v1.10.0").orElseThrow();
    Version lower = Version.parse("1.9.99").orElseThrow();
    assertTrue(lower.compareTo(rc1) < 0);
    assertTrue(rc1.compareTo(rc2) < 0);
    assertTrue(rc2.compareTo(rc10) < 0);
    assertTrue(rc10.compareTo(release) < 0);
    assertEquals(0, Version.parse("1.2.3+a").orElseThrow().compareTo(Version.parse("1.2.3+b").orElseThrow()));
  }

  @Test
  void malformedRangesAreRejectedNamingThePart() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SemverRange.parse(">=1.x"));
    assertTrue(e.getMessage().contains("1.x"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SemverRange.parse("  "));
    assertThrows(IllegalArgumentException.class, () -> SemverRange.parse("~1.2.0"));
  }
}

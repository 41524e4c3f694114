package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SemverRangeTest {
  /**
   * Every range of {@code semver/highest.tsv} over its tag set of {@code semver/tags.txt} picks the
   * tag node-semver (npm's reference implementation) picked when the table was written.
   */
  @Test
  void everyRangeOfTheTablePicksWhatNodeSemverPicksFromRealTagSets() throws IOException {
    Map<String, List<String>> sets = tagSets();
    List<String> wrong = new ArrayList<>();
    int rows = 0;
    for (String line : resource("semver/highest.tsv").split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      Optional<String> expected = f[2].equals("-") ? Optional.empty() : Optional.of(f[2]);
      Optional<String> got = SemverRange.parse(f[0]).highest(sets.get(f[1]));
      if (!expected.equals(got)) {
        wrong.add(f[0] + " over " + f[1] + ": expected " + expected + ", got " + got);
      }
      rows++;
    }
    assertTrue(rows >= 45, "read the table: " + rows + " rows");
    assertEquals(List.of(), wrong);
  }

  @Test
  void aLongRunOfSpacesAndCommasIsReadAtOnce() {
    String range = ">= 1.2.0" + " ".repeat(100_000) + "< 2.0.0"; // spaces that no comma follows
    SemverRange parsed = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(2),
        () -> SemverRange.parse(range)); // a regex around the comma took 14.7 s
    assertTrue(parsed.matches("1.5.0"));
    assertFalse(parsed.matches("2.0.0"));
    assertTrue(SemverRange.parse(">=1.2.0 , <2.0.0").matches("1.9.9"));
  }

  @Test
  void preReleasesMatchOnlyWhenTheRangeNamesOneOfTheSameVersion() {
    assertFalse(SemverRange.parse(">=1.2.0").matches("1.10.0-rc.1"));
    assertFalse(SemverRange.parse("*").matches("1.10.0-rc.1"));
    assertTrue(SemverRange.parse(">=1.10.0-rc.0").matches("v1.10.0-rc.1"));
    assertFalse(SemverRange.parse(">=1.10.0-rc.0").matches("v1.11.0-rc.1"));
    assertTrue(SemverRange.parse(">=1.10.0-rc.0").matches("v1.11.0"));
  }

  @Test
  void tagsMayCarryAVPrefixAndOtherNamesAreIgnored() {
    List<String> tags = List.of("latest", "V1.4.0", "release-1.9", "v1.2.3.4", "1.3.0", "01.9.0");
    assertEquals(Optional.of("V1.4.0"), SemverRange.parse("^1").highest(tags));
    assertFalse(SemverRange.parse("*").matches("latest"));
  }

  @Test
  void equalVersionsTieToTheNameThatSortsFirstWhateverTheOrder() {
    List<String> tags = List.of("v1.2.3", "1.2.3+build.9", "1.2.3");
    assertEquals(Optional.of("1.2.3"), SemverRange.parse("1.2").highest(tags));
    assertEquals(Optional.of("1.2.3"), SemverRange.parse("1.2").highest(List.of("1.2.3", "1.2.3+build.9", "v1.2.3")));
  }

  @Test
  void aLoneWildcardMatchesEveryReleaseWhichTheLibraryAloneGetsWrong() {
    for (String any : List.of("x", "X", "*", "x.x", "*.*.*", ">=x", "=*", "^x", "<=*")) {
      assertTrue(SemverRange.parse(any).matches("0.1.0"), any);
      assertTrue(SemverRange.parse(any).matches("v7.0.0"), any);
    }
  }

  @Test
  void malformedRangesAreRejectedNamingThePart() {
    for (String bad : List.of("foo", "1.2.3.4", ">=a", "<<1", "=>1.2", "^01.2", ">=1.2.3-", "v", "latest",
        "[1.0,2.0)", "1.2.3 - 1.4 - 1.6", ">=99999999999.0.0")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SemverRange.parse(bad), bad);
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
    for (String bad : List.of("1.2.3 -", "- 1.2.3", "  ", "1.2 ||", "||", "<x", ">*")) {
      assertThrows(IllegalArgumentException.class, () -> SemverRange.parse(bad), bad);
    }
  }

  private static Map<String, List<String>> tagSets() throws IOException {
    Map<String, List<String>> sets = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : resource("semver/tags.txt").split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[")) {
        current = new ArrayList<>();
        sets.put(line.substring(1, line.length() - 1), current);
      } else {
        current.add(line.strip());
      }
    }
    return sets;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = SemverRangeTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

package dev.gitops.ssh;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;

/**
 * How the file systems that ignore case compare names, written for the tests apart from
 * {@link CaseFolding} (an oracle must not share its code): case folded by the lines of Unicode's
 * {@code CaseFolding.txt} quoted below, every other character by its simple lower case. Simple
 * folding takes the {@code C} and {@code S} lines (one character for one: Windows' {@code $UpCase},
 * exFAT, SMB, HFS+, ZFS), full folding the {@code C} and {@code F} lines ({@code ß} as {@code ss}: Linux
 * {@code casefold}, built by the kernel's {@code mkutf8data.c} from the {@code C} and {@code F} lines,
 * and APFS). {@code T} lines (Turkic dotted and dotless i) no file system takes: {@code İ} and
 * {@code ı} are no {@code i} anywhere. Names compared ignoring both are in Unicode's canonical caseless
 * form (definition D145), compared here in NFC; where case is folded fully and normalisation ignored
 * (Linux {@code casefold}), without the {@code Default_Ignorable_Code_Point} characters of the
 * kernel's Unicode 12.1 {@code DerivedCoreProperties.txt}, quoted below: {@code mkutf8data.c}'s
 * {@code ignore_init} maps each to nothing in both of its tables, after the canonical decomposition
 * (they are starters there, so marks are not reordered across them). Kernel 6.12 kept them
 * (commit 5c26d2f1d3f5), and the change was reverted (231825b2e1ff) because names on disk hashed the old
 * way could no longer be found.
 */
final class UnicodeFolds {
  /** The lines, for the characters the tests use, whose folding is not their simple lower case. */
  private static final String[] LINES = {
      "0049; T; 0131", "00B5; C; 03BC", "00DF; F; 0073 0073", "0130; F; 0069 0307", "0130; T; 0069",
      "0149; F; 02BC 006E", "017F; C; 0073", "0345; C; 03B9", "03C2; C; 03C3", "1E9E; F; 0073 0073",
      "1E9E; S; 00DF", "1F80; F; 1F00 03B9", "1F88; F; 1F00 03B9", "1F88; S; 1F80", "1FB3; F; 03B1 03B9",
      "1FBC; F; 03B1 03B9", "1FBC; S; 1FB3", "FB01; F; 0066 0069", "FB00; F; 0066 0066"};
  /** {@code DerivedCoreProperties.txt} (Unicode 12.1), its {@code Default_Ignorable_Code_Point} lines. */
  private static final String[] IGNORABLE = {
      "00AD", "034F", "061C", "115F..1160", "17B4..17B5", "180B..180D", "180E", "200B..200F", "202A..202E",
      "2060..2064", "2065", "2066..206F", "3164", "FE00..FE0F", "FEFF", "FFA0", "FFF0..FFF8", "1BCA0..1BCA3",
      "1D173..1D17A", "E0000", "E0001", "E0002..E001F", "E0020..E007F", "E0080..E00FF", "E0100..E01EF",
      "E01F0..E0FFF"};
  private static final Map<Integer, String> SIMPLE = new HashMap<>();
  private static final Map<Integer, String> FULL = new HashMap<>();

  static {
    for (String line : LINES) {
      String[] f = line.split("; ");
      int c = Integer.parseInt(f[0], 16);
      StringBuilder to = new StringBuilder();
      for (String hex : f[2].split(" ")) {
        to.appendCodePoint(Integer.parseInt(hex, 16));
      }
      switch (f[1]) {
        case "C" -> {
          SIMPLE.put(c, to.toString());
          FULL.put(c, to.toString());
        }
        case "S" -> SIMPLE.put(c, to.toString());
        case "F" -> {
          FULL.put(c, to.toString());
          SIMPLE.putIfAbsent(c, Character.toString(c)); // with no S line, simple folding keeps it (İ)
        }
        default -> {
          // T, for Turkic languages: no file system folds so
        }
      }
    }
  }

  private UnicodeFolds() {}

  /** {@code s} case folded, simply or fully. */
  static String fold(String s, boolean full) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> {
      String to = (full ? FULL : SIMPLE).get(c);
      if (to == null && full) {
        to = SIMPLE.get(c);
      }
      b.append(to != null ? to : Character.toString(Character.toLowerCase(c)));
    });
    return b.toString();
  }

  /**
   * True when a file system that ignores what the flags say takes {@code a} and {@code b} for one name.
   *
   * @param cases whether it ignores case
   * @param full whether it folds case fully ({@code ß} as {@code ss}; with {@code cases} only)
   * @param forms whether it ignores Unicode normalisation (NFC against NFD)
   */
  static boolean same(String a, String b, boolean cases, boolean full, boolean forms) {
    if (cases && forms && full) {
      return withoutIgnorables(nfd(fold(nfd(a), true))).equals(withoutIgnorables(nfd(fold(nfd(b), true))));
    }
    if (cases && forms) {
      return nfc(fold(nfd(a), full)).equals(nfc(fold(nfd(b), full)));
    }
    if (cases) {
      return fold(a, full).equals(fold(b, full));
    }
    return forms ? nfc(a).equals(nfc(b)) : a.equals(b);
  }

  /** {@code s} without the characters that {@link #IGNORABLE} lists. */
  static String withoutIgnorables(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().filter(c -> !ignorable(c)).forEach(b::appendCodePoint);
    return b.toString();
  }

  private static boolean ignorable(int c) {
    for (String line : IGNORABLE) {
      String[] range = line.split("\\.\\.");
      int first = Integer.parseInt(range[0], 16);
      int last = Integer.parseInt(range[range.length - 1], 16);
      if (c >= first && c <= last) {
        return true;
      }
    }
    return false;
  }

  private static String nfc(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFC);
  }

  private static String nfd(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFD);
  }
}

package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Names as a host whose file system takes two spellings of a name for one holds them: in another
 * case on Windows and SMB shares, exFAT and vfat ({@code Readme.md} and {@code README.md}, {@code Conf/app.yaml}
 * and {@code conf/app.yaml}); in another Unicode normalisation form on APFS (an e with an acute
 * accent as one code point, NFC, or as an e and a combining accent, NFD; HFS+ stores every name in
 * NFD); in either on APFS's default variant, HFS+, and ext4 and f2fs directories with casefold.
 * Normalisation is canonical equivalence only. Case is folded as Unicode's {@code CaseFolding.txt}
 * says, in one of two ways that real file systems differ by: one character for one (its {@code C}
 * and {@code S} lines: Windows' {@code $UpCase} table, exFAT's, SMB, HFS+), or fully (its {@code C}
 * and {@code F} lines, so {@code ß} is {@code ss} and the ligature {@code ﬁ} is {@code fi}: Linux's
 * {@code utf8_casefold}, whose table {@code mkutf8data.c} builds from those lines, and APFS, which compares
 * names in Unicode's canonical caseless form). Neither takes the Turkic lines: {@code İ} and {@code ı}
 * are never {@code i}. Where both are ignored with case folded fully (Linux casefold), the
 * {@code Default_Ignorable_Code_Point} characters (a zero-width joiner, a soft hyphen, a variation
 * selector) are left out too, as the kernel's {@code utf8_casefold} leaves them out (its
 * {@code mkutf8data.c}, {@code ignore_init}) on every kernel but 6.12: {@code ab} and
 * <code>a&#92;u200db</code> are one name there. Pure; not part of the public API.
 */
final class CaseFolding {
  /** What a host's file names ignore; two paths are one entry there when their {@link #key}s are equal. */
  enum Folding {
    /** Nothing: every spelling is a name of its own (Linux file systems, casefold aside). */
    NONE("nothing", "nothing"),
    /** Case, one character for one (Unicode's simple case folding; Windows, SMB, exFAT). */
    CASE("case", "case"),
    /** Unicode normalisation: names compared in NFD. */
    FORM("Unicode normalisation (NFC against NFD)", "normalisation"),
    /** Both: names compared in NFD, case folded simply, in NFD again (HFS+). */
    BOTH("case and Unicode normalisation (NFC against NFD)", "case or normalisation"),
    /** Case folded fully ({@code ß} as {@code ss}). */
    CASE_FULL(Text.FULL, "case"),
    /** Both, case folded fully: Unicode's canonical caseless match (Linux casefold, APFS by default). */
    BOTH_FULL(Text.FULL + " and Unicode normalisation (NFC against NFD)", "case or normalisation");

    /** What the host ignores, for messages: {@code the host's file system ignores ...}. */
    final String ignores;
    /** How two names that are one entry differ, for messages: {@code names that differ only in ...}. */
    final String differ;

    Folding(String ignores, String differ) {
      this.ignores = ignores;
      this.differ = differ;
    }

    /**
     * @param cases whether names that differ only in case are one
     * @param forms whether names that differ only in normalisation are one
     * @param full whether case is folded fully (with {@code cases} only)
     */
    static Folding of(boolean cases, boolean forms, boolean full) {
      return cases ? (forms ? (full ? BOTH_FULL : BOTH) : (full ? CASE_FULL : CASE)) : (forms ? FORM : NONE);
    }

    /** {@return whether case is ignored} */
    boolean cases() {
      return this == CASE || this == BOTH || full();
    }

    /** {@return whether normalisation is ignored} */
    boolean forms() {
      return this == FORM || this == BOTH || this == BOTH_FULL;
    }

    /** {@return whether case is folded fully} */
    boolean full() {
      return this == CASE_FULL || this == BOTH_FULL;
    }

    /**
     * The name two paths share when such a host holds them as one. A name all in ASCII (the usual
     * case: a plan of 1,000 files asks for about 4,000 keys) is its own NFD and holds no ignorable
     * character, and each folding takes its letters to their lower case: no code point walk.
     */
    String key(String path) {
      if (this != NONE && TargetPaths.ascii(path)) {
        return cases() ? path.toLowerCase(Locale.ROOT) : path; // on ASCII, its letters A-Z alone
      }
      return switch (this) {
        case NONE -> path;
        case CASE -> folded(path, false);
        case FORM -> nfd(path);
        case BOTH -> nfd(folded(nfd(path), false));
        case CASE_FULL -> folded(path, true);
        case BOTH_FULL -> withoutIgnorables(nfd(folded(nfd(path), true)));
      };
    }
  }

  /**
   * The {@code Default_Ignorable_Code_Point} ranges of Unicode 12.1's {@code DerivedCoreProperties.txt},
   * the version of the kernel's {@code utf8data}, first and last of each: what Linux's casefold maps to
   * nothing (U+180F, ignorable since Unicode 14, is not in the kernel's table).
   */
  private static final int[] IGNORABLE = {0xad, 0xad, 0x34f, 0x34f, 0x61c, 0x61c, 0x115f, 0x1160, 0x17b4, 0x17b5,
      0x180b, 0x180e, 0x200b, 0x200f, 0x202a, 0x202e, 0x2060, 0x206f, 0x3164, 0x3164, 0xfe00, 0xfe0f, 0xfeff, 0xfeff,
      0xffa0, 0xffa0, 0xfff0, 0xfff8, 0x1bca0, 0x1bca3, 0x1d173, 0x1d17a, 0xe0000, 0xe0fff};

  /** True for a {@code Default_Ignorable_Code_Point} that Linux's casefold leaves out. */
  static boolean ignorable(int c) {
    if (c < 0xad) {
      return false;
    }
    for (int i = 0; i < IGNORABLE.length; i += 2) {
      if (c >= IGNORABLE[i] && c <= IGNORABLE[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code path} without its {@linkplain #ignorable ignorable} characters, after its decomposition, as
   * the kernel leaves them out: it takes them for starters, so marks are never reordered across one.
   */
  private static String withoutIgnorables(String path) {
    if (path.codePoints().noneMatch(CaseFolding::ignorable)) {
      return path;
    }
    StringBuilder b = new StringBuilder(path.length());
    path.codePoints().filter(c -> !ignorable(c)).forEach(b::appendCodePoint);
    return b.toString();
  }

  /** Words shared by messages. */
  private static final class Text {
    static final String FULL = "case (with Unicode's full case folding: '\u00df' as 'ss')";
  }

  private static final int DOTTED_CAPITAL_I = 0x130;
  private static final int DOTLESS_SMALL_I = 0x131;

  private CaseFolding() {}

  /**
   * {@code path} case folded as {@code CaseFolding.txt} says: each character by its simple folding,
   * which is its lower case after its upper case ({@code ſ}, the Kelvin sign and a final sigma too),
   * but for the two Turkic i's, which only its {@code T} lines fold; fully, that folding's upper case
   * taken to lower case when it is longer ({@code ß}, {@code ẞ}, ligatures, Greek with iota subscript),
   * and the dotted capital I as an i with a dot above. Checked against every line of the file for the
   * characters Java knows.
   */
  private static String folded(String path, boolean full) {
    StringBuilder b = new StringBuilder(path.length());
    path.codePoints().forEach(c -> {
      if (c < 0x80) {
        b.append((char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
      } else if (full && c == DOTTED_CAPITAL_I) {
        b.append("i\u0307");
      } else {
        int simple = simple(c);
        String upper = full ? Character.toString(simple).toUpperCase(Locale.ROOT) : null;
        if (upper != null && upper.codePointCount(0, upper.length()) > 1) {
          upper.codePoints().forEach(u -> b.appendCodePoint(simple(u)));
        } else {
          b.appendCodePoint(simple);
        }
      }
    });
    return b.toString();
  }

  private static int simple(int c) {
    return c == DOTTED_CAPITAL_I || c == DOTLESS_SMALL_I ? c : Character.toLowerCase(Character.toUpperCase(c));
  }

  private static String nfd(String path) {
    return Normalizer.normalize(path, Normalizer.Form.NFD);
  }

  /**
   * The spellings of each name that {@code paths} write in more than one way, by {@code folding}'s
   * key; empty (the usual case) when every name has one spelling. Directories on the way count:
   * {@code Conf/a} and {@code conf/b} spell {@code conf} twice.
   */
  static Map<String, TreeSet<String>> spellings(Collection<String> paths, Folding folding) {
    if (folding == Folding.NONE) {
      return Map.of();
    }
    Map<String, TreeSet<String>> all = new HashMap<>();
    for (String path : paths) {
      all.computeIfAbsent(folding.key(path), k -> new TreeSet<>()).add(path);
      for (String dir : TargetPaths.ancestors(path)) {
        all.computeIfAbsent(folding.key(dir), k -> new TreeSet<>()).add(dir);
      }
    }
    Map<String, TreeSet<String>> out = new TreeMap<>();
    all.forEach((k, names) -> {
      if (names.size() > 1) {
        out.put(k, names);
      }
    });
    return out;
  }

  /**
   * The files of {@code desired} that a host ignoring what {@code folding} says would hold as one
   * entry, each clash named: two files whose paths differ only so ({@code 'conf/App.yaml' and
   * 'conf/app.yaml'}), and a file whose path is another's directory spelled another way
   * ({@code 'conf' and 'Conf/app.yaml'}). Directories alone never clash: {@code Conf/a} and
   * {@code conf/b} both fit in one directory.
   *
   * @return one phrase per clash, in a stable order; empty when none
   */
  static List<String> clashes(Collection<String> desired, Folding folding) {
    Map<String, TreeSet<String>> files = new TreeMap<>();
    Map<String, Map<String, String>> dirs = new HashMap<>(); // key -> each spelling of the directory -> a file under it
    for (String path : new TreeSet<>(desired)) {
      files.computeIfAbsent(folding.key(path), k -> new TreeSet<>()).add(path);
      for (String dir : TargetPaths.ancestors(path)) {
        dirs.computeIfAbsent(folding.key(dir), k -> new TreeMap<>()).putIfAbsent(dir, path);
      }
    }
    List<String> out = new ArrayList<>();
    files.forEach((k, names) -> {
      if (names.size() > 1) {
        out.add(quoted(names));
      }
      dirs.getOrDefault(k, Map.of()).entrySet().stream()
          .filter(d -> !names.contains(d.getKey())) // the same spelling is no clash
          .findFirst().ifPresent(d -> out.add(quoted(List.of(names.first(), d.getValue()))));
    });
    return out;
  }

  /**
   * {@code names} as messages show them: escaped ({@link ResourceId#escape}, which writes every
   * {@linkplain #ignorable ignorable} character, invisible else, as <code>&#92;uHHHH</code>) between
   * {@code quote}s, each followed by its normalisation form ({@code (NFC)},
   * {@code (NFD)}) when they are not all in one, so that two spellings that look alike can be told apart.
   */
  static List<String> shown(Collection<String> names, String quote) {
    boolean oneForm = names.stream().allMatch(n -> Normalizer.isNormalized(n, Normalizer.Form.NFC))
        || names.stream().allMatch(n -> Normalizer.isNormalized(n, Normalizer.Form.NFD));
    return names.stream().map(n -> quote + ResourceId.escape(n) + quote + (oneForm ? "" : " (" + form(n) + ")"))
        .toList();
  }

  private static String form(String name) {
    return Normalizer.isNormalized(name, Normalizer.Form.NFC) ? "NFC"
        : Normalizer.isNormalized(name, Normalizer.Form.NFD) ? "NFD" : "neither NFC nor NFD";
  }

  private static String quoted(Collection<String> names) {
    return String.join(" and ", shown(names, "'"));
  }
}

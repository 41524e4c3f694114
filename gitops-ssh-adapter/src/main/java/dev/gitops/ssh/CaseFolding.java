package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Names as a host whose file system takes two spellings of a name for one holds them: in another
 * case on Windows and SMB shares and vfat ({@code Readme.md} and {@code README.md}, {@code Conf/app.yaml}
 * and {@code conf/app.yaml}); in another Unicode normalisation form on APFS (an e with an acute
 * accent as one code point, NFC, or as an e and a combining accent, NFD; HFS+ stores every name in
 * NFD); in either on APFS's default variant, HFS+, and ext4 and f2fs directories with casefold.
 * Normalisation is canonical equivalence only: a ligature and its letters are two names everywhere.
 * Pure; not part of the public API.
 */
final class CaseFolding {
  /** What a host's file names ignore; two paths are one entry there when their {@link #key}s are equal. */
  enum Folding {
    /** Nothing: every spelling is a name of its own (Linux file systems, casefold aside). */
    NONE("nothing", "nothing"),
    /** Case, as {@link String#equalsIgnoreCase} compares it (upper case, then lower case). */
    CASE("case", "case"),
    /** Unicode normalisation: names compared in NFD. */
    FORM("Unicode normalisation (NFC against NFD)", "normalisation"),
    /** Both: names compared in NFD, ignoring case, in NFD again (Unicode's canonical caseless match). */
    BOTH("case and Unicode normalisation (NFC against NFD)", "case or normalisation");

    /** What the host ignores, for messages: {@code the host's file system ignores ...}. */
    final String ignores;
    /** How two names that are one entry differ, for messages: {@code names that differ only in ...}. */
    final String differ;

    Folding(String ignores, String differ) {
      this.ignores = ignores;
      this.differ = differ;
    }

    static Folding of(boolean cases, boolean forms) {
      return cases ? (forms ? BOTH : CASE) : (forms ? FORM : NONE);
    }

    /** The name two paths share when such a host holds them as one. */
    String key(String path) {
      return switch (this) {
        case NONE -> path;
        case CASE -> folded(path);
        case FORM -> nfd(path);
        case BOTH -> nfd(folded(nfd(path)));
      };
    }
  }

  private CaseFolding() {}

  /** Each character of {@code path} folded as {@link String#equalsIgnoreCase} compares it. */
  private static String folded(String path) {
    StringBuilder b = new StringBuilder(path.length());
    path.codePoints().forEach(c -> b.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
    return b.toString();
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
   * {@code names} as messages show them: escaped ({@link ResourceId#escape}) between {@code quote}s,
   * each followed by its normalisation form ({@code (NFC)}, {@code (NFD)}) when they are not all in
   * one, so that two spellings that look alike can be told apart.
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

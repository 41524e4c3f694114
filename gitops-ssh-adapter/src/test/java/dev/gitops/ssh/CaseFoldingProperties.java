package dev.gitops.ssh;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.gitops.ssh.CaseFolding.Folding;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Laws of names spelled two ways ({@link CaseFolding}, {@link CaseClashes#judge}), over names made of
 * pieces that collide: letters in both cases, composed and decomposed accents, combining marks in
 * either order, signs that are letters in NFD (Kelvin, Angstrom), a ligature, Hangul and its jamo,
 * letters that full case folding alone makes two ({@code ß}, {@code ŉ}, Greek with iota subscript), and
 * the Turkic i's that no file system folds, and default-ignorable characters that Linux's casefold drops
 * (a zero-width joiner, a soft hyphen, a variation selector, the combining grapheme joiner). Names are compared as {@link UnicodeFolds} does, from
 * Unicode's {@code CaseFolding.txt} lines, never with {@link CaseFolding}'s code.
 */
class CaseFoldingProperties {
  private static final List<String> PIECES = List.of("a", "A", "e", "E", "\u00e9", "\u00c9", "\u0301", "\u0323",
      "\u0345", "\u03b9", "K", "k", "\u212a", "\u00c5", "\u00e5", "\u212b", "\u030a", "s", "S", "\u017f", "\u00df",
      "\u1e9e", "\ufb01", "f", "i", "I", "\u0130", "\u0131", "\u0307", "\ud55c", "\u1112", "\u1161", "\u11ab",
      "ss", "\u0149", "\u1f80", "\u1fb3", "\u03c2", "\u200d", "\u00ad", "\ufe0f", "\u034f");

  private static Gen<String> names() {
    return lists().of(integers().between(0, PIECES.size() - 1)).ofSizeBetween(1, 3)
        .map(l -> l.stream().map(PIECES::get).collect(Collectors.joining()));
  }

  /** Spellings of one name: as it is, in upper or lower case, in NFC or NFD, and mixed. */
  private static final List<UnaryOperator<String>> SPELLINGS = List.of(s -> s, s -> s.toUpperCase(Locale.ROOT),
      s -> s.toLowerCase(Locale.ROOT), s -> Normalizer.normalize(s, Normalizer.Form.NFC), CaseFoldingProperties::nfd,
      s -> nfd(s.toUpperCase(Locale.ROOT)), s -> Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFC));

  /**
   * Paths that often spell one name several ways: each of {@code codes} picks {@code a},
   * {@code b} or {@code a/b}, spelled one of the {@link #SPELLINGS}.
   */
  private static List<String> paths(String a, String b, List<Integer> codes) {
    List<String> bases = List.of(a, b, a + "/" + b);
    return codes.stream().map(c -> SPELLINGS.get(c % SPELLINGS.size()).apply(bases.get(c / SPELLINGS.size())))
        .toList();
  }

  private static Gen<List<Integer>> codes() {
    return lists().of(integers().between(0, 3 * 7 - 1)).ofSizeBetween(1, 5);
  }

  /** Up to five paths spelling two names and the one they make several ways. */
  private static Gen<List<String>> spelled() {
    return names().zip(names(), codes(), CaseFoldingProperties::paths);
  }

  private static String nfd(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFD);
  }

  /** Whether a host ignoring what {@code f} says takes {@code a} and {@code b} for one, compared without keys. */
  private static boolean same(Folding f, String a, String b) {
    return UnicodeFolds.same(a, b, f.cases(), f.full(), f.forms());
  }

  private static Gen<Integer> foldings() {
    return integers().between(0, Folding.values().length - 1);
  }

  @Test
  void keysAreEqualExactlyWhenTheNamesCompareEqualAsTheHostCompares() {
    qt().withExamples(5000).forAll(spelled(), foldings()).check((paths, i) -> {
      Folding f = Folding.values()[i];
      return paths.stream().allMatch(a -> paths.stream().allMatch(b -> f.key(a).equals(f.key(b)) == same(f, a, b)));
    });
  }

  @Test
  void askingOnlyWhatChangesTheAnswerJudgesNamesAsKnowingEverything() {
    qt().withExamples(3000).forAll(spelled(), foldings()).check((paths, i) -> {
      Folding host = Folding.values()[i];
      List<Folding> asked = new ArrayList<>();
      Folding judged;
      try {
        judged = CaseClashes.judge(paths, fold -> {
          asked.add(fold);
          return fold == Folding.CASE ? host.cases() : fold == Folding.FORM ? host.forms() : host.full();
        });
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
      Set<String> all = new TreeSet<>(paths);
      paths.forEach(p -> all.addAll(TargetPaths.ancestors(p)));
      boolean asIfKnown = all.stream().allMatch(a -> all.stream()
          .allMatch(b -> judged.key(a).equals(judged.key(b)) == host.key(a).equals(host.key(b))));
      boolean oneSpellingEach = CaseFolding.spellings(paths, Folding.CASE_FULL).isEmpty()
          && CaseFolding.spellings(paths, Folding.BOTH_FULL).isEmpty();
      return asIfKnown && asked.size() == new TreeSet<>(asked).size() && (!oneSpellingEach || asked.isEmpty());
    });
  }

  /** {@code name} as a message shows it: the default-ignorable pieces escaped, as they would be invisible. */
  private static String shown(String name) {
    return name.replace("\u200d", "\\u200d").replace("\u00ad", "\\u00ad").replace("\ufe0f", "\\ufe0f")
        .replace("\u034f", "\\u034f");
  }

  @Test
  void clashesAreFoundExactlyWhereTwoDesiredFilesOrAFileAndADirectoryWouldBeOneEntry() {
    qt().withExamples(3000).forAll(spelled(), foldings()).check((paths, i) -> {
      Folding f = Folding.values()[i];
      String named = String.join("; ", CaseFolding.clashes(paths, f));
      boolean clash = false;
      for (String a : paths) {
        for (String b : paths) {
          boolean files = !a.equals(b) && same(f, a, b);
          if (files && !(named.contains("'" + shown(a) + "'") && named.contains("'" + shown(b) + "'"))) {
            return false; // every file of a clash is named
          }
          clash |= files || TargetPaths.ancestors(b).stream().anyMatch(d -> !d.equals(a) && same(f, a, d));
        }
      }
      return clash != named.isEmpty();
    });
  }
}

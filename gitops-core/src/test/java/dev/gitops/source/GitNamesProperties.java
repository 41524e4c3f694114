package dev.gitops.source;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link GitNames#isDotGit} against the rule it is written from, applied the slow way: HFS+'s ignorable
 * code points dropped anywhere, then {@code .git} or {@code git~1} in any ASCII case, trailing dots and
 * spaces, and an NTFS stream. Its short cut (a name not starting with '.', 'g' or 'G' once the ignorable
 * code points are gone is never one) must never change an answer.
 */
class GitNamesProperties {
  private static final Pattern RULE = Pattern.compile("(?i)(?:\\.git|git~1)[. ]*(?::.*)?", Pattern.DOTALL);
  private static final List<String> PIECES = List.of(".", "g", "G", "i", "I", "t", "T", "~", "1", " ", ":", "x",
      "\u200c", "\u202e", "\u206a", "\ufeff", "\u0130", "\u212a", "git", ".git", "GIT~1", "$INDEX_ALLOCATION");

  private static String slowRule(String name) {
    String kept = name.replaceAll("[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]", "");
    return RULE.matcher(kept).matches() ? "dotgit" : "other";
  }

  @Test
  void aNameIsDotGitExactlyWhenTheRuleSaysSo() {
    Gen<String> piece = Generate.pick(PIECES);
    Gen<String> names = lists().of(piece).ofSizeBetween(0, 7).map(l -> String.join("", l));
    qt().withExamples(20_000).forAll(names)
        .check(name -> slowRule(name).equals(GitNames.isDotGit(name) ? "dotgit" : "other"));
  }

  @Test
  void everyFoldingOfDotGitIsOne() {
    Gen<String> cased = integers().between(0, 15).map(bits -> {
      StringBuilder b = new StringBuilder(".");
      String git = "git";
      for (int i = 0; i < 3; i++) {
        char c = git.charAt(i);
        b.append((bits >> i & 1) == 1 ? Character.toUpperCase(c) : c);
      }
      return (bits & 8) == 8 ? "\ufeff" + b + ". " : b.toString();
    });
    qt().forAll(cased).check(GitNames::isDotGit);
  }
}

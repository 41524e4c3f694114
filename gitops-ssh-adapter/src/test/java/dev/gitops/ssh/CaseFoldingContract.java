package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.plan.PlanOptions;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Names spelled two ways: on a host whose file system takes names that differ only in case
 * ({@link #foldsCase()}) or only in Unicode normalisation ({@link #ignoresNormalisation()}) for one,
 * a rename between two such spellings keeps the file and desired files that would be one entry are
 * refused before anything is written; on any other host both are plain changes, each name a file
 * of its own. Run over every kind of {@link Host} by {@link FilesTargetSuite}.
 */
interface CaseFoldingContract extends FilesTargetContract {
  /** True for a host whose file system takes names that differ only in case for one. */
  default boolean foldsCase() {
    return false;
  }

  /**
   * True for a host that folds case fully, as Unicode's {@code CaseFolding.txt} does with its {@code C}
   * and {@code F} lines ({@code ß} as {@code ss}, {@code ﬁ} as {@code fi}): Linux casefold directories and
   * APFS; false for one character for one (Windows' {@code $UpCase}, SMB, exFAT, HFS+).
   */
  default boolean foldsCaseFully() {
    return false;
  }

  /** True for a host whose file system takes names that differ only in normalisation (NFC, NFD) for one. */
  default boolean ignoresNormalisation() {
    return false;
  }

  /** The names in {@code dir} on disk. */
  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".gitops")).sorted().toList();
    }
  }

  /**
   * Applies {@code first} (a file in a directory), then each rename of {@code renames} (its new path
   * and content), every other one with adoption allowed (were the new name taken for an unowned file,
   * it would be adopted, then deleted as the old name): each keeps one file, named as the host names
   * the new path (exactly, where each spelling is a file of its own, the old one pruned with its
   * directory), and the next plan is empty.
   */
  private void renamesKeepTheFile(String first, List<List<String>> renames) throws Exception {
    assertTrue(Reconcile.once(files(), Map.of("hosts/web/" + first, "hello\n"), OWNER).isSuccess());
    PlanOptions adopting = PlanOptions.defaults().withOwner(OWNER).withAdoption(PlanOptions.Adoption.ADOPT);
    for (List<String> step : renames) {
      Map<String, String> desired = Map.of("hosts/web/" + step.get(0), step.get(1));
      ApplyReport report = renames.indexOf(step) % 2 == 0 ? Reconcile.once(fresh(), desired, adopting)
          : Reconcile.once(fresh(), desired, OWNER);
      assertTrue(report.isSuccess(), report.toString());
      List<String> dirs = names(root());
      assertEquals(1, dirs.size(), dirs.toString());
      List<String> in = names(root().resolve(dirs.get(0)));
      assertEquals(1, in.size(), "one file, kept: " + in);
      String onDisk = dirs.get(0) + "/" + in.get(0);
      assertTrue(FoldingHost.same(onDisk, step.get(0), foldsCase(), foldsCaseFully(), ignoresNormalisation()), onDisk + " for " + step);
      assertEquals(step.get(1), Files.readString(root().resolve(onDisk)));
      assertTrue(Reconcile.plan(fresh(), desired, OWNER).isEmpty(), "settled: " + step);
    }
  }

  @Test
  default void aCaseOnlyRenameKeepsTheFileAndTheNextPlanIsEmpty() throws Exception {
    renamesKeepTheFile("Docs/Readme.md",
        List.of(List.of("Docs/README.md", "hello\n"), List.of("docs/readme.MD", "hello again\n")));
  }

  @Test
  default void aNormalisationOnlyRenameKeepsTheFileAndTheNextPlanIsEmpty() throws Exception {
    renamesKeepTheFile("R\u00e9sum\u00e9/caf\u00e9.txt", List.of( // NFC, as macOS's Git commits it
        List.of("Re\u0301sume\u0301/cafe\u0301.txt", "hello\n"), // NFD, as unpacked from a macOS archive
        List.of("R\u00e9sum\u00e9/cafe\u0301.txt", "hello again\n"), // the directory in NFC, the file in NFD
        List.of("R\u00c9SUM\u00c9/Cafe\u0301.txt", "case and form\n"))); // and in another case
  }

  @Test
  default void desiredFilesThatDifferOnlyInCaseAreRefusedBeforeAnyWriteOnAFoldingHost() throws Exception {
    Map<String, String> clash = Map.of("hosts/web/conf/App.yaml", "a: 1\n", "hosts/web/conf/app.yaml", "a: 2\n",
        "hosts/web/Conf/app.yaml", "a: 3\n", "hosts/web/z.txt", "z\n");
    String named = "'Conf/app.yaml' and 'conf/App.yaml' and 'conf/app.yaml'";
    if (!foldsCase()) {
      assertTrue(Reconcile.once(files(), clash, OWNER).isSuccess());
      assertEquals("a: 1\n", Files.readString(root().resolve("conf/App.yaml")));
      assertEquals("a: 3\n", Files.readString(root().resolve("Conf/app.yaml")));
      assertTrue(Reconcile.plan(fresh(), clash, OWNER).isEmpty());
      return;
    }
    ApplyReport first = Reconcile.once(files(), clash, OWNER); // no state folder yet: the first step judges
    assertFalse(first.isSuccess());
    first.failures().forEach(f -> assertTrue(f.cause().getMessage().contains(named), f.cause().getMessage()));
    assertEquals(List.of(), names(root()), "nothing written");
    assertTrue(Reconcile.once(fresh(), Map.of("hosts/web/z.txt", "z\n"), OWNER).isSuccess());
    TargetException e = assertThrows(TargetException.class, () -> Reconcile.plan(fresh(), clash, OWNER));
    assertTrue(e.getMessage().contains("ignores case, so desired files whose names differ only in case would be"
        + " one file there; nothing written: " + named + " (rename all but one of each in Git)"), e.getMessage());
    assertFalse(e.retryable());
    Map<String, String> fileAndDir = Map.of("hosts/web/conf", "a file\n", "hosts/web/CONF/x", "x\n");
    e = assertThrows(TargetException.class, () -> Reconcile.plan(fresh(), fileAndDir, OWNER));
    assertTrue(e.getMessage().contains("'conf' and 'CONF/x'"), e.getMessage());
    assertEquals(List.of("z.txt"), names(root()), "nothing written");
  }

  @Test
  default void desiredFilesThatDifferOnlyInNormalisationAreRefusedBeforeAnyWhereTheHostIgnoresIt() throws Exception {
    String nfc = "conf/caf\u00e9.yaml";
    String nfd = "conf/cafe\u0301.yaml";
    String upper = "conf/CAFE\u0301.yaml";
    Map<String, String> clash = Map.of("hosts/web/" + nfc, "a: 1\n", "hosts/web/" + nfd, "a: 2\n",
        "hosts/web/" + upper, "a: 3\n", "hosts/web/R\u00e9", "a file\n", "hosts/web/Re\u0301/x", "x\n",
        "hosts/web/z.txt", "z\n");
    List<String> named = new ArrayList<>(); // every clash, as the message names it
    if (foldsCase() && ignoresNormalisation()) {
      named.add("'" + upper + "' (NFD) and '" + nfd + "' (NFD) and '" + nfc + "' (NFC)");
    } else if (ignoresNormalisation()) {
      named.add("'" + nfd + "' (NFD) and '" + nfc + "' (NFC)");
    } else if (foldsCase()) {
      named.add("'" + upper + "' and '" + nfd + "'");
    }
    if (ignoresNormalisation()) {
      named.add("'R\u00e9' (NFC) and 'Re\u0301/x' (NFD)");
    }
    if (named.isEmpty()) { // each spelling a file of its own
      assertTrue(Reconcile.once(files(), clash, OWNER).isSuccess());
      assertEquals("a: 1\n", Files.readString(root().resolve(nfc)));
      assertEquals("a: 2\n", Files.readString(root().resolve(nfd)));
      assertEquals("a file\n", Files.readString(root().resolve("R\u00e9")));
      assertEquals("x\n", Files.readString(root().resolve("Re\u0301/x")));
      assertEquals(List.of("Re\u0301", "R\u00e9", "conf", "z.txt"), names(root()));
      assertTrue(Reconcile.plan(fresh(), clash, OWNER).isEmpty());
      return;
    }
    ApplyReport first = Reconcile.once(files(), clash, OWNER); // no state folder yet: the first step judges
    assertFalse(first.isSuccess());
    assertTrue(first.failures().size() > 0);
    assertEquals(List.of(), names(root()), "nothing written");
    assertTrue(Reconcile.once(fresh(), Map.of("hosts/web/z.txt", "z\n"), OWNER).isSuccess());
    TargetException e = assertThrows(TargetException.class, () -> Reconcile.plan(fresh(), clash, OWNER));
    for (String c : named) {
      assertTrue(e.getMessage().contains(c), c + " in " + e.getMessage());
      first.failures().forEach(f -> assertTrue(f.cause().getMessage().contains(c), f.cause().getMessage()));
    }
    String ignores = !ignoresNormalisation() ? "case, so desired files whose names differ only in case"
        : foldsCase() ? "case and Unicode normalisation (NFC against NFD), so desired files whose names differ only"
        + " in case or normalisation" : "Unicode normalisation (NFC against NFD), so desired files whose names"
        + " differ only in normalisation";
    assertTrue(e.getMessage().contains("the host's file system ignores " + ignores + " would be one file there;"
        + " nothing written: "), e.getMessage());
    assertFalse(e.retryable());
    assertEquals(List.of("z.txt"), names(root()), "nothing written");
  }

  @Test
  default void desiredNamesAreOneFileExactlyWhereTheHostsCaseFoldingTakesThemForOne() throws Exception {
    // no file system takes a dotted capital I or a dotless small i for an i: deployed everywhere
    Map<String, String> apart = Map.of("hosts/web/conf/\u0130.yaml", "a: 1\n", "hosts/web/conf/i.yaml", "a: 2\n",
        "hosts/web/conf/\u0131.yaml", "a: 3\n", "hosts/web/z.txt", "z\n");
    assertTrue(Reconcile.once(files(), apart, OWNER).isSuccess());
    assertEquals(List.of("i.yaml", "\u0130.yaml", "\u0131.yaml"), names(root().resolve("conf")));
    assertEquals("a: 1\n", Files.readString(root().resolve("conf/\u0130.yaml")));
    assertTrue(Reconcile.plan(fresh(), apart, OWNER).isEmpty());
    // a sharp s is two s where case is folded fully (Linux casefold, APFS), a letter of its own elsewhere
    Map<String, String> sharp = Map.of("hosts/web/conf/Stra\u00dfe.yaml", "a: 1\n",
        "hosts/web/conf/STRASSE.yaml", "a: 2\n", "hosts/web/z.txt", "z\n");
    if (!(foldsCase() && foldsCaseFully())) {
      assertTrue(Reconcile.once(fresh(), sharp, OWNER).isSuccess());
      assertEquals("a: 1\n", Files.readString(root().resolve("conf/Stra\u00dfe.yaml")));
      assertEquals("a: 2\n", Files.readString(root().resolve("conf/STRASSE.yaml")));
      assertTrue(Reconcile.plan(fresh(), sharp, OWNER).isEmpty());
      return;
    }
    TargetException e = assertThrows(TargetException.class, () -> Reconcile.plan(fresh(), sharp, OWNER));
    assertTrue(e.getMessage().contains("ignores case (with Unicode's full case folding: '\u00df' as 'ss')"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing written: 'conf/STRASSE.yaml' and 'conf/Stra\u00dfe.yaml'"), e.getMessage());
    assertEquals(List.of("i.yaml", "\u0130.yaml", "\u0131.yaml"), names(root().resolve("conf")), "nothing written");
  }

  @Test
  default void desiredNamesThatDifferOnlyInAZeroWidthJoinerAreRefusedWhereTheHostFoldsAsLinuxCasefold()
      throws Exception {
    // Linux's casefold drops default-ignorable characters (all kernels but 6.12): one name there
    Map<String, String> joined = Map.of("hosts/web/conf/ab.yaml", "a: 1\n", "hosts/web/conf/a\u200db.yaml", "a: 2\n",
        "hosts/web/z.txt", "z\n");
    if (!(foldsCase() && foldsCaseFully() && ignoresNormalisation())) {
      assertTrue(Reconcile.once(files(), joined, OWNER).isSuccess());
      assertEquals("a: 2\n", Files.readString(root().resolve("conf/a\u200db.yaml")));
      assertEquals(List.of("ab.yaml", "a\u200db.yaml"), names(root().resolve("conf")));
      assertTrue(Reconcile.plan(fresh(), joined, OWNER).isEmpty());
      return;
    }
    ApplyReport first = Reconcile.once(files(), joined, OWNER); // no state folder yet: the first step judges
    assertFalse(first.isSuccess());
    first.failures().forEach(f -> assertTrue(f.cause().getMessage().contains(
        "'conf/ab.yaml' and 'conf/a\\u200db.yaml'"), f.cause().getMessage()));
    assertEquals(List.of(), names(root()), "nothing written");
  }
}

package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ResourceId;
import dev.gitops.ssh.CaseFolding.Folding;
import dev.gitops.target.TargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rules for names spelled two ways, in another case or another Unicode normalisation form
 * ({@link CaseFolding}, {@link CaseClashes}), with a stand-in probe.
 */
class CaseClashesTest {
  private static final String NFC = "caf\u00e9.txt";
  private static final String NFD = "cafe\u0301.txt";
  private final List<Folding> probes = new ArrayList<>();

  /** A judge of names on a host that ignores what {@code host} says, recording what it is asked. */
  private CaseClashes on(Folding host) {
    return new CaseClashes(fold -> {
      probes.add(fold);
      return fold == Folding.CASE ? host.cases() : fold == Folding.FORM ? host.forms() : host.full();
    }, "test:/srv");
  }

  @Test
  void namesAreOneEntryWhereTheHostIgnoresHowTheyDiffer() {
    // a, b, and whether they are one entry where the host ignores nothing, case, normalisation, both,
    // case folded fully (C and F lines of CaseFolding.txt: Linux casefold, APFS), both with case folded fully
    Object[][] table = {
        {NFC, NFD, false, false, true, true, false, true},
        {"Caf\u00e9.txt", NFD, false, false, false, true, false, true},
        {"README.md", "Readme.md", false, true, false, true, true, true},
        {"R\u00e9/x", "Re\u0301/x", false, false, true, true, false, true},
        {"\u00c5", "A\u030a", false, false, true, true, false, true}, // A with ring above, composed or not
        {"\u212b", "\u00e5", false, true, false, true, true, true}, // the Angstrom sign (NFD: A, ring), small a with ring
        {"K", "\u212a", false, true, true, true, true, true}, // the Kelvin sign: K in NFD, k in lower case
        {"\ud55c", "\u1112\u1161\u11ab", false, false, true, true, false, true}, // a Hangul syllable and its jamo
        {"e\u0301\u0323", "e\u0323\u0301", false, false, true, true, false, true}, // two marks, in canonical order or not
        {"\ufb01le", "file", false, false, false, false, true, true}, // a ligature: its letters only when folded fully
        {"STRASSE.txt", "strasse.TXT", false, true, false, true, true, true},
        {"Stra\u00dfe", "STRASSE", false, false, false, false, true, true}, // sharp s: ss when folded fully
        {"\u00df", "\u1e9e", false, true, false, true, true, true}, // small and capital sharp s
        {"\u017f", "s", false, true, false, true, true, true}, // long s
        {"\u0130", "i", false, false, false, false, false, false}, // dotted capital I: only Turkic folding makes it i
        {"\u0131", "i", false, false, false, false, false, false}, // dotless small i: likewise
        {"\u0130", "i\u0307", false, false, false, true, true, true}, // dotted capital I and i with a dot above
        // default-ignorable characters, which Linux's casefold drops (all kernels but 6.12): a zero-width joiner,
        // a soft hyphen, an emoji variation selector, a zero-width space
        {"ab", "a\u200db", false, false, false, false, false, true},
        {"a\u00adb.txt", "AB.txt", false, false, false, false, false, true},
        {"\u2764\ufe0f", "\u2764", false, false, false, false, false, true},
        {"\u200b", "", false, false, false, false, false, true},
        {"e\u0301\u200d\u0323", "e\u0323\u0301", false, false, false, false, false, false}, // a starter there
    };
    for (Object[] row : table) {
      for (Folding f : Folding.values()) {
        String a = (String) row[0];
        String b = (String) row[1];
        assertEquals(row[2 + f.ordinal()], f.key(a).equals(f.key(b)), f + ": " + ResourceId.escape(a + " " + b));
      }
    }
  }

  @Test
  void clashesNameFilesThatDifferOnlyInCaseAndAFileSpelledAsAnothersDirectory() {
    assertEquals(List.of("'conf' and 'Conf/x'", "'README.md' and 'Readme.md'"),
        CaseFolding.clashes(List.of("Readme.md", "README.md", "conf", "Conf/x", "a/b"), Folding.CASE));
    assertEquals(List.of(), CaseFolding.clashes(List.of("Conf/a", "conf/b", "x/conf", "X/y"), Folding.CASE),
        "directories alone never clash: their files fit in one");
  }

  @Test
  void clashesInNormalisationNameEachSpellingWithItsFormSoThatTheyCanBeToldApart() {
    List<String> desired = List.of(NFC, NFD, "R\u00e9", "Re\u0301/x", "new\nline\u00e9", "new\nlinee\u0301");
    assertEquals(List.of("'R\u00e9' (NFC) and 'Re\u0301/x' (NFD)", "'cafe\u0301.txt' (NFD) and 'caf\u00e9.txt' (NFC)",
        "'new\\nlinee\u0301' (NFD) and 'new\\nline\u00e9' (NFC)"), CaseFolding.clashes(desired, Folding.FORM));
    assertEquals(List.of(), CaseFolding.clashes(desired, Folding.CASE));
    assertEquals(List.of("'CAFE\u0301.txt' and 'cafe\u0301.txt'"),
        CaseFolding.clashes(List.of("CAFE\u0301.txt", NFD), Folding.BOTH), "one form: no form named");
    assertEquals(List.of("'K' (NFC) and '\u212a' (neither NFC nor NFD)"),
        CaseFolding.clashes(List.of("K", "\u212a"), Folding.FORM));
  }

  @Test
  void theHostIsNotAskedWhenEveryNameHasOneSpelling() throws Exception {
    CaseClashes cases = on(Folding.BOTH);
    Set<String> asked = Set.of("a/b.conf", "README.md", NFC, "ma\u00f1ana/x");
    assertEquals(new CaseClashes.View(asked, Set.of()), cases.read(asked, Set.of("old.conf"), true));
    cases.beforeStep(ResourceId.file("a/b.conf"));
    assertNull(cases.desiredSameEntry("old.conf"));
    assertEquals(List.of(), probes, "the usual apply pays no probe");
  }

  @Test
  void theHostIsAskedOnlyWhatChangesWhichNamesAreOne() throws Exception {
    on(Folding.BOTH).read(Set.of(NFD), Set.of(NFC), true);
    assertEquals(List.of(Folding.FORM), probes, "NFC against NFD: case changes nothing");
    probes.clear();
    on(Folding.BOTH).read(Set.of("README.md"), Set.of("Readme.md"), true);
    assertEquals(List.of(Folding.CASE), probes, "ASCII: normalisation changes nothing");
    probes.clear();
    on(Folding.CASE).read(Set.of("Caf\u00e9.txt"), Set.of(NFD), true);
    assertEquals(List.of(Folding.CASE, Folding.FORM), probes, "one only where both are ignored");
    probes.clear();
    on(Folding.FORM).read(Set.of("Caf\u00e9.txt"), Set.of(NFD), true);
    assertEquals(List.of(Folding.CASE), probes, "case is not ignored: normalisation alone cannot make them one");
    probes.clear();
    on(Folding.BOTH_FULL).read(Set.of("README.md", "Stra\u00dfe"), Set.of("Readme.md"), true);
    assertEquals(List.of(Folding.CASE), probes, "no name that full folding alone makes one of two: not asked");
    probes.clear();
    on(Folding.BOTH_FULL).read(Set.of("Stra\u00dfe"), Set.of("STRASSE"), true);
    assertEquals(List.of(Folding.CASE, Folding.CASE_FULL), probes, "sharp s against ss: asked how case is folded");
  }

  @Test
  void aCaseOnlyRenameReadsTheNewNameAbsentOnlyWhereTheHostFolds() throws Exception {
    Set<String> asked = Set.of("docs/README.md", "x");
    Set<String> owned = Set.of("Docs/Readme.md", "x");
    assertEquals(new CaseClashes.View(Set.of("x"), Set.of("Docs/Readme.md")), on(Folding.CASE).read(asked, owned, true),
        "the new name's entry is the owned old name's, which reads as shared whatever it holds");
    assertEquals(new CaseClashes.View(asked, Set.of()), on(Folding.NONE).read(asked, owned, true));
    assertEquals(new CaseClashes.View(asked, Set.of()), on(Folding.FORM).read(asked, owned, true));
    assertEquals(3, probes.size(), "one probe per read");
  }

  @Test
  void aNormalisationOnlyRenameReadsTheNewNameAbsentOnlyWhereTheHostIgnoresNormalisation() throws Exception {
    Set<String> asked = Set.of("R\u00e9sum\u00e9/" + NFD, "x");
    Set<String> owned = Set.of("Re\u0301sume\u0301/" + NFC, "x");
    CaseClashes.View one = new CaseClashes.View(Set.of("x"), Set.of("Re\u0301sume\u0301/" + NFC));
    assertEquals(one, on(Folding.FORM).read(asked, owned, true));
    assertEquals(one, on(Folding.BOTH).read(asked, owned, true));
    assertEquals(new CaseClashes.View(asked, Set.of()), on(Folding.CASE).read(asked, owned, true),
        "two files of their own");
    assertEquals(new CaseClashes.View(asked, Set.of()), on(Folding.NONE).read(asked, owned, true));
  }

  @Test
  void desiredClashesAreRefusedByTheReadOrByTheFirstStepWhenThereIsNoStateFolder() throws Exception {
    Set<String> asked = Set.of("conf/App.yaml", "conf/app.yaml");
    TargetException e = assertThrows(TargetException.class, () -> on(Folding.CASE).read(asked, Set.of(), true));
    assertTrue(e.getMessage().contains("nothing written: 'conf/App.yaml' and 'conf/app.yaml'"), e.getMessage());
    CaseClashes later = on(Folding.CASE);
    assertEquals(asked, later.read(asked, Set.of(), false).asked());
    assertEquals(1, probes.size());
    e = assertThrows(TargetException.class, () -> later.beforeStep(ResourceId.file("conf/app.yaml")));
    assertEquals(ResourceId.file("conf/app.yaml"), e.id());
    assertThrows(TargetException.class, () -> later.beforeStep(ResourceId.file("other")));
    assertEquals(2, probes.size(), "asked once per read");
    CaseClashes sensitive = on(Folding.NONE);
    sensitive.read(asked, Set.of(), false);
    sensitive.beforeStep(ResourceId.file("conf/app.yaml")); // nothing refused
  }

  @Test
  void desiredFilesInTwoFormsAreRefusedOnlyWhereTheHostIgnoresNormalisation() throws Exception {
    Set<String> asked = Set.of(NFC, NFD, "z");
    TargetException e = assertThrows(TargetException.class, () -> on(Folding.FORM).read(asked, Set.of(), true));
    assertEquals("test:/srv: the host's file system ignores Unicode normalisation (NFC against NFD), so desired files"
        + " whose names differ only in normalisation would be one file there; nothing written: 'cafe\u0301.txt' (NFD)"
        + " and 'caf\u00e9.txt' (NFC) (rename all but one of each in Git)", e.getMessage());
    CaseClashes later = on(Folding.BOTH);
    later.read(asked, Set.of(), false);
    e = assertThrows(TargetException.class, () -> later.beforeStep(ResourceId.file("z")));
    assertTrue(e.getMessage().contains("ignores Unicode normalisation (NFC against NFD), so"),
        "only what matters is named: " + e.getMessage());
    assertEquals(asked, on(Folding.CASE).read(asked, Set.of(), true).asked(), "two files of their own");
    CaseClashes sensitive = on(Folding.NONE);
    sensitive.read(asked, Set.of(), false);
    sensitive.beforeStep(ResourceId.file(NFC)); // nothing refused
  }

  @Test
  void desiredNamesThatOnlyFullCaseFoldingMakesOneAreRefusedOnlyWhereTheHostFoldsCaseFully() throws Exception {
    Set<String> asked = Set.of("Stra\u00dfe.txt", "STRASSE.txt", "\u0130.txt", "i.txt", "\u0131.txt");
    TargetException e = assertThrows(TargetException.class, () -> on(Folding.BOTH_FULL).read(asked, Set.of(), true));
    assertEquals("test:/srv: the host's file system ignores case (with Unicode's full case folding: '\u00df' as 'ss'),"
        + " so desired files whose names differ only in case would be one file there; nothing written: 'STRASSE.txt'"
        + " and 'Stra\u00dfe.txt' (rename all but one of each in Git)", e.getMessage());
    assertEquals(List.of(Folding.CASE, Folding.CASE_FULL), probes, "normalisation changes nothing here");
    assertEquals(asked, on(Folding.CASE).read(asked, Set.of(), true).asked(), "one character for one: five files");
    assertEquals(asked, on(Folding.BOTH).read(asked, Set.of(), true).asked(), "as on HFS+: five files");
  }

  @Test
  void desiredNamesThatDifferOnlyInDefaultIgnorableCharactersAreRefusedWhereCaseIsFoldedAsLinuxCasefoldDoes()
      throws Exception {
    // mkutf8data.c's ignore_init maps every Default_Ignorable_Code_Point to nothing; kernel 6.12 did not
    // (5c26d2f1d3f5), and was reverted (231825b2e1ff): a library that cannot know the kernel refuses them
    Set<String> asked = Set.of("conf/ab.yaml", "conf/a\u200db.yaml", "soft\u00adhyphen", "SOFTHYPHEN", "z");
    TargetException e = assertThrows(TargetException.class, () -> on(Folding.BOTH_FULL).read(asked, Set.of(), true));
    assertTrue(e.getMessage().contains("nothing written: 'conf/ab.yaml' and 'conf/a\\u200db.yaml'; 'SOFTHYPHEN' and"
        + " 'soft\\u00adhyphen' ("), "both named, the invisible one escaped: " + e.getMessage());
    assertTrue(e.getMessage().contains("default-ignorable"), e.getMessage());
    CaseClashes later = on(Folding.BOTH_FULL);
    later.read(asked, Set.of(), false);
    assertThrows(TargetException.class, () -> later.beforeStep(ResourceId.file("z")), "no state folder: the first step");
    for (Folding f : List.of(Folding.NONE, Folding.CASE, Folding.FORM, Folding.BOTH, Folding.CASE_FULL)) {
      assertEquals(asked, on(f).read(asked, Set.of(), true).asked(), f + ": five files of their own");
    }
  }

  @Test
  void aDeleteOfAnOldSpellingIsTheNewOnesEntryOnlyWhereTheHostIgnoresTheDifference() throws Exception {
    CaseClashes cases = on(Folding.CASE);
    cases.read(Set.of("README.md"), Set.of("Readme.md"), true);
    assertEquals("README.md", cases.desiredSameEntry("Readme.md"), "not written yet: the delete must wait");
    CaseClashes forms = on(Folding.FORM);
    forms.read(Set.of(NFD), Set.of(NFC), true);
    assertEquals(NFD, forms.desiredSameEntry(NFC));
    assertEquals("Unicode normalisation (NFC against NFD)", forms.ignored());
    CaseClashes sensitive = on(Folding.CASE);
    sensitive.read(Set.of(NFD), Set.of(NFC), true);
    assertNull(sensitive.desiredSameEntry(NFC), "two files: the delete deletes");
  }
}

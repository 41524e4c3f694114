package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ResourceId;
import dev.gitops.target.TargetException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rules for names that differ only in case ({@link CaseFolding}, {@link CaseClashes}), with a stand-in probe. */
class CaseClashesTest {
  private final AtomicInteger probes = new AtomicInteger();

  private CaseClashes on(boolean folding) {
    return new CaseClashes(() -> {
      probes.incrementAndGet();
      return folding;
    }, "test:/srv");
  }

  @Test
  void clashesNameFilesThatDifferOnlyInCaseAndAFileSpelledAsAnothersDirectory() {
    assertEquals(List.of("'conf' and 'Conf/x'", "'README.md' and 'Readme.md'"),
        CaseFolding.clashes(List.of("Readme.md", "README.md", "conf", "Conf/x", "a/b")));
    assertEquals(List.of(), CaseFolding.clashes(List.of("Conf/a", "conf/b", "x/conf", "X/y")),
        "directories alone never clash: their files fit in one");
    assertEquals(CaseFolding.key("STRASSE.txt"), CaseFolding.key("strasse.TXT"));
  }

  @Test
  void theHostIsNotAskedWhenEveryNameHasOneSpelling() throws Exception {
    CaseClashes cases = on(true);
    Set<String> asked = Set.of("a/b.conf", "README.md");
    assertEquals(new CaseClashes.View(asked, Set.of()), cases.read(asked, Set.of("old.conf"), true));
    cases.beforeStep(ResourceId.file("a/b.conf"));
    assertNull(cases.desiredSameEntry("old.conf"));
    assertEquals(0, probes.get(), "the usual apply pays no probe");
  }

  @Test
  void aCaseOnlyRenameReadsTheNewNameAbsentOnlyWhereTheHostFolds() throws Exception {
    Set<String> asked = Set.of("docs/README.md", "x");
    Set<String> owned = Set.of("Docs/Readme.md", "x");
    assertEquals(new CaseClashes.View(Set.of("x"), Set.of("Docs/Readme.md")), on(true).read(asked, owned, true),
        "the new name's entry is the owned old name's, which reads as shared whatever it holds");
    assertEquals(new CaseClashes.View(asked, Set.of()), on(false).read(asked, owned, true));
    assertEquals(2, probes.get(), "one probe per read");
  }

  @Test
  void desiredClashesAreRefusedByTheReadOrByTheFirstStepWhenThereIsNoStateFolder() throws Exception {
    Set<String> asked = Set.of("conf/App.yaml", "conf/app.yaml");
    TargetException e = assertThrows(TargetException.class, () -> on(true).read(asked, Set.of(), true));
    assertTrue(e.getMessage().contains("nothing written: 'conf/App.yaml' and 'conf/app.yaml'"), e.getMessage());
    CaseClashes later = on(true);
    assertEquals(asked, later.read(asked, Set.of(), false).asked());
    assertEquals(1, probes.get());
    e = assertThrows(TargetException.class, () -> later.beforeStep(ResourceId.file("conf/app.yaml")));
    assertEquals(ResourceId.file("conf/app.yaml"), e.id());
    assertThrows(TargetException.class, () -> later.beforeStep(ResourceId.file("other")));
    assertEquals(2, probes.get(), "asked once per read");
    CaseClashes sensitive = on(false);
    sensitive.read(asked, Set.of(), false);
    sensitive.beforeStep(ResourceId.file("conf/app.yaml")); // nothing refused
  }

  @Test
  void aDeleteOfAnOldSpellingIsTheNewOnesEntryOnlyWhereTheHostFolds() throws Exception {
    CaseClashes cases = on(true);
    cases.read(Set.of("README.md"), Set.of("Readme.md"), true);
    assertEquals("README.md", cases.desiredSameEntry("Readme.md"), "not written yet: the delete must wait");
    CaseClashes sensitive = on(false);
    sensitive.read(Set.of("README.md"), Set.of("Readme.md"), true);
    assertNull(sensitive.desiredSameEntry("Readme.md"), "two files: the delete deletes");
  }
}

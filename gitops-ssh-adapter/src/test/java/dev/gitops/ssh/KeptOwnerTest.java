package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.FileMode;
import org.junit.jupiter.api.Test;

/** The rule of {@link KeptOwner}, without a host: when a replaced file's owner and group are kept. */
class KeptOwnerTest {
  private static final KeptOwner NOBODY = KeptOwner.of(new Host.Stat(Host.Stat.Type.FILE, 0600, null, 3, 65534, 65534));

  @Test
  void rootKeepsTheReplacedFilesOwnerAndGroupByNumber() throws Exception {
    assertEquals(new FileMode(0600, "65534", "65534"), KeptOwner.mode(FileMode.of(0600), NOBODY, 0, null, "a"));
  }

  @Test
  void whatGitNamesWinsAndWhatItDoesNotIsKept() throws Exception {
    FileMode both = new FileMode(0640, "app", "adm");
    assertSame(both, KeptOwner.mode(both, NOBODY, 0, null, "a"));
    assertEquals(new FileMode(0640, "65534", "adm"), KeptOwner.mode(new FileMode(0640, "", "adm"), NOBODY, 0, null, "a"));
    assertEquals(new FileMode(0640, "app", "65534"), KeptOwner.mode(new FileMode(0640, "app", ""), NOBODY, 0, null, "a"));
    KeptOwner roots = KeptOwner.of(new Host.Stat(Host.Stat.Type.FILE, 0644, null, 3, 0, 0));
    assertEquals(new FileMode(0640, "", "adm"), KeptOwner.mode(new FileMode(0640, "", "adm"), roots, 0, null, "a"));
  }

  @Test
  void aCreateOrANonRootUserOrAFileOfRootsNeedsNoChown() throws Exception {
    FileMode mode = FileMode.of(0644);
    assertSame(mode, KeptOwner.mode(mode, null, 0, null, "a"), "nothing replaced");
    assertSame(mode, KeptOwner.mode(mode, NOBODY, 1000, null, "a"), "only root may give a file away");
    assertSame(mode, KeptOwner.mode(mode, NOBODY, -1, null, "a"), "who we are is unknown");
    KeptOwner roots = KeptOwner.of(new Host.Stat(Host.Stat.Type.FILE, 0644, null, 3, 0, 0));
    assertSame(mode, KeptOwner.mode(mode, roots, 0, null, "a"), "root's new file is root's already");
  }

  @Test
  void aNonRootUserIsToldTheOwnerWasNotKept() {
    String detail = KeptOwner.notKept(FileMode.of(0600), NOBODY, 1000);
    assertTrue(detail.startsWith("owner not kept: the file replaced was owned by uid 65534 (gid 65534); it is uid"
        + " 1000's now"), detail);
    assertEquals("", KeptOwner.notKept(FileMode.of(0600), NOBODY, 0), "root keeps it");
    assertEquals("", KeptOwner.notKept(FileMode.of(0600), KeptOwner.of(new Host.Stat(Host.Stat.Type.FILE, 0600, null,
        3, 1000, 1000)), 1000), "already this user's");
    assertEquals("", KeptOwner.notKept(FileMode.of(0600), null, 1000), "a create");
    assertEquals("", KeptOwner.notKept(new FileMode(0600, "app", ""), NOBODY, 1000), "named in Git");
    assertTrue(KeptOwner.notKept(new FileMode(0600, "", "adm"), new KeptOwner("app", "adm"), 1000)
        .startsWith("owner not kept: the file replaced was owned by app (group adm); it is uid 1000's now"));
  }
}

package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.FileMode;
import java.util.List;
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

  @Test
  void aNonRootUserKeepsAGroupItIsInAndIsToldOfOneItIsNot() throws Exception {
    KeptOwner mine = KeptOwner.of(new Host.Stat(Host.Stat.Type.FILE, 0640, null, 3, 1000, 27));
    List<Integer> groups = List.of(1000, 27, 44); // id -G: the primary first
    assertEquals(new FileMode(0640, "", "27"), KeptOwner.mode(FileMode.of(0640), mine, 1000, groups, null, "a"));
    assertEquals("", KeptOwner.notKept(FileMode.of(0640), mine, 1000, groups));
    FileMode named = new FileMode(0640, "", "adm");
    assertSame(named, KeptOwner.mode(named, mine, 1000, groups, null, "a"), "a group named in Git wins");
    KeptOwner primary = KeptOwner.of(new Host.Stat(Host.Stat.Type.FILE, 0640, null, 3, 1000, 1000));
    FileMode plain = FileMode.of(0640);
    assertSame(plain, KeptOwner.mode(plain, primary, 1000, groups, null, "a"),
        "a new file has the primary group: no chown");
    assertSame(plain, KeptOwner.mode(plain, mine, 1000, List.of(), null, "a"),
        "groups unknown");

    KeptOwner other = KeptOwner.of(new Host.Stat(Host.Stat.Type.FILE, 0640, null, 3, 1000, 65534));
    assertSame(plain, KeptOwner.mode(plain, other, 1000, groups, null, "a"));
    assertTrue(KeptOwner.notKept(FileMode.of(0640), other, 1000, groups).startsWith("group not kept: the file replaced"
        + " had gid 65534; it has the group a new file of uid 1000 gets now (gid 1000"));
    assertEquals("", KeptOwner.notKept(FileMode.of(0640), other, 1000, List.of()), "groups unknown: nothing said");
    assertEquals("", KeptOwner.notKept(new FileMode(0640, "", "adm"), other, 1000, groups), "named in Git");
    KeptOwner nobodys = KeptOwner.of(new Host.Stat(Host.Stat.Type.FILE, 0640, null, 3, 65534, 27));
    assertTrue(KeptOwner.notKept(FileMode.of(0640), nobodys, 1000, groups).endsWith("; its group is kept"));
  }
}

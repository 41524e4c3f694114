package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Who else may rename an entry of a folder: the rules {@link SharedFolders} judges a folder on the way by. */
class SharedFoldersTest {
  private static final int ME = 1000;

  private static Host.Stat folder(int mode, int uid, int gid) {
    return new Host.Stat(Host.Stat.Type.DIRECTORY, mode, null, -1, uid, gid);
  }

  @Test
  void aFolderOfTheUserOrOfRootThatNoOneElseMayWriteIsNotShared() {
    assertNull(SharedFolders.why(folder(0755, ME, ME), ME, ME));
    assertNull(SharedFolders.why(folder(0755, 0, 0), ME, ME));
    assertNull(SharedFolders.why(folder(0700, 0, 0), 0, 0));
    assertNull(SharedFolders.why(folder(0555, ME, 0), ME, ME));
  }

  @Test
  void aFolderOthersOrItsGroupMayWriteIsShared() {
    assertEquals("is writable by others (mode 0777)", SharedFolders.why(folder(0777, 0, 0), 0, 0));
    assertEquals("is writable by others (mode 0757)", SharedFolders.why(folder(0757, ME, ME), ME, ME));
    assertEquals("is writable by its group (gid 33) (mode 2775)", SharedFolders.why(folder(02775, 0, 33), 0, 0));
  }

  @Test
  void aFolderOfAnotherUserIsSharedWhateverItsMode() {
    assertEquals("is owned by uid 33, neither root nor the user gitops runs as there (uid 1000)",
        SharedFolders.why(folder(0700, 33, 33), ME, ME));
    assertEquals("is owned by uid 1000, neither root nor the user gitops runs as there (uid 0)",
        SharedFolders.why(folder(0755, ME, ME), 0, 0));
  }

  /** Sticky: only the entry's owner, the folder's owner and root may rename an entry ({@code check_sticky}). */
  @Test
  void aStickyFolderSharesOnlyTheEntriesOfOthers() {
    assertNull(SharedFolders.why(folder(01777, 0, 0), ME, ME));
    assertNull(SharedFolders.why(folder(01777, 0, 0), 0, ME));
    assertNull(SharedFolders.why(folder(01777, 0, 0), SharedFolders.OURS, -1), "one the user made, whoever it is");
    assertNull(SharedFolders.why(folder(01777, -1, -1), SharedFolders.OURS, -2), "a server that says no owner");
    assertEquals("is writable by others (mode 1777)", SharedFolders.why(folder(01777, 0, 0), 33, ME));
    assertEquals("is writable by others (mode 1777)", SharedFolders.why(folder(01777, 0, 0), -1, ME),
        "an entry whose owner the host does not say");
    assertEquals("is owned by uid 33, neither root nor the user gitops runs as there (uid 1000)",
        SharedFolders.why(folder(01777, 33, 33), ME, ME), "the sticky folder's owner may rename any entry");
  }

  /** MINA SSHD's SFTP server says no owner: the mode alone is judged; an unknown user judges no owner. */
  @Test
  void anOwnerNoOneSaidIsNotJudged() {
    assertNull(SharedFolders.why(folder(0755, -1, -1), -1, 0));
    assertEquals("is writable by others (mode 0777)", SharedFolders.why(folder(0777, -1, -1), -1, 0));
    assertNull(SharedFolders.why(folder(0755, 33, 33), ME, -1));
  }

  @Test
  void aTrustedFolderCoversItselfAndWhatIsUnderItNotANameThatStartsTheSame() {
    java.util.List<String> www = FilesTarget.Options.defaults().withTrustedFolders(java.util.List.of("/var/www/"))
        .trustedFolders();
    assertEquals(java.util.List.of("/var/www"), www);
    assertTrue(SharedFolders.trusted(www, "/var/www"));
    assertTrue(SharedFolders.trusted(www, "/var/www/site/pub"));
    assertFalse(SharedFolders.trusted(www, "/var/wwwold"));
    assertFalse(SharedFolders.trusted(www, "/var"));
    assertFalse(SharedFolders.trusted(java.util.List.of(), "/var/www"));
    assertTrue(SharedFolders.trusted(java.util.List.of("/"), "/srv/app"));
  }

  @Test
  void aTrustedFolderMustBeAbsoluteWithoutDotSegments() {
    for (String bad : java.util.List.of("var/www", "/var/www/../etc", "/var/./www", "", "/var//www")) {
      assertThrows(IllegalArgumentException.class,
          () -> FilesTarget.Options.defaults().withTrustedFolders(java.util.List.of(bad)), bad);
    }
  }
}

package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.plan.Action;
import dev.gitops.target.DeployHistory;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The state folder {@code <root>/.gitops} is a target path like any other: never used through a
 * symlink (nothing written or read outside the root), created {@code 0700}. Run over every kind of
 * {@link Host} by {@link FilesTargetSuite}.
 */
interface StateDirContract extends FilesTargetContract {

  private static DeployHistory.Deployment deployment() {
    return new DeployHistory.Deployment("rev", "main", "Plan: 1", "succeeded", Instant.EPOCH, "ci");
  }

  @Test
  default void aSymlinkedStateFolderIsRefusedByEveryUseAndNothingLandsOutsideTheRoot() throws Exception {
    Path outside = Files.createDirectories(root().resolveSibling("elsewhere"));
    Files.writeString(outside.resolve(OWNER + ".inventory"), "{\"owner\":\"" + OWNER + "\",\"files\":{}}");
    Files.createSymbolicLink(root().resolve(".gitops"), outside);
    refusedByEveryUse("'.gitops' is a symlink on the host");
    try (Stream<Path> files = Files.list(outside)) {
      assertEquals(List.of(outside.resolve(OWNER + ".inventory")), files.toList(), "nothing written there");
    }
  }

  /** Every use of the state folder, each by a new target, fails saying {@code expected}; nothing is written. */
  private void refusedByEveryUse(String... expected) {
    List<Consumer<FilesTarget>> uses = List.of(
        t -> t.read(Scope.owned(OWNER)),
        t -> t.apply(new Action.Create(text("a.conf", "x\n")), OWNER),
        t -> t.lock("ci", null),
        t -> t.record(deployment(), 5),
        t -> t.history());
    for (Consumer<FilesTarget> use : uses) {
      TargetException e = assertThrows(TargetException.class, () -> use.accept(fresh()));
      for (String part : expected) {
        assertTrue(e.getMessage().contains(part), e.getMessage());
      }
      assertFalse(e.retryable(), "retrying cannot help: " + e.getMessage());
    }
    assertFalse(Files.exists(root().resolve("a.conf")), "refused before the first write");
  }

  @Test
  default void aStateFolderOthersCanWriteIsRefusedByEveryUseEvenWithTheStickyBit() throws Exception {
    Path state = Files.createDirectories(root().resolve(".gitops"));
    for (String mode : List.of("rwxrwxrwx", "rwxrwx---", "rwxr-x-wx")) {
      Files.setPosixFilePermissions(state, PosixFilePermissions.fromString(mode));
      refusedByEveryUse("'.gitops' is writable by", "chmod go-w " + state, "another user could plant");
    }
    Files.setAttribute(state, "unix:mode", 01777);
    refusedByEveryUse("'.gitops' is writable by group and others (mode ");
    try (Stream<Path> files = Files.list(state)) {
      assertEquals(List.of(), files.toList(), "nothing written in it");
    }
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    fresh().lock("ci", null).close(); // readable by others is no harm
  }

  @Test
  default void aJournalOrLockOthersCanWriteIsRefusedNamingIt() throws Exception {
    Path state = Files.createDirectories(root().resolve(".gitops"));
    Path journal = Files.writeString(state.resolve(OWNER + ".journal"), "");
    Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rw-rw-rw-"));
    TargetException e = assertThrows(TargetException.class, () -> fresh().read(Scope.owned(OWNER)));
    assertTrue(e.getMessage().contains("'.gitops/" + OWNER + ".journal' is writable by group and others (mode 0666"),
        e.getMessage());
    e = assertThrows(TargetException.class, () -> fresh().apply(new Action.Create(text("a.conf", "x\n")), OWNER));
    assertTrue(e.getMessage().contains("chmod go-w " + journal), e.getMessage());
    Files.delete(journal);
    Path lock = Files.writeString(state.resolve("lock"), "{}");
    Files.setPosixFilePermissions(lock, PosixFilePermissions.fromString("rw-r--rw-"));
    e = assertThrows(TargetException.class, () -> fresh().lock("ci", null));
    assertTrue(e.getMessage().contains("'.gitops/lock' is writable by others (mode 0646"), e.getMessage());
    assertFalse(Files.exists(root().resolve("a.conf")), "refused before the first write");
  }

  @Test
  default void aStateFolderOrLockOfAnotherUserIsRefused() throws Exception {
    Path state = Files.createDirectories(root().resolve(".gitops"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
    int me = (Integer) Files.getAttribute(state, "unix:uid");
    int other = me + 4242;
    try {
      Files.setAttribute(state, "unix:uid", other);
    } catch (java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "cannot give a folder to another user here: " + e);
    }
    String[] expected = {"'.gitops' is owned by uid " + other + ", not by this user (uid " + me + ") nor root",
        "chown " + me + " " + state};
    if (!statTellsOwner()) {
      TargetException e = assertThrows(TargetException.class, () -> fresh().read(Scope.owned(OWNER)));
      assertTrue(e.getMessage().contains(expected[0]), e.getMessage());
      return;
    }
    refusedByEveryUse(expected);
    Files.setAttribute(state, "unix:uid", me);
    Path lock = Files.writeString(state.resolve("lock"), "{}");
    Files.setAttribute(lock, "unix:uid", other);
    TargetException e = assertThrows(TargetException.class, () -> fresh().lock("ci", null));
    assertTrue(e.getMessage().contains("'.gitops/lock' is owned by uid " + other), e.getMessage());
  }

  /**
   * True when the host's {@link Host#stat} tells owners: then the state folder's owner is checked at
   * every use, else only by the reads (from the read's tar stream).
   */
  default boolean statTellsOwner() {
    return true;
  }

  @Test
  default void aStateFolderThatIsAFileIsRefusedNamingWhatIsThere() throws Exception {
    Files.writeString(root().resolve(".gitops"), "not a folder");
    TargetException e = assertThrows(TargetException.class, () -> fresh().lock("ci", null));
    assertTrue(e.getMessage().contains("'.gitops' is not a directory on the host (file)"), e.getMessage());
  }

  @Test
  default void theStateFolderIsCreatedForItsOwnerOnly() throws Exception {
    FilesTarget target = fresh();
    target.read(Scope.owned(OWNER));
    target.apply(new Action.Create(text("a.conf", "x\n")), OWNER);
    target.flush();
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(root().resolve(".gitops"), LinkOption.NOFOLLOW_LINKS)));
    Path fresh = root().resolve("new-root");
    FilesTarget elsewhere = FilesTarget.of(files().host(), fresh.toString());
    elsewhere.lock("ci", null).close();
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(fresh.resolve(".gitops"), LinkOption.NOFOLLOW_LINKS)), "root made too");
  }
}

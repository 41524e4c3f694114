package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.file;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.ActualState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.DeployHistory;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A tree that someone else can change: a directory swapped for a symlink to a place outside the
 * root after the plan was made, the state folder swapped the same way, a parent that became a
 * file. Nothing is ever written, deleted or renamed outside the root; what cannot be done safely is
 * refused naming the path. Run over every kind of {@link Host} by {@link FilesTargetSuite}.
 */
interface HostileTreeContract extends FilesTargetContract {

  /** Every entry under {@code dir} (not following symlinks) with its bytes or what it is: to compare before and after. */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
            : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) + " "
                + Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) : "other";
        out.put(dir.relativize(p).toString(), what);
      }
    }
    return out;
  }

  /**
   * What a neighbour who can write the root does after the plan: moves the directory {@code name}
   * out of the root, whole, and puts a symlink to where it went in its place. Every file the plan
   * was made against is still there through the link, byte for byte, mode for mode.
   *
   * @return the directory outside the root that the symlink now points to
   */
  default Path swapForSymlink(String name) throws IOException {
    Path outside = root().resolveSibling("outside-" + name.replace('/', '-'));
    Files.move(root().resolve(name), outside);
    Files.createSymbolicLink(root().resolve(name), outside);
    return outside;
  }

  private static ResourceId id(String path) {
    return ResourceId.file(path);
  }

  @Test
  default void aDirectorySwappedForASymlinkAfterThePlanIsNeitherWrittenNorPrunedThrough() throws Exception {
    files().apply(new Action.Create(text("conf/app.conf", "v1\n")), OWNER);
    files().apply(new Action.Create(text("conf/old.conf", "old\n")), OWNER);
    files().flush();
    FilesTarget target = fresh();
    ActualState planned = target.read(Scope.of(OWNER, Set.of(id("conf/app.conf"), id("conf/new.conf"),
        id("conf/old.conf"))));
    Path outside = swapForSymlink("conf");
    Map<String, String> before = snapshot(outside);

    Resource v2 = text("conf/app.conf", "v2\n");
    List<Action> steps = List.of(new Action.Create(text("conf/new.conf", "new\n")),
        new Action.Update(v2, ResourceDiff.none(v2.id()), planned.get(v2.id()).fingerprint()),
        new Action.Delete(id("conf/old.conf"), planned.get(id("conf/old.conf")).fingerprint()));
    for (Action step : steps) {
      TargetException e = assertThrows(TargetException.class, () -> target.apply(step, OWNER), step.toString());
      assertTrue(e.getMessage().contains("'conf' is a symlink on the host: refusing to write or delete through it"),
          e.getMessage());
      assertFalse(e.retryable(), "the tree must be repaired first: " + e.getMessage());
    }
    assertEquals(before, snapshot(outside), "nothing written, replaced or deleted outside the root");
  }

  /**
   * The moment between the look at the directories and the write: the neighbour swaps {@code conf}
   * (and, another time, {@code conf/d}) for a symlink to a copy of itself outside right after the
   * look, just before the write of the temporary file and its rename. The temporary file lands
   * outside through the link (nothing a host can do over SFTP v3 stops the open following it), but
   * the directories are looked at again once it is written and before the rename: the step fails
   * naming the directory, the temporary file is removed, and nothing outside is replaced.
   */
  @Test
  default void aDirectorySwappedForASymlinkBetweenTheLookAndTheWriteGetsNothingRenamedOutside() throws Exception {
    files().apply(new Action.Create(text("conf/app.conf", "v1\n")), OWNER);
    files().apply(new Action.Create(text("conf/d/deep.conf", "v1\n")), OWNER);
    files().flush();
    for (String dir : List.of("conf/d", "conf")) {
      String file = dir.equals("conf") ? "conf/app.conf" : "conf/d/deep.conf";
      Path[] outside = new Path[1];
      Tamper neighbour = new Tamper(files().host(), "writeAndRename", p -> p.endsWith("/" + file),
          p -> outside[0] = swapForSymlink(dir));
      FilesTarget target = FilesTarget.of(neighbour, root().toString());
      ActualState planned = target.read(Scope.owned(OWNER));
      Resource v2 = text(file, "v2\n");
      TargetException e = assertThrows(TargetException.class, () -> target.apply(
          new Action.Update(v2, ResourceDiff.none(v2.id()), planned.get(v2.id()).fingerprint()), OWNER));
      assertTrue(neighbour.acted());
      assertTrue(e.getMessage().contains("'" + dir + "' is a symlink on the host"), e.getMessage());
      assertFalse(e.retryable(), e.getMessage());
      Map<String, String> after = snapshot(outside[0]);
      String name = file.substring(dir.length() + 1);
      assertEquals("v1\n 33188", after.get(name), "nothing renamed over the file outside: " + after);
      assertEquals(List.of(), after.keySet().stream().filter(n -> n.contains(".gitops")).toList(),
          "the temporary file is removed");
      Files.delete(root().resolve(dir)); // the neighbour's link; the directory is put back
      Files.move(outside[0], root().resolve(dir));
    }
  }

  @Test
  default void aParentSwappedForASymlinkWhileAPruneEmptiesItsDirectoriesDeletesNothingOutside() throws Exception {
    files().apply(new Action.Create(text("a/b/c.conf", "c\n")), OWNER);
    files().flush();
    Path outside = root().resolveSibling("outside-prune");
    Files.createDirectories(outside.resolve("b"));
    Tamper neighbour = new Tamper(files().host(), "delete", p -> p.endsWith("/a/b/c.conf"), p -> {
      Files.move(root().resolve("a"), root().resolveSibling("a-moved"));
      Files.createSymbolicLink(root().resolve("a"), outside);
    });
    FilesTarget target = FilesTarget.of(neighbour, root().toString());
    ActualState planned = target.read(Scope.owned(OWNER));
    target.apply(new Action.Delete(id("a/b/c.conf"), planned.get(id("a/b/c.conf")).fingerprint()), OWNER);
    assertTrue(neighbour.acted());
    assertTrue(Files.isDirectory(outside.resolve("b")), "an empty directory outside the root is not deleted");
    assertTrue(Files.isSymbolicLink(root().resolve("a")), "nor is the link");
  }

  @Test
  default void aParentThatIsAFileIsRefusedNamingItBeforeThePlanAndAfter() throws Exception {
    Files.writeString(root().resolve("etc"), "a file where a directory is wanted\n");
    TargetException before = assertThrows(TargetException.class,
        () -> files().apply(new Action.Create(text("etc/app.conf", "x\n")), OWNER));
    assertTrue(before.getMessage().contains("'etc' is not a directory on the host"), before.getMessage());

    files().apply(new Action.Create(text("lib/app.conf", "v1\n")), OWNER);
    FilesTarget target = fresh();
    ActualState planned = target.read(Scope.of(OWNER, Set.of(id("lib/app.conf"), id("lib/new.conf"))));
    Files.move(root().resolve("lib"), root().resolveSibling("lib-moved"));
    Files.writeString(root().resolve("lib"), "now a file\n");
    Resource v2 = text("lib/app.conf", "v2\n");
    for (Action step : List.of(new Action.Create(text("lib/new.conf", "new\n")),
        new Action.Update(v2, ResourceDiff.none(v2.id()), planned.get(v2.id()).fingerprint()))) {
      TargetException e = assertThrows(TargetException.class, () -> target.apply(step, OWNER), step.toString());
      assertTrue(e.getMessage().contains("'lib' is not a directory on the host"), e.getMessage());
    }
    assertEquals("now a file\n", Files.readString(root().resolve("lib")));
    assertEquals("a file where a directory is wanted\n", Files.readString(root().resolve("etc")));
  }

  @Test
  default void aStateFolderSwappedForASymlinkAfterTheReadIsNeverWrittenThrough() throws Exception {
    files().apply(new Action.Create(text("a.conf", "a\n")), OWNER);
    files().flush();
    files().lock("ci", null).close();
    FilesTarget target = fresh();
    target.read(Scope.of(OWNER, Set.of(id("a.conf"), id("b.conf"))));
    Path outside = swapForSymlink(".gitops");
    Map<String, String> before = snapshot(outside);
    List<Runnable> uses = List.of(
        () -> target.apply(new Action.Create(text("b.conf", "b\n")), OWNER),
        () -> target.lock("ci", null),
        () -> target.record(new DeployHistory.Deployment("rev", "main", "Plan: 1", "succeeded", Instant.EPOCH, "ci"), 5),
        target::history,
        target::lockedBy,
        target::forceUnlock);
    for (Runnable use : uses) {
      TargetException e = assertThrows(TargetException.class, use::run);
      assertTrue(e.getMessage().contains("'.gitops' is a symlink on the host"), e.getMessage());
    }
    TargetException close = assertThrows(TargetException.class, target::close, "the intent stays pending");
    assertTrue(close.getMessage().contains("'.gitops' is a symlink on the host"), close.getMessage());
    assertEquals(before, snapshot(outside), "nothing written, replaced or deleted through the swapped state folder");
    assertFalse(Files.exists(root().resolve("b.conf")), "refused before the file was written");
    Files.delete(root().resolve(".gitops"));
    Files.move(outside, root().resolve(".gitops"));
    target.close(); // repaired: what was pending is written where it belongs
  }

  @Test
  default void aLockSwappedForASymlinkWhileHeldIsNotDeletedThroughOnRelease() throws Exception {
    FilesTarget target = fresh();
    var lock = target.lock("ci", null);
    Path outside = swapForSymlink(".gitops");
    Map<String, String> before = snapshot(outside);
    TargetException e = assertThrows(TargetException.class, lock::close);
    assertTrue(e.getMessage().contains("'.gitops' is a symlink on the host"), e.getMessage());
    assertEquals(before, snapshot(outside), "the lock outside the root stays");
  }

  @Test
  default void aTemporaryFileSwappedForASymlinkBeforeItsGroupOrModeIsSetChangesNothingOutside() throws Exception {
    Path outside = Files.createDirectories(root().resolveSibling("outside-mode"));
    Path secret = Files.writeString(outside.resolve("secret"), "secret\n");
    Files.setAttribute(secret, "unix:mode", 0600);
    String group = Groups.of(secret);
    assumeTrue(Groups.moveToAnother(secret) != null, "the test user has one group: a chown would show nothing");
    Map<String, String> before = snapshot(outside);
    String groupBefore = Groups.of(secret);
    // chown is asked for a managed group; chmod after it, for setgid (chown clears it)
    for (String op : List.of("chown", "chmod")) {
      Tamper neighbour = new Tamper(files().host(), op, p -> p.contains(".gitops-"), p -> {
        Files.delete(Path.of(p));
        Files.createSymbolicLink(Path.of(p), secret);
      });
      FilesTarget target = FilesTarget.of(neighbour, root().toString());
      target.read(Scope.of(OWNER, Set.of(id(op + ".conf"))));
      Resource wanted = file(op + ".conf", "mine\n", new FileMode(op.equals("chown") ? 0644 : 02755, "", group));
      if (ForwardingHost.takesSteps(files().host())) {
        TargetException e = assertThrows(TargetException.class, () -> target.apply(new Action.Create(wanted), OWNER));
        assertTrue(neighbour.acted(), op);
        assertTrue(e.getMessage().contains("symlink"), op + ": " + e.getMessage());
        assertFalse(Files.exists(root().resolve(op + ".conf"), LinkOption.NOFOLLOW_LINKS), op + ": the link is not put in place");
      } else { // one script (a host that only runs commands): no call between the write and its chown to act before
        target.apply(new Action.Create(wanted), OWNER);
        assertFalse(neighbour.acted(), op);
        assertFalse(Files.isSymbolicLink(root().resolve(op + ".conf")), op);
      }
      assertEquals(before, snapshot(outside), op + ": the file the link leads to keeps its mode");
      assertEquals(groupBefore, Groups.of(secret), op + ": and its group");
      target.close();
    }
  }

  @Test
  default void theStateFolderIsReservedWhateverTheCaseOfItsName() {
    // on a case-insensitive host (macOS, Windows) .GITOPS/lock is .gitops/lock: a tree must never write there
    for (String bad : List.of(".GITOPS/lock", ".Gitops/contract.inventory", ".gitopS", ".GITOPS")) {
      TargetException e = assertThrows(TargetException.class,
          () -> files().apply(new Action.Create(text(bad, "{}")), OWNER), bad);
      assertTrue(e.getMessage().contains("reserved for the target's own state"), e.getMessage());
    }
    assertFalse(Files.exists(root().resolve(".GITOPS")));
    assertFalse(Files.exists(root().resolve(".Gitops")));
    assertFalse(Files.exists(root().resolve(".gitopS")));
  }
}

package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.file;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Outcome;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Handler;
import dev.gitops.model.Observed;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import dev.gitops.target.Scope;
import dev.gitops.target.StaleResourceException;
import dev.gitops.target.TargetException;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the steps of a {@link FilesTarget} report and leave behind, through the applier: handler
 * output in the report, owner and group checked just before a write, directories a prune empties
 * deleted, temporary files of interrupted writes swept. Run over every kind of {@link Host} by {@link FilesTargetSuite}.
 */
interface FilesTargetStepsContract extends FilesTargetContract {

  private static Action.Run run(String name, String command) {
    return new Action.Run(new Handler(name, command, List.of("**"), Origin.UNKNOWN),
        List.of(ResourceId.file("etc/app.conf")));
  }

  private static Plan plan(Action... steps) {
    return new Plan(OWNER, "", List.of(new Wave(0, List.of(steps))), "sha256:test");
  }

  @Test
  default void handlerOutputIsTheDetailOfItsAppliedStep() {
    ApplyReport report = Reconcile.apply(files(),
        plan(run("reload", "echo 'configuration ok'; echo 'warning: slow disk' >&2; echo reloaded")));
    assertTrue(report.isSuccess(), report::toString);
    Outcome.Applied applied = (Outcome.Applied) report.outcomes().get(0);
    assertEquals("configuration ok\nreloaded\nwarning: slow disk", applied.detail(),
        "standard output, then standard error");
    assertTrue(report.toString().contains("applied run Handler//reload:\n    configuration ok\n    reloaded\n"
        + "    warning: slow disk"), report::toString);
  }

  @Test
  default void failingHandlerFailsItsStepInTheReportWithItsOutput() {
    ApplyReport report = Reconcile.apply(files(),
        plan(run("check", "echo 'testing config'; echo 'unknown directive \"lisen\"' >&2; exit 1")));
    assertEquals(Outcome.Kind.FAILED, report.outcomes().get(0).kind(), report::toString);
    String message = report.failures().get(0).cause().getMessage();
    assertTrue(message.contains("exit 1") && message.contains("testing config")
        && message.contains("unknown directive \"lisen\""), message);
    assertTrue(report.toString().contains("failed run Handler//check:"), report::toString);
  }

  @Test
  default void longHandlerOutputKeepsItsEndAndSaysWhatWasCut() {
    ApplyReport report = Reconcile.apply(files(),
        plan(run("chatty", "i=0; while [ $i -lt 2000 ]; do echo \"line $i\"; i=$((i+1)); done; echo done")));
    String detail = ((Outcome.Applied) report.outcomes().get(0)).detail();
    assertTrue(detail.startsWith("[output cut: its last 4096 characters follow]\n"), detail);
    assertTrue(detail.endsWith("line 1999\ndone"), () -> "the end is kept: ..." + detail.substring(Math.max(0, detail.length() - 300)));
    assertTrue(detail.length() < 4200, "bounded: " + detail.length());
  }

  private static Resource grouped(String path, String text, String group) {
    return file(path, text, new FileMode(0644, "", group));
  }

  @Test
  default void anUpdatePlannedBeforeTheGroupChangedIsRefusedAsStaleAndTheNextPlanRepairsIt()
      throws Exception {
    Path file = root().resolve("grouped.conf");
    Files.writeString(root().resolve("probe"), "");
    String mine = Groups.of(root().resolve("probe"));
    files().apply(new Action.Create(grouped("grouped.conf", "v1\n", mine)), OWNER);
    Observed read = fresh().read(Scope.owned(OWNER)).get(ResourceId.file("grouped.conf"));
    assertEquals(mine, ((Content.Bytes) read.resource().content()).mode().group(), "a managed group is read");

    String other = Groups.moveToAnother(file);
    assumeTrue(other != null, "the test user has only one group: cannot change a file's group here");
    Resource v2 = grouped("grouped.conf", "v2\n", mine);
    StaleResourceException stale = assertThrows(StaleResourceException.class, () -> files().apply(
        new Action.Update(v2, ResourceDiff.none(v2.id()), read.fingerprint()), OWNER),
        "the group changed after the read");
    assertTrue(stale.getMessage().contains("File//grouped.conf"), stale.getMessage());
    assertEquals("v1\n", Files.readString(file), "not written");
    assertEquals(other, Groups.of(file));

    Observed now = fresh().read(Scope.owned(OWNER)).get(ResourceId.file("grouped.conf"));
    assertNotNull(now);
    assertEquals(other, ((Content.Bytes) now.resource().content()).mode().group());
    files().apply(new Action.Update(v2, ResourceDiff.none(v2.id()), now.fingerprint()), OWNER);
    assertEquals("v2\n", Files.readString(file));
    assertEquals(mine, Groups.of(file), "the drifted group is repaired");
  }

  private void prune(String... paths) {
    var actual = fresh().read(Scope.owned(OWNER));
    for (String p : paths) {
      files().apply(new Action.Delete(ResourceId.file(p), actual.get(ResourceId.file(p)).fingerprint()), OWNER);
    }
  }

  @Test
  default void directoriesAPruneEmptiesAreDeletedUpToTheRootAndNoFurther() throws Exception {
    for (String p : List.of("a/b/c/one.conf", "a/b/two.conf", "a/x/three.conf", "solo/deep/four.conf")) {
      files().apply(new Action.Create(text(p, p)), OWNER);
    }
    Files.writeString(root().resolve("a/user.txt"), "not ours\n");
    Files.createDirectories(root().resolve("empty-by-hand"));
    Files.createDirectories(root().resolve("a/x/keep"));

    prune("a/b/c/one.conf");
    assertFalse(Files.exists(root().resolve("a/b/c")), "left empty by the delete");
    assertTrue(Files.isDirectory(root().resolve("a/b")), "still holds two.conf");
    prune("a/b/two.conf");
    assertFalse(Files.exists(root().resolve("a/b")));
    assertTrue(Files.exists(root().resolve("a/user.txt")), "a still holds a file that is not ours");
    prune("a/x/three.conf");
    assertTrue(Files.isDirectory(root().resolve("a/x/keep")), "a directory inside is something: x stays");
    prune("solo/deep/four.conf");
    assertFalse(Files.exists(root().resolve("solo")), "the whole chain, up to the root");
    assertTrue(Files.isDirectory(root()), "never the root");
    assertTrue(Files.isDirectory(root().resolve("empty-by-hand")), "empty directories the prune did not empty stay");
    assertTrue(Files.isDirectory(root().resolve(".gitops")));

    files().apply(new Action.Create(text("a/b/c/again.conf", "again")), OWNER);
    assertEquals("again", Files.readString(root().resolve("a/b/c/again.conf")), "deleted directories are made again");
  }

  @Test
  default void aDirectoryHoldingOnlyASymlinkIsNotEmptyAndTheLinkIsNotFollowed() throws Exception {
    Path outside = Files.createDirectories(root().resolveSibling("outside-dir"));
    Files.writeString(outside.resolve("theirs"), "x");
    files().apply(new Action.Create(text("links/mine.conf", "m")), OWNER);
    Files.createSymbolicLink(root().resolve("links/to-outside"), outside);
    prune("links/mine.conf");
    assertTrue(Files.isSymbolicLink(root().resolve("links/to-outside")));
    assertTrue(Files.exists(outside.resolve("theirs")));
  }

  /** Uploads a temporary file, then the connection is lost before the rename and before its clean-up. */
  final class Interrupted extends ForwardingHost {
    private final java.util.Set<String> left = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Interrupted(Host host) {
      super(host);
    }

    @Override
    public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
        throws java.io.IOException {
      host.write(tmp, data, permissions, true);
      left.add(tmp);
      throw new java.io.IOException("connection lost");
    }

    @Override
    public boolean delete(String path) throws java.io.IOException {
      if (left.contains(path)) {
        throw new java.io.IOException("connection lost");
      }
      return host.delete(path);
    }
  }

  /**
   * Makes the folder of {@code Host}'s shell write ({@code ShellFiles}) and the file in it, then the
   * connection is lost before the rename and before the clean-up.
   */
  final class InterruptedInFolder extends ForwardingHost {
    private final java.util.Set<String> left = java.util.concurrent.ConcurrentHashMap.newKeySet();

    InterruptedInFolder(Host host) {
      super(host);
    }

    @Override
    public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
        throws java.io.IOException {
      host.mkdir(tmp, 0700);
      left.add(tmp);
      host.write(tmp + tmp.substring(tmp.lastIndexOf('/')), data, permissions, true);
      throw new java.io.IOException("connection lost");
    }

    @Override
    public boolean delete(String path) throws java.io.IOException {
      if (left.contains(path)) {
        throw new java.io.IOException("connection lost");
      }
      return host.delete(path);
    }
  }

  @Test
  default void theFolderOfAnInterruptedShellWriteIsSweptByTheNextStepInItsDirectory() throws Exception {
    for (String p : List.of("conf/app.conf", "conf/other.conf", "conf/third.conf")) {
      files().apply(new Action.Create(text(p, "v1")), OWNER);
    }
    files().flush();
    FilesTarget crashing = FilesTarget.of(new InterruptedInFolder(files().host()), root().toString());
    var before = crashing.read(Scope.owned(OWNER));
    for (String p : List.of("conf/app.conf", "conf/other.conf", "conf/third.conf")) {
      Resource v2 = text(p, "v2");
      assertThrows(TargetException.class, () -> crashing.apply(
          new Action.Update(v2, ResourceDiff.none(v2.id()), before.get(v2.id()).fingerprint()), OWNER));
    }
    List<Path> left = temporaryFiles(root().resolve("conf"));
    assertEquals(3, left.size(), "what a crash inside the shell write leaves: " + left);
    // one given to another user (as root only: only root may give a file away): another user's, at a name seen
    Path theirs = left.get(2).resolve(left.get(2).getFileName().toString());
    boolean root = (Integer) Files.getAttribute(theirs, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS) == 0;
    if (root) {
      for (Path p : List.of(theirs, left.get(2))) {
        Files.setAttribute(p, "unix:uid", 65534, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      }
    }
    // one swapped for a symlink to a folder outside, holding a file of its name: never followed
    Path outside = Files.createDirectories(root().resolveSibling("outside-sweep"));
    Path named = Files.writeString(outside.resolve(left.get(1).getFileName().toString()), "outside");
    Files.delete(left.get(1).resolve(left.get(1).getFileName().toString()));
    Files.delete(left.get(1));
    Files.createSymbolicLink(left.get(1), outside);
    // a folder that only looks like one (its tag does not check), holding a file of its name: not ours
    Path lookAlike = Files.createDirectories(root().resolve("conf/.gitops-fedcba987654fedcba987654.tmp"));
    Path inLookAlike = Files.writeString(lookAlike.resolve(lookAlike.getFileName().toString()), "a user's file");

    FilesTarget next = fresh();
    var actual = next.read(Scope.owned(OWNER));
    Resource v2 = text("conf/app.conf", "v2");
    next.apply(new Action.Update(v2, ResourceDiff.none(v2.id()), actual.get(v2.id()).fingerprint()), OWNER);
    assertFalse(Files.exists(left.get(0), java.nio.file.LinkOption.NOFOLLOW_LINKS), "swept with its file: " + left.get(0));
    assertTrue(Files.isSymbolicLink(left.get(1)), "a symlink is never swept");
    assertEquals("outside", Files.readString(named), "nor what it leads to");
    assertEquals("a user's file", Files.readString(inLookAlike), "not ours");
    assertEquals(root, Files.exists(theirs), "another user's folder is never swept (when the tests run as root)");
    assertEquals("v2", Files.readString(root().resolve("conf/app.conf")));
  }

  private static List<Path> temporaryFiles(Path dir) throws java.io.IOException {
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches("\\.gitops-[0-9a-f]{24}\\.tmp")).sorted().toList();
    }
  }

  @Test
  default void temporaryFilesOfAnInterruptedWriteAreSweptByTheNextStepInTheirDirectory() throws Exception {
    // wanted files that look like temporary files, of this owner: never swept
    List<String> wanted = List.of("conf/.app.conf.gitops-0123456789ab.tmp", "conf/.gitops-0123456789ab0123456789ab.tmp");
    for (String p : List.of("conf/app.conf", "conf/other.conf", "gone/x.conf", wanted.get(0), wanted.get(1))) {
      files().apply(new Action.Create(text(p, "v1")), OWNER);
    }
    files().flush();
    FilesTarget crashing = FilesTarget.of(new Interrupted(files().host()), root().toString());
    var before = crashing.read(Scope.owned(OWNER));
    for (String p : List.of("conf/app.conf", "conf/other.conf", "gone/x.conf")) {
      Resource v2 = text(p, "v2");
      assertThrows(TargetException.class, () -> crashing.apply(
          new Action.Update(v2, ResourceDiff.none(v2.id()), before.get(v2.id()).fingerprint()), OWNER));
    }
    List<Path> confLeft = new java.util.ArrayList<>(temporaryFiles(root().resolve("conf")));
    confLeft.remove(root().resolve(wanted.get(1)));
    assertEquals(2, confLeft.size(), "what a crash between the upload and the rename leaves: " + confLeft);
    assertEquals(1, temporaryFiles(root().resolve("gone")).size());
    // look-alikes nobody here owns: not ours to delete
    List<Path> kept = List.of(root().resolve("conf/.not-owned.conf.gitops-0123456789ab.tmp"),
        root().resolve("conf/.gitops-ffffffffffffffffffffffff.tmp"));
    for (Path p : kept) {
      Files.writeString(p, "a user's file");
    }
    Path dirLookAlike = Files.createDirectories(root().resolve("conf/.gitops-fedcba987654fedcba987654.tmp"));

    FilesTarget next = fresh();
    var actual = next.read(Scope.owned(OWNER));
    Resource v2 = text("conf/app.conf", "v2");
    next.apply(new Action.Update(v2, ResourceDiff.none(v2.id()), actual.get(v2.id()).fingerprint()), OWNER);
    for (Path p : confLeft) {
      assertFalse(Files.exists(p), "swept before the write into conf/: " + p);
    }
    assertEquals(1, temporaryFiles(root().resolve("gone")).size(), "a directory no step touched is not listed");
    for (String p : wanted) {
      assertEquals("v1", Files.readString(root().resolve(p)), "a wanted file is never swept: " + p);
    }
    for (Path p : kept) {
      assertTrue(Files.exists(p), "not ours: " + p);
    }
    assertTrue(Files.isDirectory(dirLookAlike), "only regular files are swept");
    assertEquals("v2", Files.readString(root().resolve("conf/app.conf")));

    next.apply(new Action.Delete(ResourceId.file("gone/x.conf"), actual.get(ResourceId.file("gone/x.conf")).fingerprint()),
        OWNER);
    assertFalse(Files.exists(root().resolve("gone")), "swept before the prune, which then leaves gone/ empty");
  }

  @Test
  default void anInventoryFoldInterruptedBeforeItsRenameLeavesNoTemporaryFile() throws Exception {
    files().apply(new Action.Create(text("a.conf", "a")), OWNER);
    files().flush();
    Path leftover = root().resolve(".gitops/." + OWNER + ".inventory.gitops-0123456789ab.tmp");
    Path others = root().resolve(".gitops/.someone-else.inventory.gitops-0123456789ab.tmp");
    Files.writeString(leftover, "{\"owner\":");
    Files.writeString(others, "{\"owner\":");
    FilesTarget next = fresh();
    next.read(Scope.owned(OWNER));
    next.apply(new Action.Create(text("b.conf", "b")), OWNER);
    next.flush();
    assertFalse(Files.exists(leftover), "swept when the journal is folded");
    assertTrue(Files.exists(others), "another owner's is left to it");
  }

  @Test
  default void aDirectoryReadAsAbsentThatBecameASymlinkBeforeTheWriteIsNotWrittenThrough() throws Exception {
    FilesTarget target = files();
    target.read(Scope.of(OWNER, Set.of(ResourceId.file("late/deep/x.conf"), ResourceId.file("new/y.conf"))));
    Path outside = Files.createDirectories(root().resolveSibling("outside-late"));
    Files.createSymbolicLink(root().resolve("late"), outside);
    TargetException e = assertThrows(TargetException.class,
        () -> target.apply(new Action.Create(text("late/deep/x.conf", "x")), OWNER));
    assertTrue(e.getMessage().contains("symlink"), e.getMessage());
    try (var list = Files.list(outside)) {
      assertEquals(0, list.count(), "nothing created through the symlink");
    }
    target.apply(new Action.Create(text("new/y.conf", "y")), OWNER);
    assertEquals("y", Files.readString(root().resolve("new/y.conf")), "a directory read as absent is created");
  }

  @Test
  default void everyModeIsCreatedExactlyWhateverTheServersUmaskCuts() throws Exception {
    int[] modes = {0644, 0666, 0777, 0664, 0600, 0755, 0700, 0644, 0666, 0777};
    for (int i = 0; i < modes.length; i++) {
      Resource r = Resource.of(ResourceId.file("modes/f" + i),
          Content.bytes(("m" + i).getBytes(StandardCharsets.UTF_8), FileMode.of(modes[i])));
      files().apply(new Action.Create(r), OWNER);
    }
    for (int i = 0; i < modes.length; i++) {
      int bits = (Integer) Files.getAttribute(root().resolve("modes/f" + i), "unix:mode") & 07777;
      assertEquals(Integer.toOctalString(modes[i]), Integer.toOctalString(bits), "modes/f" + i);
    }
  }

  @Test
  default void manyConcurrentWritesAndReplacesLandWholeUnderTheirOwnNames() throws Exception {
    List<Action> creates = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      creates.add(new Action.Create(text("many/d" + (i % 4) + "/f" + i, "first " + i + " " + "x".repeat(i * 97))));
    }
    ApplyReport first = new dev.gitops.apply.Applier().apply(
        new Plan(OWNER, "", List.of(new Wave(0, creates)), "sha256:test"), files(),
        dev.gitops.apply.ApplyOptions.defaults().withParallelism(16));
    assertTrue(first.isSuccess(), first::toString);
    var actual = fresh().read(Scope.owned(OWNER));
    List<Action> updates = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Resource r = text("many/d" + (i % 4) + "/f" + i, "second " + i);
      updates.add(new Action.Update(r, ResourceDiff.none(r.id()), actual.get(r.id()).fingerprint()));
    }
    FilesTarget next = fresh();
    next.read(Scope.owned(OWNER));
    ApplyReport second = new dev.gitops.apply.Applier().apply(
        new Plan(OWNER, "", List.of(new Wave(0, updates)), "sha256:test"), next,
        dev.gitops.apply.ApplyOptions.defaults().withParallelism(16));
    assertTrue(second.isSuccess(), second::toString);
    for (int i = 0; i < 60; i++) {
      assertEquals("second " + i, Files.readString(root().resolve("many/d" + (i % 4) + "/f" + i)));
    }
    try (var all = Files.walk(root().resolve("many"))) {
      assertEquals(List.of(), all.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
          "no temporary file left");
    }
  }
}

package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Handler;
import dev.gitops.model.Observed;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.DeployHistory;
import dev.gitops.target.Lockable;
import dev.gitops.target.LockedException;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import dev.gitops.apply.ApplyReport;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a {@link FilesTarget} promises beyond {@link dev.gitops.target.TargetContract}, run over every
 * kind of {@link Host}.
 */
interface FilesTargetContract {
  String OWNER = "contract";

  /** The target under test. */
  FilesTarget files();

  /** Another target over a new connection to the same host and root. */
  FilesTarget fresh();

  /** The root, as a local path (every host in the tests serves this machine's files). */
  Path root();

  /** {@return the file {@code path} holding {@code text} (UTF-8) with {@code mode}} */
  static Resource file(String path, String text, FileMode mode) {
    return Resource.of(ResourceId.file(path), Content.bytes(text.getBytes(StandardCharsets.UTF_8), mode));
  }

  /** {@return the regular ({@code 0644}) file {@code path} holding {@code text}} */
  static Resource text(String path, String text) {
    return file(path, text, FileMode.REGULAR);
  }

  /** {@return the step that makes {@code desired} so where a read found {@code actual}: a create, or an update} */
  static Action createOrUpdate(dev.gitops.model.ActualState actual, Resource desired) {
    Observed found = actual.get(desired.id());
    return found == null ? new Action.Create(desired)
        : new Action.Update(desired, dev.gitops.diff.ResourceDiff.none(desired.id()), found.fingerprint());
  }

  private static Action.Run run(String name, String command) {
    return new Action.Run(new Handler(name, command, List.of("**"), Origin.UNKNOWN),
        List.of(ResourceId.file("x")));
  }

  @Test
  default void namesWithSpacesNewlinesQuotesAndNonAsciiRoundTrip() throws Exception {
    List<String> names = List.of("with space/a b.txt", "new\nline.txt", "quo'te\"s $HOME `x`.txt",
        "ünïcødé/日本語.conf", "-starts-with-dash", "back\\slash",
        "long/" + "d".repeat(120) + "/" + "n".repeat(140) + ".conf");
    for (String n : names) {
      files().apply(new Action.Create(text(n, "content of " + n)), OWNER);
    }
    var actual = fresh().read(Scope.owned(OWNER));
    for (String n : names) {
      Observed o = actual.get(ResourceId.file(n));
      assertNotNull(o, "read back: " + n);
      assertEquals("content of " + n, new String(((Content.Bytes) o.resource().content()).data(),
          StandardCharsets.UTF_8));
      assertEquals("content of " + n, Files.readString(root().resolve(n)), "on disk under its exact name");
    }
  }

  @Test
  default void modeIsAppliedExactlyAndReadBack() throws Exception {
    files().apply(new Action.Create(file("bin/run.sh", "#!/bin/sh\n", FileMode.of(0750))), OWNER);
    files().apply(new Action.Create(file("etc/secret", "s3cret\n", FileMode.of(0600))), OWNER);
    assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(root().resolve("bin/run.sh"))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root().resolve("etc/secret"))));
    Observed o = fresh().read(Scope.owned(OWNER)).get(ResourceId.file("bin/run.sh"));
    assertEquals(0750, ((Content.Bytes) o.resource().content()).mode().permissions());
  }

  @Test
  default void writeThroughASymlinkedDirectoryIsRefused() throws Exception {
    Path outside = Files.createDirectories(root().resolveSibling("outside"));
    Files.createSymbolicLink(root().resolve("escape"), outside);
    TargetException e = assertThrows(TargetException.class,
        () -> files().apply(new Action.Create(text("escape/passwd", "owned\n")), OWNER));
    assertTrue(e.getMessage().contains("symlink"), e.getMessage());
    try (var list = Files.list(outside)) {
      assertEquals(0, list.count(), "nothing written outside the root");
    }
    assertNull(files().read(Scope.of(OWNER, Set.of(ResourceId.file("escape/passwd"))))
        .get(ResourceId.file("escape/passwd")), "nothing read through the symlink either");
  }

  @Test
  default void pathsThatEscapeTheRootAreRefusedBeforeAnyWrite() {
    for (String bad : List.of("../evil", "a/../../evil", "/etc/evil", ".gitops/lock")) {
      assertThrows(TargetException.class,
          () -> files().apply(new Action.Create(text(bad, "x")), OWNER), bad);
    }
    assertFalse(Files.exists(root().resolveSibling("evil")));
    assertFalse(Files.exists(root().resolve(".gitops/lock")));
  }

  @Test
  default void deleteRefusesAPathThatIsNotInTheInventory() throws Exception {
    Files.writeString(root().resolve("hand-made.conf"), "mine\n");
    Resource r = text("hand-made.conf", "mine\n");
    assertThrows(TargetException.class, () -> files().apply(
        new Action.Delete(r.id(), r.content().digest()), OWNER));
    assertTrue(Files.exists(root().resolve("hand-made.conf")));
  }

  @Test
  default void anOwnedPathIsNeverForgottenEvenWhenResultsWereNotFlushed() {
    files().apply(new Action.Create(text("a.conf", "a\n")), OWNER);
    // no flush, no close: as if the process died right after the write
    var seen = fresh().read(Scope.owned(OWNER));
    assertNotNull(seen.get(ResourceId.file("a.conf")), "the intent recorded before the write keeps it owned");
    assertEquals(OWNER, seen.get(ResourceId.file("a.conf")).owner());
  }

  @Test
  default void inventoryFoldsTheJournalAndDropsPathsThatVanished() throws Exception {
    files().apply(new Action.Create(text("keep.conf", "k\n")), OWNER);
    files().apply(new Action.Create(text("gone.conf", "g\n")), OWNER);
    files().flush();
    Files.delete(root().resolve("gone.conf"));
    FilesTarget next = fresh();
    assertEquals(1, next.read(Scope.owned(OWNER)).size());
    next.apply(new Action.Create(text("new.conf", "n\n")), OWNER);
    next.flush();
    String inventory = Files.readString(root().resolve(".gitops/" + OWNER + ".inventory"));
    assertTrue(inventory.contains("keep.conf") && inventory.contains("new.conf"), inventory);
    assertFalse(inventory.contains("gone.conf"), inventory);
  }

  @Test
  default void handlerRunsInTheRootWithTheCommandAsOneArgument() throws Exception {
    files().apply(run("mark", "pwd > 'handler ran.txt'; printf '%s' \"$0\" >> 'handler ran.txt'"), OWNER);
    String out = Files.readString(root().resolve("handler ran.txt"));
    assertTrue(out.startsWith(root().toRealPath().toString()) || out.startsWith(root().toString()), out);
  }

  @Test
  default void failingHandlerFailsItsStepWithItsOutput() {
    TargetException e = assertThrows(TargetException.class,
        () -> files().apply(run("broken", "echo checking; echo 'config test failed' >&2; exit 3"), OWNER));
    assertTrue(e.getMessage().contains("config test failed"), e.getMessage());
    assertTrue(e.getMessage().contains("exit 3"), e.getMessage());
    assertTrue(e.getMessage().contains("Handler//broken"), e.getMessage());
  }

  @Test
  default void secondLockerIsRefusedNamingHolderAndTime() {
    try (Lockable.Lock held = files().lock("ci-job-1", null)) {
      LockedException e = assertThrows(LockedException.class, () -> fresh().lock("ci-job-2", Duration.ofHours(1)));
      assertEquals("ci-job-1", e.holder());
      assertEquals(held.since(), e.since());
      assertTrue(e.getMessage().contains("locked by ci-job-1 (pid " + ProcessHandle.current().pid() + " on "),
          e.getMessage());
      assertTrue(e.getMessage().endsWith(") since " + held.since()), e.getMessage());
    }
    try (Lockable.Lock next = fresh().lock("ci-job-2", null)) {
      assertEquals("ci-job-2", next.holder());
    }
  }

  @Test
  default void staleLockIsTakenOverOnlyWhenAllowed() throws Exception {
    Instant t0 = Instant.now();
    FilesTarget early = FilesTarget.of(files().host(), root().toString(), Clock.fixed(t0, ZoneOffset.UTC));
    FilesTarget late = fresh();
    Lockable.Lock crashed = early.lock("crashed-agent", null);
    // two hours pass on the host's clock, by which a lease runs (LockContract)
    Files.setLastModifiedTime(root().resolve(".gitops/lock"), FileTime.from(t0.minus(Duration.ofHours(2))));
    assertThrows(LockedException.class, () -> late.lock("new-agent", null), "never taken over without staleAfter");
    assertThrows(LockedException.class, () -> late.lock("new-agent", Duration.ofHours(3)), "not stale yet");
    try (Lockable.Lock taken = late.lock("new-agent", Duration.ofHours(1))) {
      assertEquals("new-agent", taken.holder());
      crashed.close();
      assertTrue(Files.readString(root().resolve(".gitops/lock")).contains("new-agent"),
          "the old holder's release does not remove the new lock");
    }
    assertFalse(Files.exists(root().resolve(".gitops/lock")));
  }

  @Test
  default void deployHistoryKeepsTheNewestFirst() {
    for (int i = 1; i <= 3; i++) {
      files().record(new DeployHistory.Deployment("rev" + i, "main", "Plan: " + i, "succeeded",
          Instant.parse("2026-01-0" + i + "T00:00:00Z"), "ci"), 2);
    }
    List<DeployHistory.Deployment> h = fresh().history();
    assertEquals(List.of("rev3", "rev2"), h.stream().map(DeployHistory.Deployment::revision).toList());
    assertTrue(h.get(0).succeeded());
  }

  @Test
  default void readTakesOneCommandWhateverTheNumberOfFiles() {
    for (int i = 0; i < 30; i++) {
      files().apply(new Action.Create(text("many/f" + i, "v" + i)), OWNER);
    }
    files().flush();
    Set<ResourceId> desired = new java.util.TreeSet<>();
    for (int i = 0; i < 30; i++) {
      desired.add(ResourceId.file("many/f" + i));
    }
    desired.add(ResourceId.file("asked/not-there"));
    CountingHost counting = new CountingHost(files().host());
    FilesTarget counted = FilesTarget.of(counting.host(), root().toString());
    assertEquals(30, counted.read(Scope.of(OWNER, desired)).size(), "a reconcile's read: desired ids");
    assertEquals(1, counting.execs(), "one command: the reader, started once");
    assertEquals(1, counting.requests(), "one request and its answer");
    assertEquals(30, counted.read(Scope.owned(OWNER)).size(), "an owned-only read");
    assertEquals(1, counting.execs(), "the reader is reused");
    assertEquals(2, counting.requests(), "again one round trip: the owned paths are known now");
    assertEquals(0, counting.fileOps(), "no other round trip");
    counted.close();
  }

  @Test
  default void anExistingSymlinkAtADesiredPathIsReplacedNotFollowed() throws Exception {
    Path outside = Files.writeString(root().resolveSibling("target-of-link"), "untouched\n");
    Files.createSymbolicLink(root().resolve("link.conf"), outside);
    var before = files().read(Scope.of(OWNER, Set.of(ResourceId.file("link.conf")))).get(ResourceId.file("link.conf"));
    Resource desired = text("link.conf", "real file\n");
    files().apply(new Action.Adopt(desired, dev.gitops.diff.ResourceDiff.none(desired.id()), before.fingerprint()), OWNER);
    assertEquals("untouched\n", Files.readString(outside));
    assertFalse(Files.isSymbolicLink(root().resolve("link.conf")));
    assertArrayEquals("real file\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(root().resolve("link.conf")));
  }

  @Test
  default void loadPlanApplyConvergesPrunesAndRunsHandlersOnlyOnChange() throws Exception {
    String yaml = String.join("\n", "files:", "  - glob: \"etc/nginx/**\"", "    mode: \"0640\"",
        "exclude: [\"*.md\"]", "handlers:", "  - name: reload", "    command: echo reloaded >> reloads.log",
        "    watch: [\"etc/nginx/**\"]", "");
    Map<String, String> v1 = Map.of("hosts/web/.gitops.yaml", yaml, "hosts/web/etc/app.conf", "a = 1\n",
        "hosts/web/etc/nginx/site.conf", "server {}\n", "hosts/web/README.md", "docs\n",
        "hosts/db/other.conf", "not for web\n");
    ApplyReport first = Reconcile.once(files(), v1, OWNER);
    assertTrue(first.isSuccess(), first.toString());
    assertEquals("a = 1\n", Files.readString(root().resolve("etc/app.conf")));
    assertEquals("rw-r-----", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(root().resolve("etc/nginx/site.conf"))));
    assertFalse(Files.exists(root().resolve("README.md")), "excluded");
    assertFalse(Files.exists(root().resolve("other.conf")), "another directory of the snapshot");
    assertEquals(1, Files.readAllLines(root().resolve("reloads.log")).size());
    assertTrue(Reconcile.plan(fresh(), v1, OWNER).isEmpty(), "second plan is empty");

    Map<String, String> v2 = new java.util.HashMap<>(v1);
    v2.remove("hosts/web/etc/app.conf");
    v2.put("hosts/web/etc/nginx/site.conf", "server { listen 80; }\n");
    var plan = Reconcile.plan(fresh(), v2, OWNER);
    assertEquals("Plan: 0 to create, 1 to update, 1 to delete, 0 to adopt, 1 handler to run.", plan.summary());
    ApplyReport second = Reconcile.once(fresh(), v2, OWNER);
    assertTrue(second.isSuccess(), second.toString());
    assertFalse(Files.exists(root().resolve("etc/app.conf")), "pruned");
    assertEquals(2, Files.readAllLines(root().resolve("reloads.log")).size(), "handler ran on change");
    assertTrue(Reconcile.plan(fresh(), v2, OWNER).isEmpty());
    assertTrue(Files.exists(root().resolve("reloads.log")), "unowned files are never pruned");
  }
}

package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Handler;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Both SSH hosts under an account whose login shell is not {@code sh}: MINA's server runs every exec
 * request as OpenSSH's {@code sshd} does, {@code <login shell> -c <command line>}, with dash, bash,
 * zsh, fish and tcsh as that shell, and a deploy of names full of what those shells read otherwise
 * (backslashes, {@code \'}, a trailing backslash, newlines, {@code !}, {@code $(...)}, quotes,
 * non-ASCII, a long path) writes, reads (plainly and by digest), renames, runs a handler and deletes
 * exactly those names, in a root whose own name has a backslash and a {@code !}. A shell that is not
 * installed is skipped ({@code .ci/run} installs fish, tcsh and zsh); {@link SystemSshHost} is
 * skipped without {@code ssh}.
 */
class LoginShellsIT {
  private static final String OWNER = "shells";
  private static final List<String> NAMES = List.of("back\\slash", "two\\\\backslashes", "quote\\'d",
      "ends-with-backslash\\", "new\nline", "bang!x !! !$", "$(touch pwned) `touch pwned` ${HOME}",
      "quo'te\"s and spaces", "ünïcødé/日本語.conf", "tab\there {a,b} *?[x] #hash ~tilde %s",
      "dir\\with\\backslash/inner\\'file", String.join("/", java.util.Collections.nCopies(12, "d".repeat(180))) + "/f");
  private static MinaServer server;
  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = MinaServer.start(Files.createTempDirectory("mina-shells"));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static final List<String> SHELLS = List.of("dash", "bash", "zsh", "fish", "tcsh");

  private static void loginShell(String shell) {
    assumeTrue(SystemSshHost.onPath(shell), shell + " is not installed: skipping (apt-get install " + shell + ")");
    server.loginShell(shell);
  }

  @TestFactory
  Stream<DynamicTest> sshHostDeploysEveryNameExactly() {
    return SHELLS.stream().map(shell -> DynamicTest.dynamicTest("login shell " + shell, () -> {
      loginShell(shell);
      try (SshHost host = server.client().build()) {
        deploys(host, dir.resolve("mina-" + shell));
      }
    }));
  }

  /**
   * The shells that are not POSIX shells only ({@link SystemSshHostIT} runs bash, the test user's login
   * shell; the line is the one {@code SshHost} sends): every file operation is an {@code ssh} of its
   * own over the shared connection. Over it MINA's server now and then sends no exit status (its
   * {@code closeShell} drops it when the master closed the channel first), which each command reports
   * in band ({@link ExitReport}); {@link SystemSshSessionsIT} makes that happen every time.
   */
  @TestFactory
  Stream<DynamicTest> systemSshHostDeploysEveryNameExactly() {
    return Stream.of("fish", "tcsh").map(shell -> DynamicTest.dynamicTest("login shell " + shell, () -> {
      loginShell(shell);
      assumeTrue(SystemSshHost.onPath("ssh"), "ssh is not installed: skipping");
      try (SystemSshHost host = server.systemClient().build()) {
        deploys(host, dir.resolve("ssh-" + shell));
      }
    }));
  }

  private static void deploys(Host host, Path under) throws Exception {
    Path root = Files.createDirectories(under.resolve("ro\\ot !x $(y)"));
    List<Resource> desired = new ArrayList<>();
    for (String name : NAMES) {
      desired.add(Resource.of(ResourceId.file(name), Content.bytes(bytes(name), FileMode.REGULAR)));
    }
    desired.add(Resource.of(ResourceId.file("big\\'\n!"), Content.bytes(big(), FileMode.REGULAR)));
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      desired.forEach(r -> target.apply(new Action.Create(r), OWNER));
      ApplyReport report = Reconcile.apply(target, new Plan(OWNER, "", List.of(new Wave(0, List.of(handler()))),
          "sha256:test"));
      assertTrue(report.isSuccess(), report::toString);
      target.flush();
    }
    assertEquals("a\\b\\\\c\\'d!e $(f)\n", Files.readString(root.resolve("handler out\\!")), "the handler ran as written");
    for (Resource r : desired) {
      assertArrayEquals(((Content.Bytes) r.content()).data(), Files.readAllBytes(root.resolve(r.id().name())),
          "on disk under its exact name: " + r.id());
    }
    Scope scope = Scope.of(OWNER, desired.stream().map(Resource::id).collect(java.util.stream.Collectors.toSet()));
    try (FilesTarget plain = FilesTarget.of(host, root.toString());
         FilesTarget told = FilesTarget.of(host, root.toString())) {
      var read = plain.read(scope);
      for (Resource r : desired) {
        assertNotNull(read.get(r.id()), "read back: " + r.id());
        assertEquals(r.content(), read.get(r.id()).resource().content(), "read back: " + r.id());
      }
      TargetContract.assertSameRead(read, told.read(scope, DesiredState.of(desired)));
      Resource changed = desired.get(0).withContent(Content.bytes(bytes("changed"), FileMode.of(0600)));
      plain.apply(new Action.Update(changed, ResourceDiff.none(changed.id()), read.get(changed.id()).fingerprint()),
          OWNER);
      assertEquals("changed", Files.readString(root.resolve(changed.id().name())), "replaced by a rename");
      for (Resource r : desired.subList(1, desired.size())) {
        plain.apply(new Action.Delete(r.id(), read.get(r.id()).fingerprint()), OWNER);
      }
      plain.flush();
    }
    try (var left = Files.walk(root)) {
      assertEquals(List.of(root.resolve(NAMES.get(0))), left.filter(Files::isRegularFile)
          .filter(p -> !p.startsWith(root.resolve(".gitops")) && !p.getFileName().toString().equals("handler out\\!"))
          .toList(), "every other name deleted, nothing else made");
    }
    assertFalse(Files.exists(Path.of("pwned")) || Files.exists(root.resolve("pwned")), "no name ran as a command");
  }

  private static Action.Run handler() {
    String command = "printf '%s\\n' 'a\\b\\\\c\\'\"'\"'d!e $(f)' > 'handler out\\!'";
    return new Action.Run(new Handler("write\\it!", command, List.of("**"), Origin.UNKNOWN),
        List.of(ResourceId.file(NAMES.get(0))));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Past {@link HostDigests#FROM_BYTES}: a read told the desired state proves it by digest. */
  private static byte[] big() {
    byte[] data = new byte[(int) HostDigests.FROM_BYTES + 1];
    Arrays.fill(data, (byte) 'x');
    return data;
  }
}

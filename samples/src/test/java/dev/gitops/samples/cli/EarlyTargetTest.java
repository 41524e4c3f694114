package dev.gitops.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Which command lines start their {@code ssh://} connection before picocli reads them, and that a
 * command takes that connection only for the target, key and known_hosts it parsed. No server: the
 * early connection goes to a closed port and fails in the background, as a command's own would.
 */
class EarlyTargetTest {
  private static final java.time.Duration KEEP = Binding.DEFAULT_PERSIST;

  private static final String SSH = "ssh://deploy@127.0.0.1:1/srv/app";

  private static EarlyTarget start(String... args) {
    return EarlyTarget.start(args);
  }

  @Test
  void theOptionsDefaultIsTheDurationACommandWithoutTheOptionKeeps() {
    // EarlyTarget keeps DEFAULT_PERSIST when --ssh-persist is not given; the options parse the text
    assertEquals(Binding.DEFAULT_PERSIST, new Durations().convert(Binding.DEFAULT_PERSIST_TEXT));
    java.util.Map<Object, String[]> commands = java.util.Map.of(
        new PlanCommand(), new String[] {"--repo", "r", "--target", SSH},
        new ApplyCommand(), new String[] {"--plan", "p", "--target", SSH});
    for (Object command : commands.keySet()) {
      picocli.CommandLine.ParseResult parsed = new picocli.CommandLine(command).parseArgs(commands.get(command));
      assertEquals(Binding.DEFAULT_PERSIST, parsed.commandSpec().findOption("--ssh-persist").getValue(),
          command.getClass().getSimpleName());
    }
  }

  @Test
  void onlyCommandsThatOpenAnSshTargetWithKeyAndKnownHostsStartEarly() {
    try (EarlyTarget plan = start("plan", "--repo", "r", "--target", SSH, "--identity", "k", "--known-hosts", "kh");
         EarlyTarget push = start("-v", "push", "--target=" + SSH, "--identity=k", "--known-hosts=kh", "--yes")) {
      assertTrue(plan.holdsConnection());
      assertTrue(push.holdsConnection());
    }
    for (String[] args : new String[][] {
        {"plan", "--target", "dir:/srv", "--identity", "k", "--known-hosts", "kh"},
        {"plan", "--target", SSH, "--known-hosts", "kh"},
        {"plan", "--target", SSH, "--identity", "k"},
        {"plan", "--target", SSH, "--identity", "k", "--known-hosts", "kh", "--help"},
        {"schema", "--target", SSH, "--identity", "k", "--known-hosts", "kh"},
        {"apply", "--plan", "p.json", "--target", SSH, "--identity", "k", "--known-hosts", "kh"},
        {"plan", "--target", "ssh://nobody-at-no-host", "--identity", "k", "--known-hosts", "kh"},
        {"--", "plan", "--target", SSH, "--identity", "k", "--known-hosts", "kh"}}) {
      try (EarlyTarget none = start(args)) {
        assertFalse(none.holdsConnection(), String.join(" ", args));
      }
    }
  }

  @Test
  void theCommandTakesTheConnectionOnlyForWhatItParsed() {
    try (EarlyTarget early = start("plan", "--target", SSH, "--identity", "k", "--known-hosts", "kh")) {
      Binding b = early.take(SSH, Path.of("k"), Path.of("kh"), SshClientKind.AUTO.forCommand(false), false, KEEP);
      assertNotNull(b);
      b.close();
      assertFalse(early.holdsConnection());
      assertNull(early.take(SSH, Path.of("k"), Path.of("kh"), SshClientKind.AUTO.forCommand(false), false, KEEP),
          "taken once");
    }
    for (String[] other : new String[][] {{SSH + "/other", "k", "kh"}, {SSH, "k2", "kh"}, {SSH, "k", "kh2"}}) {
      try (EarlyTarget early = start("plan", "--target", SSH, "--identity", "k", "--known-hosts", "kh")) {
        assertNull(early.take(other[0], Path.of(other[1]), Path.of(other[2]), SshClientKind.AUTO.forCommand(false),
            false, KEEP),
            String.join(" ", other));
        assertFalse(early.holdsConnection(), "closed, not kept");
      }
    }
    try (EarlyTarget early = start("plan", "--target", SSH, "--identity", "k", "--known-hosts", "kh",
        "--ssh-persist=0")) {
      assertNull(early.take(SSH, Path.of("k"), Path.of("kh"), SshClientKind.AUTO.forCommand(false), false, KEEP),
          "a connection not kept is not the one a command that keeps it asked for");
    }
    try (EarlyTarget early = start("plan", "--target", SSH, "--identity", "k", "--known-hosts", "kh",
        "--ssh-persist", "90s")) {
      Binding b = early.take(SSH, Path.of("k"), Path.of("kh"), SshClientKind.AUTO.forCommand(false), false,
          java.time.Duration.ofSeconds(90));
      assertNotNull(b);
      b.close();
    }
    try (EarlyTarget early = start("plan", "--target", SSH, "--identity", "k", "--known-hosts", "kh",
        "--ssh-client=builtin")) {
      assertNull(early.take(SSH, Path.of("k"), Path.of("kh"), SshClientKind.OPENSSH, false, KEEP), "another client");
    }
    try (EarlyTarget early = start("plan", "--target", SSH, "--identity", "k", "--known-hosts", "kh",
        "--ssh-client", "builtin")) {
      Binding b = early.take(SSH, Path.of("k"), Path.of("kh"), SshClientKind.BUILTIN, false, KEEP);
      assertNotNull(b);
      b.close();
    }
    try (EarlyTarget early = start("push", "--target", SSH, "--identity", "k", "--known-hosts", "kh")) {
      assertNull(early.take(SSH, Path.of("k"), Path.of("kh"), SshClientKind.OPENSSH, true, KEEP),
          "auto: a command that writes goes through the built-in client's SFTP, not a remote shell per file");
    }
    try (EarlyTarget early = start("push", "--target", SSH, "--identity", "k", "--known-hosts", "kh")) {
      Binding b = early.take(SSH, Path.of("k"), Path.of("kh"), SshClientKind.AUTO.forCommand(true), true, KEEP);
      assertNotNull(b, "auto for push is builtin");
      b.close();
    }
    try (EarlyTarget early = start("push", "--target", SSH, "--identity", "k", "--known-hosts", "kh",
        "--ssh-client", "builtin")) {
      assertNull(early.take(SSH, Path.of("k"), Path.of("kh"), SshClientKind.BUILTIN, false, KEEP),
          "opened for a command that writes, not taken by one that only reads");
    }
    assertEquals(SshClientKind.BUILTIN, SshClientKind.AUTO.forCommand(true));
    assertEquals(SshClientKind.OPENSSH, SshClientKind.OPENSSH.forCommand(true), "named, it is kept");
    assertEquals(SshClientKind.BUILTIN, SshClientKind.BUILTIN.forCommand(false), "named, it is kept");
    try (EarlyTarget early = start("plan", "--target", SSH, "--identity", "k", "--known-hosts", "kh",
        "--ssh-client", "putty")) {
      assertFalse(early.holdsConnection(), "an unknown client is left for the command to report");
    }
  }

  @Test
  void theFactoryGivesTargetOptionsTheEarlyConnection() throws Exception {
    try (EarlyTarget early = start("plan", "--target", SSH, "--identity", "k", "--known-hosts", "kh")) {
      TargetOptions options = early.factory(EarlySource.start(null)).create(TargetOptions.class);
      options.target = SSH;
      options.identity = Path.of("k");
      options.knownHosts = Path.of("kh");
      try (Binding b = options.open(new java.io.PrintWriter(java.io.Writer.nullWriter()))) {
        assertFalse(early.holdsConnection());
        assertSame(b.target().getClass(), dev.gitops.ssh.FilesTarget.class);
      }
    }
  }
}

package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.ssh.OpenSshd;
import dev.gitops.testing.ssh.SshMasters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@code gitops plan} over SSH loads and opens, in its own JVM against a real OpenSSH
 * {@code sshd}: the jar holds Bouncy Castle (for the mock API server), and MINA SSHD would register it
 * as its security provider and load some 700 classes of it per command; the command line does without
 * it. A no-op plan makes no Jackson {@code ObjectMapper} (inventories are read with the streaming
 * parser) and opens one connection with one channel, through either SSH client: sshd runs every
 * channel through the user's shell, whose start-up can cost more than the whole read.
 */
class SshStartupIT {
  @TempDir Path tmp;

  @Test
  void aNoOpPlanOverSshOpensOneChannelAndMakesNoObjectMapper() throws Exception {
    noOpPlan("builtin");
  }

  /**
   * The same through the system's {@code ssh}: its shared connection is the one connection (the
   * reader's {@code ssh} makes it), and no class of MINA SSHD's client is loaded.
   */
  @Test
  void aNoOpPlanThroughTheSystemsSshOpensOneChannelAndLoadsNoMinaClient() throws Exception {
    assumeTrue(dev.gitops.ssh.SystemSshHost.onPath("ssh"), "OpenSSH ssh not installed");
    List<String> loaded = noOpPlan("openssh");
    assertFalse(loaded.stream().anyMatch(l -> l.contains(" org.apache.sshd.")),
        "the plan loaded MINA SSHD: " + loaded.stream().filter(l -> l.contains(" org.apache.sshd.")).findFirst());
    // a plan only reads: its one ssh (the reader's) is the connection, so no other command runs, not even the
    // `ssh -O exit` that stops a shared connection's master, and no control socket's folder is made; every
    // command but a long-running reader reports its status in band, so ExitReport is loaded by commands alone
    // (Host.Result is not a sign: the reader's method reference to the result check loads it)
    assertFalse(loaded.stream().anyMatch(l -> l.contains(" dev.gitops.ssh.ExitReport ")),
        "the plan ran an ssh command besides its reader");
    assertFalse(loaded.stream().anyMatch(l -> l.contains(" java.nio.file.TempFileHelper ")),
        "the plan made a temporary folder (a shared connection's control socket)");
  }

  /** Pushes two files, then plans them in a JVM of its own through {@code client}; the plan's class-load log. */
  private List<String> noOpPlan(String client) throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed");
    try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"), "LogLevel DEBUG1");
         GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.commit(Map.of("app.conf", "port = 8080\n", "conf.d/web.conf", "listen 80\n"));
      Path site = Files.createDirectories(tmp.resolve("site"));
      List<String> target = List.of("--repo", repo.dir().toString(), "--target",
          "ssh://" + OpenSshd.user() + "@127.0.0.1:" + sshd.port() + site, "--identity", sshd.userKey().toString(),
          "--known-hosts", sshd.knownHosts().toString(), "--ssh-client", client, "--ssh-persist", "0");
      List<String> push = new java.util.ArrayList<>(List.of("push", "--yes", "--quiet"));
      push.addAll(target);
      java.io.StringWriter pushed = new java.io.StringWriter();
      assertEquals(0, Main.run(new java.io.PrintWriter(pushed), new java.io.PrintWriter(pushed),
          push.toArray(String[]::new)), pushed.toString());
      assertTrue(sshd.awaitLogLine(0, SshStartupIT::ended) != null, "the push's connection did not end");
      int mark = sshd.logSize();
      Path classes = tmp.resolve("classes.txt");
      List<String> plan = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
          "-Xlog:class+load=info:file=" + classes, "-cp", System.getProperty("java.class.path"),
          Main.class.getName(), "plan", "--detailed-exitcode"));
      plan.addAll(target);
      Process p = new ProcessBuilder(plan).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), output); // --detailed-exitcode: 0 is no change
      assertTrue(output.contains("0 to create, 0 to update, 0 to delete"), output);
      assertFalse(Files.readAllLines(classes).stream()
              .anyMatch(l -> l.contains(" com.fasterxml.jackson.databind.ObjectMapper ")),
          "a no-op plan of files made an ObjectMapper");
      // the plan has exited, so every connection it made was logged: read past them all, then until each ended
      int logged = sshd.logSize() - mark;
      int[] lines = {0};
      int[] connections = {0};
      int[] channels = {0};
      int[] ended = {0};
      String last = sshd.awaitLogLine(mark, l -> {
        lines[0]++;
        connections[0] += l.startsWith("Connection from") ? 1 : 0;
        channels[0] += l.contains("server_input_channel_open: ctype session") ? 1 : 0;
        ended[0] += ended(l) ? 1 : 0;
        return lines[0] >= logged && ended[0] > 0 && ended[0] == connections[0];
      });
      assertTrue(last != null, "sshd logged no end of the plan's connections");
      assertEquals(1, connections[0], "connections a no-op plan opened");
      assertEquals(1, channels[0], "channels (exec, shell or sftp) a no-op plan opened");
      return Files.readAllLines(classes);
    }
  }

  /**
   * Through the system's {@code ssh}, a plan keeps its connection (60 s by default, in a private folder
   * under {@code $XDG_RUNTIME_DIR}): the next plan with the same options opens a channel on it, not a
   * connection of its own, so it pays no handshake and no authentication (the user's shell still starts).
   */
  @Test
  void aSecondPlanThroughTheSystemsSshTakesTheConnectionTheFirstKept() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed");
    assumeTrue(dev.gitops.ssh.SystemSshHost.onPath("ssh"), "OpenSSH ssh not installed");
    Path runtime = Files.createDirectories(tmp.resolve("run"));
    Files.setPosixFilePermissions(runtime, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"), "LogLevel DEBUG1");
         GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.commit(Map.of("app.conf", "port = 8080\n"));
      Path site = Files.createDirectories(tmp.resolve("site"));
      int mark = sshd.logSize();
      for (int round = 1; round <= 2; round++) {
        ProcessBuilder plan = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
            "-cp", System.getProperty("java.class.path"), Main.class.getName(), "plan", "--repo", repo.dir().toString(),
            "--target", "ssh://" + OpenSshd.user() + "@127.0.0.1:" + sshd.port() + site,
            "--identity", sshd.userKey().toString(), "--known-hosts", sshd.knownHosts().toString(),
            "--ssh-client", "openssh").redirectErrorStream(true);
        plan.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        Process p = plan.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("1 to create"), output);
        int rounds = round;
        int[] channels = {0};
        assertTrue(sshd.awaitLogLine(mark, l -> (channels[0] += l.contains("server_input_channel_open: ctype session")
            ? 1 : 0) == rounds) != null, "round " + round + ": its channel");
      }
      int[] connections = {0};
      int logged = sshd.logSize() - mark;
      int[] lines = {0};
      sshd.awaitLogLine(mark, l -> {
        connections[0] += l.startsWith("Connection from") ? 1 : 0;
        return ++lines[0] >= logged;
      });
      assertEquals(1, connections[0], "two plans, one connection: the second took the one the first kept");
    } finally {
      SshMasters.end(runtime);
    }
  }

  /** The server's last word on a connection, however the client left (closed, reset, disconnect message). */
  private static boolean ended(String logLine) {
    return logLine.contains("do_cleanup"); // one a connection, as "Connection from" starts one
  }

  @Test
  void aPlanOverSshLoadsNoBouncyCastleProvider() throws Exception {
    assumeTrue(OpenSshd.available(), "OpenSSH sshd not installed");
    try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd")); GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.commit(Map.of("app.conf", "port = 8080\n"));
      Path site = Files.createDirectories(tmp.resolve("site"));
      Path classes = tmp.resolve("classes.txt");
      Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
          "-Xlog:class+load=info:file=" + classes, "-cp", System.getProperty("java.class.path"),
          Main.class.getName(), "plan", "--repo", repo.dir().toString(), "--target",
          "ssh://" + OpenSshd.user() + "@127.0.0.1:" + sshd.port() + site, "--identity", sshd.userKey().toString(),
          "--known-hosts", sshd.knownHosts().toString(), "--ssh-client", "builtin")
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), output);
      assertTrue(output.contains("1 to create"), output);
      List<String> loaded = Files.readAllLines(classes);
      assertTrue(loaded.stream().anyMatch(l -> l.contains(" org.apache.sshd.client.SshClient ")),
          "the plan went over MINA SSHD");
      assertFalse(loaded.stream().anyMatch(l -> l.contains(" org.bouncycastle.jce.provider.BouncyCastleProvider ")),
          "Bouncy Castle's provider was loaded");
    }
  }
}

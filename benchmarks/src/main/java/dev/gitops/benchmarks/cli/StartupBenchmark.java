package dev.gitops.benchmarks.cli;

import dev.gitops.benchmarks.Goal;
import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.ssh.OpenSshd;
import dev.gitops.testing.ssh.SshMasters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The command line's whole-process time (issue 20 item 4): a no-op {@code gitops plan} of 1,000 files
 * of 1–4 KB over SSH (a real OpenSSH {@code sshd} on 127.0.0.1) beside {@code rsync -a -c}'s
 * whole-process no-op over the same sshd and the same files, and a {@code plan} of a 1-file local
 * folder against a 0.6 s budget; each through the launcher {@code samples/bin/gitops} (class-data
 * archive) and through plain {@code java -jar gitops-samples.jar}, interleaved round by round. The plans
 * run with default options, as a user's would: {@code --ssh-client auto}, the system's {@code ssh} when
 * it is on {@code PATH} (printed), which keeps its connection for the next plan ({@code --ssh-persist},
 * 60 s, as Ansible keeps its connections); the launcher's plan with {@code --ssh-persist=0}, a new
 * connection each time as rsync's, is measured and printed beside it.
 *
 * <p>The samples jar is {@code samples/<out>/gitops-samples.jar}, {@code <out>} being the folder of
 * the benchmarks jar ({@code benchmarks/run} builds both), or {@code -Dstartup.jar=FILE}; rounds: 5 quick,
 * 11 full, or {@code -Dstartup.rounds=N}.
 * {@code java -cp benchmarks/target-bench-run/benchmarks.jar dev.gitops.benchmarks.cli.StartupBenchmark quick .}
 */
public final class StartupBenchmark {
  private static final int FILES = 1000;
  private static final double LOCAL_BUDGET_MS = 600;

  private StartupBenchmark() {}

  /** Arguments: {@code quick|full} and the repository root. */
  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "quick";
    Path root = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
    if (!OpenSshd.available() || !Files.isExecutable(Path.of("/usr/bin/rsync"))) {
      System.out.println("startup benchmark skipped: needs /usr/sbin/sshd and /usr/bin/rsync "
          + "(apt-get install openssh-server rsync)");
      return;
    }
    Path jar = samplesJar(root);
    Path launcher = root.resolve("samples/bin/gitops");
    Path work = Files.createTempDirectory("gitops-startup-bench");
    try (OpenSshd sshd = OpenSshd.start(work.resolve("sshd"))) {
      run(Integer.getInteger("startup.rounds", mode.equals("full") ? 11 : 5), work, sshd, jar, launcher);
    } finally {
      delete(work);
    }
  }

  private static void run(int rounds, Path work, OpenSshd sshd, Path jar, Path launcher) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("XDG_CACHE_HOME", Files.createDirectories(work.resolve("cache")).toString());
    env.put("XDG_CONFIG_HOME", Files.createDirectories(work.resolve("config")).toString());
    env.put("GITOPS_JAR", jar.toString());
    env.put("JAVA", Commands.java());
    Commands commands = new Commands(work, env);

    Path files = work.resolve("files");       // rsync's source: the same files as the repository's
    Path repo = work.resolve("repo");
    generate(files, repo);
    Path oneRepo = work.resolve("one");
    try (GitRepo one = GitRepo.init(oneRepo)) {
      one.commit(Map.of("app.conf", "port = 8080\n"));
    }
    Path ours = Files.createDirectories(work.resolve("target-ours"));
    Path theirs = Files.createDirectories(work.resolve("target-rsync"));
    Path oneTarget = Files.createDirectories(work.resolve("target-one"));

    List<String> ssh = List.of("--repo", repo.toString(), "--target",
        "ssh://" + OpenSshd.user() + "@127.0.0.1:" + sshd.port() + ours, "--identity", sshd.userKey().toString(),
        "--known-hosts", sshd.knownHosts().toString());
    List<String> local = List.of("--repo", oneRepo.toString(), "--target", "dir:" + oneTarget);
    List<String> rsync = List.of("rsync", "-a", "-c", "-e", sshd.sshCommand(), files + "/",
        OpenSshd.user() + "@127.0.0.1:" + theirs + "/");

    // first copies (not timed): afterwards every timed run has nothing to do. The first push goes over
    // the built-in client's SFTP: through the system's ssh every file write is a remote shell of its own
    commands.time(0, rsync);
    commands.time(0, Commands.javaJar(jar, plus("push", ssh, "--yes", "--quiet", "--ssh-client", "builtin")));
    commands.time(0, Commands.javaJar(jar, plus("push", local, "--yes", "--quiet")));
    List<String> planSsh = plus("plan", ssh, "--detailed-exitcode", "--quiet");
    List<String> planLocal = plus("plan", local, "--detailed-exitcode", "--quiet");
    // the default keeps the system's ssh connection 60 s for the next command (as Ansible does); this one does not
    List<String> planSshCold = plus("plan", ssh, "--detailed-exitcode", "--quiet", "--ssh-persist", "0");
    // warm-up: the launcher records its class-data archive on its first run, and the OS caches warm
    for (List<String> p : List.of(planSsh, planLocal)) {
      commands.time(0, Commands.launcher(launcher, p));
      commands.time(0, Commands.javaJar(jar, p));
    }
    commands.time(0, rsync);

    List<Double> rsyncMs = new ArrayList<>();
    List<Double> launcherSsh = new ArrayList<>();
    List<Double> launcherSshCold = new ArrayList<>();
    List<Double> jarSsh = new ArrayList<>();
    List<Double> launcherLocal = new ArrayList<>();
    List<Double> jarLocal = new ArrayList<>();
    List<Double> bareJvm = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      rsyncMs.add(commands.time(0, rsync));
      launcherSsh.add(commands.time(0, Commands.launcher(launcher, planSsh)));
      launcherSshCold.add(commands.time(0, Commands.launcher(launcher, planSshCold)));
      jarSsh.add(commands.time(0, Commands.javaJar(jar, planSsh)));
      launcherLocal.add(commands.time(0, Commands.launcher(launcher, planLocal)));
      jarLocal.add(commands.time(0, Commands.javaJar(jar, planLocal)));
      bareJvm.add(commands.time(0, List.of(Commands.java(), "-Xshare:auto", "-version")));
    }
    double anchor = Commands.median(rsyncMs);
    Goal.ofMillis("cli no-op plan, 1000 files over SSH, samples/bin/gitops", Commands.median(launcherSsh),
        "rsync -a -c no-op", anchor, 1.5).print();
    Goal.ofMillis("cli no-op plan, 1000 files over SSH, samples/bin/gitops --ssh-persist=0 (a new connection)",
        Commands.median(launcherSshCold), "rsync -a -c no-op", anchor, 1.5).print();
    Goal.ofMillis("cli no-op plan, 1000 files over SSH, java -jar", Commands.median(jarSsh),
        "rsync -a -c no-op", anchor, 1.5).print();
    Goal.ofMillis("cli plan, 1-file local folder, samples/bin/gitops", Commands.median(launcherLocal),
        "budget", LOCAL_BUDGET_MS, 1).print();
    Goal.ofMillis("cli plan, 1-file local folder, java -jar", Commands.median(jarLocal),
        "budget", LOCAL_BUDGET_MS, 1).print();
    System.out.println("  (info) the plans ran with the default --ssh-client auto: "
        + (dev.gitops.ssh.SystemSshHost.onPath("ssh") ? "the system's ssh (OpenSSH), found on PATH"
        : "the built-in client (MINA SSHD): no ssh on PATH"));
    System.out.println("  (info) through the system's ssh a plan takes the connection the previous plan kept"
        + " (--ssh-persist, 60 s by default, as Ansible's ControlPersist): no handshake, no authentication; rsync's ssh and"
        + " the --ssh-persist=0 plans make their own");
    System.out.println("  (info) bare JVM, java -version: " + Goal.millis(Commands.median(bareJvm))
        + "; medians of " + rounds + " interleaved rounds; rsync " + Goal.millis(min(rsyncMs)) + " to "
        + Goal.millis(max(rsyncMs)) + ", launcher over SSH " + Goal.millis(min(launcherSsh)) + " to "
        + Goal.millis(max(launcherSsh)));
    // the kept connections end with their idle time; end them now, with the server they are connected to
    SshMasters.end(work);
  }

  private static List<String> plus(String command, List<String> options, String... more) {
    List<String> c = new ArrayList<>();
    c.add(command);
    c.addAll(options);
    c.addAll(List.of(more));
    return c;
  }

  /** 1,000 files of 1–4 KB in 20 folders, written to {@code files} and committed in {@code repo}. */
  private static void generate(Path files, Path repo) throws IOException {
    Random random = new Random(42);
    try (GitRepo git = GitRepo.init(repo)) {
      for (int i = 0; i < FILES; i++) {
        String path = "d" + (i % 20) + "/file-" + i + ".conf";
        StringBuilder text = new StringBuilder();
        int size = 1024 + random.nextInt(3 * 1024 + 1);
        for (int j = 0; j < size; j++) {
          text.append(j % 64 == 63 ? '\n' : (char) ('a' + random.nextInt(26)));
        }
        git.write(path, text.toString());
        Files.createDirectories(files.resolve(path).getParent());
        Files.writeString(files.resolve(path), text);
      }
      git.commit("1000 files");
    }
  }

  /** {@code -Dstartup.jar}, else the samples jar built beside this benchmarks jar, else {@code samples/target}. */
  static Path samplesJar(Path root) {
    String set = System.getProperty("startup.jar");
    if (set != null) {
      return Path.of(set).toAbsolutePath();
    }
    try {
      Path self = Path.of(StartupBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path beside = root.resolve("samples").resolve(self.getParent().getFileName()).resolve("gitops-samples.jar");
      if (Files.isRegularFile(beside)) {
        return beside;
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // fall through to the default build folder
    }
    Path target = root.resolve("samples/target/gitops-samples.jar");
    if (!Files.isRegularFile(target)) {
      throw new IllegalStateException("no gitops-samples.jar beside the benchmarks jar nor at " + target
          + ": build it (benchmarks/run does) or pass -Dstartup.jar=FILE");
    }
    return target;
  }

  private static double min(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  private static double max(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

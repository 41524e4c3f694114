package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code bin/gitops}, run by {@code sh} with a stand-in {@code java} that records its
 * arguments (and writes the class list and the archive a real JVM would): no JVM is started.
 */
class LauncherTest {
  @TempDir Path dir;

  @Test
  void recordsOneArchivePerKindOfTargetAndMapsItOnLaterRuns() throws Exception {
    assertEquals(List.of("-XX:DumpLoadedClassList=*-dir.jsa.tmp.classlist"), run("plan", "--target", "dir:/srv"));
    assertEquals(List.of("-Xshare:dump", "-XX:SharedClassListFile=*-dir.jsa.tmp.classlist",
        "-XX:SharedArchiveFile=*-dir.jsa.tmp"), dumped, "the list dumped into a static archive");
    assertEquals(List.of("-XX:SharedArchiveFile=*-dir.jsa"), run("plan", "--target=dir:/srv/other"));
    assertEquals(List.of(), dumped, "mapped, not dumped again");
    assertEquals(List.of("-XX:DumpLoadedClassList=*-ssh.jsa.tmp.classlist"),
        run("plan", "--target", "ssh://deploy@web1/srv", "--identity", "k"), "a plan over SSH records its own");
    assertEquals(List.of("-XX:SharedArchiveFile=*-ssh.jsa"), run("push", "--target", "ssh://deploy@web1/srv"));
    assertEquals(List.of("-XX:SharedArchiveFile=*-dir.jsa"), run("apply", "--target", "dir:/srv"));
    assertEquals(List.of("-XX:DumpLoadedClassList=*-k8s.jsa.tmp.classlist"), run("plan", "--target", "k8s-mock"));
    assertEquals(List.of("-XX:DumpLoadedClassList=*-other.jsa.tmp.classlist"), run("--version"));
    try (var left = Files.list(dir.resolve("cache/gitops/cds"))) {
      assertEquals(List.of("dir", "k8s", "other", "ssh"), left.map(f -> f.getFileName().toString())
          .map(f -> f.replaceFirst("^gitops-.*-(dir|ssh|k8s|other)\\.jsa$", "$1")).sorted().toList(),
          "one archive per kind, no list or temporary left");
    }
  }

  @Test
  void keepsTheCommandsExitCodeThroughTheFirstRunsDump() throws Exception {
    assertEquals(List.of("-XX:DumpLoadedClassList=*-dir.jsa.tmp.classlist"),
        run("EXIT=3", "plan", "--target", "dir:/srv"));
    assertEquals(3, exitCode);
    assertEquals(3, dumped.size(), "dumped all the same");
    run("EXIT=4", "plan", "--target", "dir:/srv");
    assertEquals(4, exitCode);
  }

  @Test
  void aDumpThatFailsIsNotTriedAgainAndLaterRunsArePlain() throws Exception {
    assertEquals(List.of("-XX:DumpLoadedClassList=*-dir.jsa.tmp.classlist"),
        run("DUMP_EXIT=1", "plan", "--target", "dir:/srv"));
    assertEquals(0, exitCode, "the command's own exit code, not the dump's");
    assertEquals(List.of(), run("plan", "--target", "dir:/srv"), "no archive to map");
    assertEquals(List.of(), dumped, "and no second try");
    assertTrue(javaArgs().contains("-jar"));
  }

  @Test
  void aRunThatListedNoClassesLeavesNothingAndTheNextRunRecords() throws Exception {
    assertEquals(List.of("-XX:DumpLoadedClassList=*-dir.jsa.tmp.classlist"),
        run("NO_LIST=1", "plan", "--target", "dir:/srv"));
    assertEquals(List.of(), dumped, "nothing to dump");
    assertEquals(List.of("-XX:DumpLoadedClassList=*-dir.jsa.tmp.classlist"), run("plan", "--target", "dir:/srv"));
    assertEquals(List.of("-XX:SharedArchiveFile=*-dir.jsa"), run("plan", "--target", "dir:/srv"));
  }

  @Test
  void withoutTheArchiveItIsPlainJavaJar() throws Exception {
    assertEquals(List.of(), run("GITOPS_CDS=0", "plan", "--target", "dir:/srv"));
    assertTrue(Files.readString(dir.resolve("args")).contains("-jar\n" + dir.resolve("gitops-samples.jar")
        + "\nplan\n--target\ndir:/srv\n"));
  }

  @Test
  void putsTheHeapOnHugePagesOnlyWhenTheKernelHandsThemOutOnRequest() throws Exception {
    Path mode = dir.resolve("thp-mode");
    Files.writeString(mode, "always [madvise] never\n");
    run("GITOPS_THP_MODE=" + mode, "plan", "--target", "dir:/srv");
    assertTrue(javaArgs().contains("-XX:+UseTransparentHugePages"), "madvise: the JVM asks for them");
    for (String other : List.of("[always] madvise never\n", "always madvise [never]\n")) {
      Files.writeString(mode, other);
      run("GITOPS_THP_MODE=" + mode, "plan", "--target", "dir:/srv");
      assertFalse(javaArgs().contains("-XX:+UseTransparentHugePages"), other.strip());
    }
    run("GITOPS_THP_MODE=" + dir.resolve("absent"), "plan", "--target", "dir:/srv");
    assertFalse(javaArgs().contains("-XX:+UseTransparentHugePages"), "no such file: no flag");
    assertEquals("", output, "and no complaint");
  }

  private List<String> javaArgs() throws IOException {
    return Files.readAllLines(dir.resolve("args"));
  }

  private String output;
  private int exitCode;
  /** The archive options of the dump that followed the last run, if any. */
  private List<String> dumped;

  /**
   * Runs the launcher (a leading {@code NAME=VALUE} goes to its environment) and returns the archive
   * options of its run of the command, each archive's folder and name up to the kind shown as {@code *};
   * {@link #dumped} holds those of the dump after it. The stand-in {@code java} exits with {@code $EXIT}
   * (a dump with {@code $DUMP_EXIT}) and writes the class list unless {@code NO_LIST} is set.
   */
  private List<String> run(String... args) throws IOException, InterruptedException {
    Path java = dir.resolve("java");
    if (!Files.exists(java)) {
      Files.writeString(java, String.join("\n", "#!/bin/sh",
          "case \" $* \" in *' -Xshare:dump '*)",
          "  printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/dump-args\"",
          "  for a in \"$@\"; do case \"$a\" in -XX:SharedArchiveFile=*) echo archive > \"${a#*=}\" ;; esac; done",
          "  exit \"${DUMP_EXIT:-0}\" ;;",
          "esac",
          "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"",
          "[ -n \"${NO_LIST:-}\" ] || for a in \"$@\"; do case \"$a\" in -XX:DumpLoadedClassList=*) echo list > \"${a#*=}\" ;; esac; done",
          "exit \"${EXIT:-0}\"", ""));
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
      Files.writeString(dir.resolve("gitops-samples.jar"), "not a jar");
    }
    Files.deleteIfExists(dir.resolve("dump-args"));
    List<String> command = new ArrayList<>(List.of("sh", Path.of("bin/gitops").toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("JAVA", java.toString());
    pb.environment().put("GITOPS_JAR", dir.resolve("gitops-samples.jar").toString());
    pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    pb.environment().remove("GITOPS_CDS");
    for (String a : args) {
      if (command.size() == 2 && a.matches("[A-Z_]+=.*")) {
        pb.environment().put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      } else {
        command.add(a);
      }
    }
    Process p = pb.command(command).start();
    output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    exitCode = p.waitFor();
    assertEquals(Integer.parseInt(pb.environment().getOrDefault("EXIT", "0")), exitCode, output);
    Path dump = dir.resolve("dump-args");
    dumped = Files.exists(dump) ? archiveOptions(Files.readAllLines(dump)) : List.of();
    return archiveOptions(Files.readAllLines(dir.resolve("args")));
  }

  private List<String> archiveOptions(List<String> javaArgs) {
    String prefix = dir.resolve("cache/gitops/cds/gitops-").toString();
    List<String> archive = new ArrayList<>();
    for (String a : javaArgs) {
      if (a.equals("-Xshare:dump")) {
        archive.add(a);
      } else if (a.startsWith("-XX:DumpLoadedClassList=") || a.startsWith("-XX:SharedClassListFile=")
          || a.startsWith("-XX:SharedArchiveFile=")) {
        String file = a.substring(a.indexOf('=') + 1);
        assertTrue(file.startsWith(prefix), file);
        archive.add(a.substring(0, a.indexOf('=') + 1) + "*" + file.substring(file.lastIndexOf('-'))
            .replaceFirst("^-(dir|ssh|k8s|other)\\.jsa\\.[0-9]+\\.tmp", "-$1.jsa.tmp"));
      }
    }
    return archive;
  }
}

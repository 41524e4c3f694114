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
 * arguments (and writes the archive a real JVM would record): no JVM is started.
 */
class LauncherTest {
  @TempDir Path dir;

  @Test
  void recordsOneArchivePerKindOfTargetAndMapsItOnLaterRuns() throws Exception {
    assertEquals(List.of("-XX:ArchiveClassesAtExit=*-dir.jsa.tmp"), run("plan", "--target", "dir:/srv"));
    assertEquals(List.of("-XX:SharedArchiveFile=*-dir.jsa"), run("plan", "--target=dir:/srv/other"));
    assertEquals(List.of("-XX:ArchiveClassesAtExit=*-ssh.jsa.tmp"),
        run("plan", "--target", "ssh://deploy@web1/srv", "--identity", "k"), "a plan over SSH records its own");
    assertEquals(List.of("-XX:SharedArchiveFile=*-ssh.jsa"), run("push", "--target", "ssh://deploy@web1/srv"));
    assertEquals(List.of("-XX:SharedArchiveFile=*-dir.jsa"), run("apply", "--target", "dir:/srv"));
    assertEquals(List.of("-XX:ArchiveClassesAtExit=*-k8s.jsa.tmp"), run("plan", "--target", "k8s-mock"));
    assertEquals(List.of("-XX:ArchiveClassesAtExit=*-other.jsa.tmp"), run("--version"));
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

  /**
   * Runs the launcher (a leading {@code NAME=VALUE} goes to its environment) and returns its archive
   * options, the archive's folder and name up to the kind shown as {@code *}.
   */
  private List<String> run(String... args) throws IOException, InterruptedException {
    Path java = dir.resolve("java");
    if (!Files.exists(java)) {
      Files.writeString(java, String.join("\n", "#!/bin/sh", "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"",
          "for a in \"$@\"; do case \"$a\" in -XX:ArchiveClassesAtExit=*) echo archive > \"${a#*=}\" ;; esac; done",
          ""));
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
      Files.writeString(dir.resolve("gitops-samples.jar"), "not a jar");
    }
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
    assertEquals(0, p.waitFor(), output);
    String prefix = dir.resolve("cache/gitops/cds/gitops-").toString();
    List<String> archive = new ArrayList<>();
    for (String a : Files.readAllLines(dir.resolve("args"))) {
      if (a.startsWith("-XX:ArchiveClassesAtExit=") || a.startsWith("-XX:SharedArchiveFile=")) {
        String file = a.substring(a.indexOf('=') + 1);
        assertTrue(file.startsWith(prefix), file);
        archive.add(a.substring(0, a.indexOf('=') + 1) + "*" + file.substring(file.lastIndexOf('-'))
            .replaceFirst("^-(dir|ssh|k8s|other)\\.jsa\\.[0-9]+\\.tmp$", "-$1.jsa.tmp"));
      }
    }
    return archive;
  }
}

package dev.gitops.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.util.FS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git's system configuration file, remembered between runs for the same git and environment only. */
class GitSystemConfigTest {
  @TempDir Path tmp;

  /** A program named git that, if it ever runs, leaves a mark. */
  private Path fakeGit(Path bin) throws Exception {
    Files.createDirectories(bin);
    Path git = bin.resolve("git");
    Files.writeString(git, "#!/bin/sh\necho ran >> " + tmp.resolve("ran") + "\n");
    Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
    return git;
  }

  @Test
  void aRememberedFileIsTakenForTheSameGitAndEnvironmentWithoutRunningGit() throws Exception {
    Path git = fakeGit(tmp.resolve("bin"));
    Map<String, String> env = Map.of("PATH", tmp.resolve("empty") + File.pathSeparator + git.getParent());
    Path config = Files.writeString(tmp.resolve("gitconfig"), "[core]\n");
    Path cache = tmp.resolve("cache/git-system-config");
    GitSystemConfig.remember(cache, GitSystemConfig.key(git, env), config.toFile());

    FS fs = FS.DETECTED.newInstance();
    assertEquals(config.toFile(), GitSystemConfig.prime(fs, env, cache));
    assertEquals(config.toFile(), fs.getGitSystemConfig(), "JGit is told, so it discovers nothing");
    assertFalse(Files.exists(tmp.resolve("ran")), "git never ran");
  }

  @Test
  void anotherGitAnotherVariableOrAGoneFileIsNotTaken() throws Exception {
    Path git = fakeGit(tmp.resolve("bin"));
    Map<String, String> env = Map.of("PATH", git.getParent().toString());
    String key = GitSystemConfig.key(git, env);
    Path config = Files.writeString(tmp.resolve("gitconfig"), "[core]\n");
    Path cache = tmp.resolve("git-system-config");
    GitSystemConfig.remember(cache, key, config.toFile());
    assertEquals(config.toFile(), GitSystemConfig.remembered(cache, key));

    Map<String, String> other = new HashMap<>(env);
    other.put("GIT_CONFIG_SYSTEM", tmp.resolve("elsewhere").toString());
    assertNotEquals(key, GitSystemConfig.key(git, other), "GIT_CONFIG_SYSTEM names another file");
    Files.setLastModifiedTime(git, FileTime.fromMillis(Files.getLastModifiedTime(git).toMillis() - 60_000));
    String upgraded = GitSystemConfig.key(git, env);
    assertNotEquals(key, upgraded, "a git changed in place is another git");
    assertNull(GitSystemConfig.remembered(cache, upgraded));

    Files.delete(config);
    assertNull(GitSystemConfig.remembered(cache, key), "a remembered file that is gone is found again");
  }

  @Test
  void whatJGitFindsIsRememberedAndNothingWhenTheSystemFileIsOff() throws Exception {
    Map<String, String> env = System.getenv();
    Path git = GitSystemConfig.onPath(env.get("PATH"));
    assumeTrue(git != null, "git on PATH");
    Path cache = tmp.resolve("git-system-config");

    Map<String, String> off = new HashMap<>(env);
    off.put("GIT_CONFIG_NOSYSTEM", "1");
    assertNull(GitSystemConfig.prime(FS.DETECTED.newInstance(), off, cache));
    assertFalse(Files.exists(cache), "JGit reads no system file then: nothing to remember");

    File found = GitSystemConfig.prime(FS.DETECTED.newInstance(), env, cache);
    assumeTrue(found != null, "this machine's git has a system configuration file");
    assertNotNull(GitSystemConfig.remembered(cache, GitSystemConfig.key(git, env)));
    assertEquals(found, GitSystemConfig.prime(FS.DETECTED.newInstance(), env, cache), "the same answer, remembered");
  }
}

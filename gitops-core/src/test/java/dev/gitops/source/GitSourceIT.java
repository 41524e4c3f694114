package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.FileMode;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.testing.git.GitRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceIT {
  @TempDir Path tmp;
  @AutoClose private GitRepo repo;
  private Path cache;

  @BeforeEach
  void setUp() throws Exception {
    repo = GitRepo.init(tmp.resolve("remote"));
    cache = tmp.resolve("cache");
  }

  private GitSource source(String ref) {
    return GitSource.builder(repo.dir().toString()).ref(ref).cache(cache).build();
  }

  @Test
  void latestFollowsABranchThatAdvances() throws Exception {
    String first = repo.commit("first", Map.of("app.yaml", "v: 1\n"));
    try (GitSource source = source("main")) {
      Revision r1 = source.latest();
      assertEquals(first, r1.id());
      assertEquals("main", r1.ref());
      assertEquals("Test Author <author@example.com>", r1.author());
      assertEquals("first", r1.message());
      assertEquals("v: 1\n", source.fetch(r1).text("app.yaml"));

      String second = repo.commit("second", Map.of("app.yaml", "v: 2\n"));
      Revision r2 = source.latest();
      assertEquals(second, r2.id());
      Snapshot s2 = source.fetch(r2);
      assertEquals("v: 2\n", s2.text("app.yaml"));
      assertEquals(r2, s2.revision());
    }
  }

  @Test
  void unchangedRemoteCostsOneAdvertisementAndNoFetch() throws Exception {
    repo.commit("first", Map.of("app.yaml", "v: 1\n"));
    try (GitSource source = source("main")) {
      source.fetch(source.latest());
      assertEquals(new GitSource.Stats(1, 1, 0), source.stats());
      for (int i = 0; i < 5; i++) {
        source.fetch(source.latest());
      }
      assertEquals(new GitSource.Stats(6, 1, 0), source.stats());
      repo.commit("second", Map.of("app.yaml", "v: 2\n"));
      source.fetch(source.latest());
      assertEquals(new GitSource.Stats(7, 2, 0), source.stats());
    }
  }

  @Test
  void aRestartedSourceReusesTheCacheWithoutFetching() throws Exception {
    String first = repo.commit("first", Map.of("app.yaml", "v: 1\n"));
    try (GitSource source = source("main")) {
      source.fetch(source.latest());
    }
    try (GitSource again = source("main")) {
      assertEquals(first, again.fetch(again.latest()).revision().id());
      assertEquals(0, again.stats().fetches());
    }
  }

  @Test
  void semverRangePicksTheHighestMatchingTag() throws Exception {
    repo.commit("1.0.0", Map.of("v", "1.0.0"));
    repo.tag("v1.0.0", false);
    repo.commit("1.2.0", Map.of("v", "1.2.0"));
    repo.tag("v1.2.0", true);
    String wanted = repo.commit("1.9.3", Map.of("v", "1.9.3"));
    repo.tag("v1.9.3", true);
    repo.commit("1.10.0-rc.1", Map.of("v", "1.10.0-rc.1"));
    repo.tag("v1.10.0-rc.1", false);
    repo.commit("2.0.0", Map.of("v", "2.0.0"));
    repo.tag("2.0.0", false);
    try (GitSource source = source("semver:>=1.2.0 <2.0.0")) {
      Revision r = source.latest();
      assertEquals(wanted, r.id());
      assertEquals("semver:>=1.2.0 <2.0.0", r.ref());
      assertEquals("1.9.3", source.fetch(r).text("v"));
      assertEquals("1.0.0", source.fetch(source.resolve("v1.0.0")).text("v"));
      assertEquals("2.0.0", source.fetch(source.resolve("semver:>=2.0.0")).text("v"));
      assertEquals("1.9.3", source.fetch(source.resolve("semver:^1.2")).text("v"));
      assertEquals("1.2.0", source.fetch(source.resolve("semver:~1.2")).text("v"));
      assertEquals("2.0.0", source.fetch(source.resolve("semver:1.x || 2.x")).text("v"));
      assertEquals("1.9.3", source.fetch(source.resolve("semver:1.0 - 1.9")).text("v"));
      assertEquals("1.10.0-rc.1", source.fetch(source.resolve("semver:>=1.10.0-rc.0 <2")).text("v"));
    }
  }

  @Test
  void aShallowSourceFetchesOnlyTheTipsAndStillFollowsTheBranch() throws Exception {
    for (int i = 0; i < 5; i++) {
      repo.commit("c" + i, Map.of("app.yaml", "v: " + i + "\n"));
    }
    try (GitSource source = GitSource.builder(repo.dir().toString()).cache(cache).shallow(true).build()) {
      assertEquals("v: 4\n", source.fetch(source.latest()).text("app.yaml"));
      assertTrue(Files.isRegularFile(source.cacheDirectory().resolve("shallow")), "the cache is shallow");
      String next = repo.commit("c5", Map.of("app.yaml", "v: 5\n"));
      Revision r = source.latest();
      assertEquals(next, r.id());
      assertEquals("v: 5\n", source.fetch(r).text("app.yaml"));
    }
  }

  @Test
  void aCommitIdRefReadsThatCommit() throws Exception {
    String old = repo.commit("old", Map.of("app.yaml", "old\n"));
    repo.commit("new", Map.of("app.yaml", "new\n"));
    try (GitSource source = source(old)) {
      assertEquals("old\n", source.fetch(source.latest()).text("app.yaml"));
      assertEquals(0, source.stats().polls());
    }
  }

  @Test
  void pathAndGlobsSelectFilesRelativeToThePath() throws Exception {
    repo.commit("tree", Map.of(
        "deploy/a.yaml", "a", "deploy/b.yml", "b", "deploy/README.md", "readme",
        "deploy/secret/x.yaml", "x", "deploy/nested/c.yaml", "c", "other/z.yaml", "z"));
    Path script = repo.dir().resolve("deploy/run.sh");
    Files.writeString(script, "#!/bin/sh\n");
    repo.git().add().addFilepattern("deploy/run.sh").call();
    repo.git().getRepository().getConfig().setBoolean("core", null, "filemode", true);
    script.toFile().setExecutable(true);
    repo.git().add().addFilepattern("deploy/run.sh").call();
    repo.git().commit().setMessage("script").setSign(false).call();
    try (GitSource source = GitSource.builder(repo.dir().toString()).cache(cache).path("/deploy/")
        .include("*.yaml", "*.yml", "run.sh").exclude("secret/").build()) {
      Snapshot s = source.fetch(source.latest());
      assertEquals(Set.of("a.yaml", "b.yml", "nested/c.yaml", "run.sh"), s.files().keySet());
      assertEquals(FileMode.REGULAR, s.file("a.yaml").mode());
      assertEquals(FileMode.EXECUTABLE, s.file("run.sh").mode());
    }
  }

  @Test
  void aForcePushedBranchIsFollowed() throws Exception {
    String a = repo.commit("a", Map.of("app.yaml", "a\n"));
    String b = repo.commit("b", Map.of("app.yaml", "b\n"));
    try (GitSource source = source("main")) {
      assertEquals(b, source.latest().id());
      repo.resetHard(a);
      String c = repo.commit("c (rewritten)", Map.of("app.yaml", "c\n"));
      Revision r = source.latest();
      assertEquals(c, r.id());
      assertEquals("c\n", source.fetch(r).text("app.yaml"));
    }
  }

  @Test
  void anUnknownRefFailsNamingTheSourceAndTheRef() throws Exception {
    repo.commit("a", Map.of("app.yaml", "a\n"));
    try (GitSource source = source("no-such-branch")) {
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().contains("no-such-branch"), e.getMessage());
      assertTrue(e.getMessage().contains(repo.dir().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("main"), "lists what exists: " + e.getMessage());
    }
    try (GitSource source = source("semver:>=9.0.0")) {
      assertThrows(SourceException.class, source::latest);
    }
    String missing = "0123456789abcdef0123456789abcdef01234567";
    try (GitSource source = source(missing)) {
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().contains(missing), e.getMessage());
    }
  }

  @Test
  void aSymbolicLinkInTheTreeIsAnErrorNamingItsPathUnlessExcluded() throws Exception {
    repo.commit("a", Map.of("deploy/app.yaml", "a\n"));
    Files.createSymbolicLink(repo.dir().resolve("deploy/link.yaml"), Path.of("app.yaml"));
    Files.createDirectories(repo.dir().resolve("deploy/sub"));
    Files.createSymbolicLink(repo.dir().resolve("deploy/sub/other.yaml"), Path.of("../app.yaml"));
    repo.git().add().addFilepattern("deploy").call();
    repo.git().commit().setMessage("link").setSign(false).call();
    try (GitSource source = GitSource.builder(repo.dir().toString()).cache(cache).path("deploy").build()) {
      SourceException e = assertThrows(SourceException.class, () -> source.fetch(source.latest()));
      assertTrue(e.getMessage().endsWith(": 2 symbolic links are not supported: 'deploy/link.yaml',"
          + " 'deploy/sub/other.yaml'. Remove them from the repository, or leave them out of the source"
          + " with its exclude globs, relative to its path (GitSource.builder(url).exclude(\"link.yaml\"));"
          + " a .gitops.yaml exclude: does not help, it applies after the files are read"), e.getMessage());
    }
    try (GitSource source = GitSource.builder(repo.dir().toString()).cache(cache).path("deploy")
        .exclude("link.yaml", "sub/other.yaml").build()) {
      assertEquals(Set.of("app.yaml"), source.fetch(source.latest()).files().keySet());
    }
  }

  @Test
  void aMissingRemoteFailsNamingTheUrlAndRef() {
    Path nowhere = tmp.resolve("no-such-repo");
    try (GitSource source = GitSource.builder(nowhere.toString()).ref("main").cache(cache).build()) {
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().contains("no-such-repo") && e.getMessage().contains("ref main"), e.getMessage());
      assertEquals(0, source.stats().cacheRebuilds(), "a remote failure leaves the cache alone");
    }
  }

  @Test
  void aMissingPathIsAnError() throws Exception {
    repo.commit("a", Map.of("app.yaml", "a\n"));
    try (GitSource source = GitSource.builder(repo.dir().toString()).cache(cache).path("nope").build()) {
      SourceException e = assertThrows(SourceException.class, () -> source.fetch(source.latest()));
      assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }
  }

  @Test
  void credentialsNeverAppearInMessagesOrCauses() {
    String url = "https://deployer:s3cr3t-t0ken@127.0.0.1:1/org/repo.git";
    try (GitSource source = GitSource.builder(url).ref("main").cache(cache).timeout(java.time.Duration.ofSeconds(5))
        .build()) {
      assertFalse(source.describe().contains("s3cr3t"));
      assertTrue(source.describe().contains("https://***@127.0.0.1:1/org/repo.git"), source.describe());
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().contains("https://***@127.0.0.1:1/org/repo.git"), e.getMessage());
      assertTrue(e.getMessage().contains("ref main"), e.getMessage());
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertFalse(String.valueOf(t.getMessage()).contains("s3cr3t"), t.toString());
        assertFalse(String.valueOf(t).contains("s3cr3t"), t.toString());
      }
    }
    try (GitSource source = GitSource.builder("https://example.invalid/r.git").credentials("u", "tok-XYZ")
        .cache(cache).build()) {
      assertTrue(source.describe().contains("https://***@example.invalid/r.git"), source.describe());
      assertFalse(source.toString().contains("tok-XYZ"));
    }
  }

  @Test
  void aCorruptCacheIsDetectedAndRebuilt() throws Exception {
    String a = repo.commit("a", Map.of("app.yaml", "a\n"));
    Path cacheRepo;
    try (GitSource source = source("main")) {
      source.fetch(source.latest());
      cacheRepo = source.cacheDirectory();
    }
    try (var files = Files.walk(cacheRepo.resolve("objects"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Files.write(p, new byte[] {1, 2, 3});
      }
    }
    try (GitSource source = source("main")) {
      assertEquals("a\n", source.fetch(source.latest()).text("app.yaml"));
      assertEquals(1, source.stats().cacheRebuilds());
    }
    Files.delete(cacheRepo.resolve("HEAD"));
    try (GitSource source = source("main")) {
      assertEquals(a, source.fetch(source.latest()).revision().id());
      assertEquals(1, source.stats().cacheRebuilds());
    }
  }

  @Test
  void badRangeOrUrlFailsFast() {
    assertThrows(IllegalArgumentException.class, () -> GitSource.builder(repo.dir().toString()).ref("semver:>=banana").build());
    assertThrows(IllegalArgumentException.class, () -> GitSource.builder(repo.dir().toString()).ref("semver:1.2 - ").build());
  }
}

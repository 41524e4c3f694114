package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Problem;
import dev.gitops.model.ResourceId;
import dev.gitops.source.LoaderContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileTreeLoaderTest {
  private static DesiredState load(Map<String, String> files) {
    return FileTreeLoader.of("hosts/web").load(LoaderContract.snapshot(files));
  }

  private static FileMode mode(DesiredState d, String path) {
    return ((Content.Bytes) d.get(ResourceId.file(path)).content()).mode();
  }

  @Test
  void aFileReadOnDemandIsLoadedUnreadItsBytesLeftForWhatNeedsThem() {
    byte[] text = "port = 80\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    Content.Bytes onDemand = Content.bytesOnDemand(text.length, Content.bytes(text, FileMode.REGULAR).sha256(),
        FileMode.REGULAR, () -> {
          reads.incrementAndGet();
          return new java.io.ByteArrayInputStream(text);
        });
    DesiredState d = FileTreeLoader.of("hosts/web").load(dev.gitops.model.Snapshot.of(
        dev.gitops.model.Revision.of("0123456789abcdef0123456789abcdef01234567"), Map.of("hosts/web/etc/app.conf", onDemand)));
    Content.Bytes loaded = (Content.Bytes) d.get(ResourceId.file("etc/app.conf")).content();
    assertEquals(onDemand.sha256(), loaded.sha256());
    assertEquals(0, reads.get(), "its source checked it: the loader does not read it for a Git LFS pointer");
    assertEquals(onDemand, loaded);
    assertEquals(0, reads.get(), "the same bytes: equal unread");
    assertEquals("port = 80\n", new String(loaded.data(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(1, reads.get());
  }

  @Test
  void everyFileUnderTheDirectoryBecomesAFileResourceRelativeToIt() {
    DesiredState d = load(Map.of("hosts/web/etc/app.conf", "a", "hosts/web/with space/ü\nnew'line", "b",
        "hosts/db/etc/app.conf", "other", "hosts/webby/x", "not under hosts/web"));
    assertEquals(List.of(ResourceId.file("etc/app.conf"), ResourceId.file("with space/ü\nnew'line")),
        List.copyOf(d.byId().keySet()));
    assertEquals("hosts/web/etc/app.conf:1", d.get(ResourceId.file("etc/app.conf")).origin().toString());
  }

  @Test
  void rulesSetModeOwnerAndGroupInOrderAndExcludesDropFiles() {
    String yaml = String.join("\n", "files:", "  - glob: \"etc/**\"", "    mode: \"0640\"", "    owner: root",
        "  - glob: \"*.key\"", "    mode: \"0600\"", "    group: ssl-cert", "exclude:", "  - \"*.md\"", "");
    DesiredState d = load(Map.of("hosts/web/.gitops.yaml", yaml, "hosts/web/etc/app.conf", "a",
        "hosts/web/etc/tls/site.key", "k", "hosts/web/bin/run", "r", "hosts/web/docs/README.md", "d"));
    assertEquals(new FileMode(0640, "root", ""), mode(d, "etc/app.conf"));
    assertEquals(new FileMode(0600, "root", "ssl-cert"), mode(d, "etc/tls/site.key"));
    assertEquals(FileMode.REGULAR, mode(d, "bin/run"));
    assertNull(d.get(ResourceId.file("docs/README.md")));
    assertNull(d.get(ResourceId.file(".gitops.yaml")), "the configuration itself is not deployed");
  }

  @Test
  void handlersAreDeclaredWithTheirGlobsAndOrigin() {
    String yaml = String.join("\n", "handlers:", "  - name: reload-nginx",
        "    command: nginx -t && systemctl reload nginx", "    watch: [\"etc/nginx/**\"]", "");
    DesiredState d = load(Map.of("hosts/web/.gitops.yaml", yaml, "hosts/web/etc/nginx/site.conf", "s"));
    assertEquals(1, d.handlers().size());
    assertEquals("nginx -t && systemctl reload nginx", d.handlers().get(0).command());
    assertEquals(List.of("etc/nginx/**"), d.handlers().get(0).globs());
    assertEquals("hosts/web/.gitops.yaml:2", d.handlers().get(0).origin().toString());
  }

  @Test
  void globsMeanWhatTheyMeanInAGitignoreFile() {
    String yaml = String.join("\n", "files:", "  - glob: \"bin/\"", "    mode: \"0755\"",
        "exclude: [\"*.md\", \"!README.md\", \"drafts/\"]",
        "handlers:", "  - name: reload", "    command: reload", "    watch: [\"etc/**\", \"!*.bak\"]", "");
    DesiredState d = load(Map.of("hosts/web/.gitops.yaml", yaml, "hosts/web/README.md", "r",
        "hosts/web/notes.md", "n", "hosts/web/drafts/a.conf", "d", "hosts/web/etc/drafts", "a file named drafts",
        "hosts/web/bin/run", "x", "hosts/web/sub/bin", "a file named bin"));
    assertEquals(List.of(ResourceId.file("README.md"), ResourceId.file("bin/run"), ResourceId.file("etc/drafts"),
        ResourceId.file("sub/bin")), List.copyOf(d.byId().keySet()));
    assertEquals(0755, mode(d, "bin/run").permissions());
    assertEquals(FileMode.REGULAR, mode(d, "sub/bin"), "bin/ matches directories only");
    assertEquals(List.of("etc/**", "!*.bak"), d.handlers().get(0).globs());
  }

  @Test
  void aGlobThatCanMatchNothingIsAProblemOnItsLine() {
    String yaml = String.join("\n", "files:", "  - glob: \"!secret\"", "    mode: \"0600\"",
        "exclude:", "  - \"# comment\"", "  - \"!\"", "");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> load(Map.of("hosts/web/.gitops.yaml", yaml, "hosts/web/etc/a", "a")));
    assertEquals(List.of(2, 5, 6), e.problems().stream().map(Problem::line).toList(), e.getMessage());
  }

  @Test
  void aliasesAndMergeKeysInTheConfigurationResolveAsYamlDefinesThem() {
    String yaml = String.join("\n", "defaults: &d {mode: \"0640\", owner: root}", "files:",
        "  - <<: *d", "    glob: \"etc/**\"", "watched: &g \"etc/nginx/**\"", "handlers:",
        "  - name: reload", "    command: nginx -s reload", "    watch: [*g]", "");
    // 'defaults' and 'watched' are not configuration keys: they are reported, and nothing else is
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> load(Map.of("hosts/web/.gitops.yaml", yaml, "hosts/web/etc/nginx/site.conf", "s")));
    assertEquals(List.of("unknown key 'defaults' (expected files, exclude, handlers)",
        "unknown key 'watched' (expected files, exclude, handlers)"),
        e.problems().stream().map(Problem::message).toList());
    String anchoredInPlace = String.join("\n", "files:", "  - &rule {glob: \"etc/**\", mode: \"0640\"}",
        "  - <<: *rule", "    glob: \"*.key\"", "    mode: \"0600\"", "handlers:", "  - name: reload",
        "    command: nginx -s reload", "    watch: [&g \"etc/nginx/**\"]", "  - name: again",
        "    command: echo", "    watch: [*g]", "");
    DesiredState d = load(Map.of("hosts/web/.gitops.yaml", anchoredInPlace,
        "hosts/web/etc/nginx/site.conf", "s", "hosts/web/etc/tls/site.key", "k"));
    assertEquals(0640, mode(d, "etc/nginx/site.conf").permissions());
    assertEquals(0600, mode(d, "etc/tls/site.key").permissions(), "a merged rule keeps its own mode");
    assertEquals(List.of("etc/nginx/**"), d.handlers().get(1).globs(), "an alias is its anchor's value");
  }

  @Test
  void anUndefinedAliasInTheConfigurationNamesItsLine() {
    String yaml = String.join("\n", "handlers:", "  - name: reload", "    command: nginx -s reload",
        "    watch: [*g]", "");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> load(Map.of("hosts/web/.gitops.yaml", yaml)));
    assertEquals("hosts/web/.gitops.yaml:4: undefined alias *g (no anchor &g before it in this document)",
        e.problems().get(0).toString());
  }

  @Test
  void aHandlerCommandWithANulCharacterIsRefusedAtItsLine() {
    String yaml = String.join("\n", "handlers:", "  - name: reload", "    watch: [\"etc/**\"]",
        "    command: \"nginx -t\\0; rm -rf /srv\"", "");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> load(Map.of("hosts/web/.gitops.yaml", yaml)));
    assertEquals("hosts/web/.gitops.yaml:4: a handler's command cannot hold a NUL character",
        e.problems().get(0).toString());
  }

  @Test
  void badConfigurationIsReportedWithFileAndLineAllAtOnce() {
    String yaml = String.join("\n", "files:", "  - glob: \"etc/**\"", "    mode: rwx", "  - mode: \"0600\"",
        "handlers:", "  - name: reload", "    watch: [\"etc/**\"]", "colour: blue", "");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> load(Map.of("hosts/web/.gitops.yaml", yaml, "hosts/web/etc/a", "a")));
    List<String> where = e.problems().stream().map(p -> p.file() + ":" + p.line()).toList();
    assertEquals(List.of("hosts/web/.gitops.yaml:3", "hosts/web/.gitops.yaml:4", "hosts/web/.gitops.yaml:6",
        "hosts/web/.gitops.yaml:8"), where, e.getMessage());
    assertTrue(e.getMessage().contains("mode must be octal"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown key 'colour'"), e.getMessage());
  }

  @Test
  void yamlSyntaxErrorNamesItsLine() {
    String yaml = "files:\n  - glob: \"a\n    mode: [\n";
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> load(Map.of("hosts/web/.gitops.yaml", yaml)));
    Problem p = e.problems().get(0);
    assertEquals("hosts/web/.gitops.yaml", p.file());
    assertTrue(p.line() >= 2, e.getMessage());
    assertTrue(p.message().startsWith("invalid YAML"), p.message());
  }

  @Test
  void aSecondDocumentInTheConfigurationIsAProblemAtItsLineNeverDropped() {
    String yaml = "exclude: [\"*.md\"]\n---\nhandlers:\n  - name: h\n    command: x\n    watch: [\"*\"]\n";
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> load(Map.of("hosts/web/.gitops.yaml", yaml, "hosts/web/a.conf", "a")));
    assertEquals(List.of(new Problem("hosts/web/.gitops.yaml", 3, null, "a second YAML document: this file "
        + "holds one (put its keys in the first; they would not be read)")), e.problems());
    DesiredState d = load(Map.of("hosts/web/.gitops.yaml", "---\n# nothing yet\n---\nexclude: [\"*.md\"]\n---\n",
        "hosts/web/a.conf", "a", "hosts/web/b.md", "b"));
    assertEquals(List.of(ResourceId.file("a.conf")), List.copyOf(d.byId().keySet()),
        "empty documents around the one that is written take nothing from it");
  }

  @Test
  void pathsThatWouldEscapeOrTouchTargetStateAreRejectedAsAWhole() {
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> load(Map.of("hosts/web/ok.conf", "fine", "hosts/web/../../etc/passwd", "x",
            "hosts/web/.gitops/lock", "y", "hosts/web/a//b", "z", "hosts/web/.GITOPS/contract.inventory", "w")));
    assertEquals(4, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("hosts/web/.GITOPS/contract.inventory:0: .gitops/ is reserved for the target's"
        + " own state: .GITOPS/contract.inventory"), "on a host whose names ignore case it is the state folder: "
        + e.getMessage());
    assertTrue(e.getMessage().contains("'..' not allowed"), e.getMessage());
    assertTrue(e.getMessage().contains(".gitops/ is reserved"), e.getMessage());
  }

  /**
   * A snapshot from a source of one's own (or a renderer's) may hold what Git sources refuse: a file
   * in {@code .git}, or in a folder a host writes as {@code .git} (NTFS's 8.3 name {@code GIT~1}, HFS+
   * ignoring U+200C, NTFS dropping trailing dots). Written, a hook there runs on the host's next Git
   * command: each is a problem naming its path escaped, and names merely like it are deployed.
   */
  @Test
  void aPathIntoWhatAHostWritesAsDotGitIsRefusedNamedEscaped() {
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> load(Map.of("hosts/web/.git/hooks/post-checkout", "run", "hosts/web/GIT~1/config", "x",
            "hosts/web/srv/.git\u200c/hooks/pre-commit", "y", "hosts/web/srv/.Git. /HEAD", "z", "hosts/web/.git", "w",
            "hosts/web/ok.conf", "fine")));
    assertEquals(5, e.problems().size(), e.getMessage());
    for (String path : List.of(".git/hooks/post-checkout", "GIT~1/config", "srv/.git\\u200c/hooks/pre-commit",
        "srv/.Git. /HEAD", ".git")) {
      assertTrue(e.getMessage().contains("a name a host may write as .git, a repository's own folder, which Git never"
          + " checks out: " + path + "\n") || e.getMessage().endsWith(": " + path), path + ": " + e.getMessage());
    }
    DesiredState kept = load(Map.of("hosts/web/.github/workflows/ci.yaml", "a", "hosts/web/git~2/x", "b",
        "hosts/web/.gitignore", "c", "hosts/web/.git.d/x", "d", "hosts/web/.gitexclude", "excluded",
        "hosts/web/" + TreeConfig.FILE, "exclude: [\".gitexclude\", \".git/\"]\n", "hosts/web/.git/config", "excluded"));
    assertEquals(List.of(".git.d/x", ".github/workflows/ci.yaml", ".gitignore", "git~2/x"),
        kept.byId().keySet().stream().map(ResourceId::name).sorted().toList());
  }

  @Test
  void directoryMayNotEscapeTheSnapshot() {
    assertThrows(IllegalArgumentException.class, () -> FileTreeLoader.of("../x"));
    assertThrows(IllegalArgumentException.class, () -> FileTreeLoader.of("/abs"));
    assertEquals("", FileTreeLoader.root().directory());
  }
}

package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller's own desired state (a map of files built in code, neither the Git source nor the
 * {@link FileTreeLoader}, which refuse them) naming paths a host writes into {@code .git}: the target
 * refuses them itself, before the first write, as it refuses names beyond the host's limits. Before,
 * {@code .git/hooks/post-checkout} was written into the root, and ran on the next Git command there.
 */
class DotGitPathsTest {
  private static final List<String> INTO_GIT = List.of(".git/hooks/post-checkout", "GIT~1/config",
      "app/.git\u200c/hooks/pre-commit", ".Git./config");

  @TempDir
  Path root;

  @Test
  void aReadAskedForPathsIntoDotGitFailsBeforeTheFirstWriteNamingThemEscaped() throws Exception {
    Set<ResourceId> ids = new java.util.TreeSet<>(List.of(ResourceId.file("ok.conf")));
    INTO_GIT.forEach(p -> ids.add(ResourceId.file(p)));
    try (FilesTarget target = FilesTarget.local(root)) {
      TargetException e = assertThrows(TargetException.class, () -> target.read(Scope.of(OWNER, ids)));
      assertTrue(e.getMessage().contains("4 paths into a repository's own folder (.git), nothing written"), e.getMessage());
      assertTrue(e.getMessage().contains("'app/.git\\u200c/hooks/pre-commit'"), e.getMessage());
      assertTrue(e.getMessage().contains("'GIT~1/config'"), e.getMessage());
      assertFalse(e.getMessage().contains("\u200c"), "no raw invisible character: " + e.getMessage());
      assertFalse(e.retryable());
    }
    assertEquals(List.of(), left());
  }

  @Test
  void aStepIntoDotGitIsRefusedBeforeItTouchesTheHost() throws Exception {
    try (FilesTarget target = FilesTarget.local(root)) {
      for (String path : INTO_GIT) {
        TargetException e = assertThrows(TargetException.class,
            () -> target.apply(new Action.Create(text(path, "#!/bin/sh\necho owned\n")), OWNER));
        assertTrue(e.getMessage().contains("a name a host may write as .git"), e.getMessage());
        assertEquals(ResourceId.file(path), e.id());
      }
    }
    assertEquals(List.of(), left());
  }

  @Test
  void namesThatOnlyLookLikeDotGitStayDeployable() throws Exception {
    List<String> fine = List.of(".github/workflows/ci.yaml", "git~2/x", ".gitignore", "a/.gitmodules", "x.git/y");
    Set<ResourceId> ids = new java.util.TreeSet<>();
    fine.forEach(p -> ids.add(ResourceId.file(p)));
    try (FilesTarget target = FilesTarget.local(root)) {
      target.read(Scope.of(OWNER, ids));
      for (String path : fine) {
        target.apply(new Action.Create(text(path, "x\n")), OWNER);
      }
    }
    for (String path : fine) {
      assertEquals("x\n", Files.readString(root.resolve(path)), path);
    }
  }

  private List<String> left() throws Exception {
    try (var names = Files.list(root)) {
      return names.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".gitops")).toList();
    }
  }
}

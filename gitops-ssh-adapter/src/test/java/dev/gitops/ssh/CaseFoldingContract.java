package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.apply.ApplyReport;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Names that differ only in case: on a host whose file system folds case ({@link #foldsCase()}) a
 * case-only rename keeps the file and desired files that would be one entry are refused before
 * anything is written; on any other host both are plain changes. Run over every kind of
 * {@link Host} by {@link FilesTargetSuite}.
 */
interface CaseFoldingContract extends FilesTargetContract {
  /** True for a host whose file system takes names that differ only in case for one. */
  default boolean foldsCase() {
    return false;
  }

  /** The names in {@code dir} on disk. */
  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".gitops")).sorted().toList();
    }
  }

  @Test
  default void aCaseOnlyRenameKeepsTheFileAndTheNextPlanIsEmpty() throws Exception {
    assertTrue(Reconcile.once(files(), Map.of("hosts/web/Docs/Readme.md", "hello\n"), OWNER).isSuccess());
    List<List<String>> renames = List.of(List.of("Docs/README.md", "hello\n"), List.of("docs/readme.MD", "hello again\n"));
    for (List<String> step : renames) {
      Map<String, String> desired = Map.of("hosts/web/" + step.get(0), step.get(1));
      ApplyReport report = Reconcile.once(fresh(), desired, OWNER);
      assertTrue(report.isSuccess(), report.toString());
      assertTrue(Reconcile.plan(fresh(), desired, OWNER).isEmpty(), "settled: " + step);
      String name = Path.of(step.get(0)).getFileName().toString();
      if (foldsCase()) { // one entry, in whichever case the host gave it
        List<String> dirs = names(root());
        assertEquals(1, dirs.size(), dirs.toString());
        List<String> in = names(root().resolve(dirs.get(0)));
        assertEquals(1, in.size(), in.toString());
        assertTrue(in.get(0).equalsIgnoreCase(name), in.toString());
        assertEquals(step.get(1), Files.readString(root().resolve(dirs.get(0)).resolve(in.get(0))));
      } else {
        assertEquals(step.get(1), Files.readString(root().resolve(step.get(0))));
      }
    }
    if (!foldsCase()) {
      assertEquals(List.of("docs"), names(root()), "the old names pruned, empty directories too");
      assertEquals(List.of("readme.MD"), names(root().resolve("docs")));
    }
  }

  @Test
  default void desiredFilesThatDifferOnlyInCaseAreRefusedBeforeAnyWriteOnAFoldingHost() throws Exception {
    Map<String, String> clash = Map.of("hosts/web/conf/App.yaml", "a: 1\n", "hosts/web/conf/app.yaml", "a: 2\n",
        "hosts/web/Conf/app.yaml", "a: 3\n", "hosts/web/z.txt", "z\n");
    String named = "'Conf/app.yaml' and 'conf/App.yaml' and 'conf/app.yaml'";
    if (!foldsCase()) {
      assertTrue(Reconcile.once(files(), clash, OWNER).isSuccess());
      assertEquals("a: 1\n", Files.readString(root().resolve("conf/App.yaml")));
      assertEquals("a: 3\n", Files.readString(root().resolve("Conf/app.yaml")));
      assertTrue(Reconcile.plan(fresh(), clash, OWNER).isEmpty());
      return;
    }
    ApplyReport first = Reconcile.once(files(), clash, OWNER); // no state folder yet: the first step judges
    assertFalse(first.isSuccess());
    first.failures().forEach(f -> assertTrue(f.cause().getMessage().contains(named), f.cause().getMessage()));
    assertEquals(List.of(), names(root()), "nothing written");
    assertTrue(Reconcile.once(fresh(), Map.of("hosts/web/z.txt", "z\n"), OWNER).isSuccess());
    TargetException e = assertThrows(TargetException.class, () -> Reconcile.plan(fresh(), clash, OWNER));
    assertTrue(e.getMessage().contains("ignores case, so desired files whose names differ only in case would be"
        + " one file there; nothing written: " + named + " (rename all but one of each in Git)"), e.getMessage());
    assertFalse(e.retryable());
    Map<String, String> fileAndDir = Map.of("hosts/web/conf", "a file\n", "hosts/web/CONF/x", "x\n");
    e = assertThrows(TargetException.class, () -> Reconcile.plan(fresh(), fileAndDir, OWNER));
    assertTrue(e.getMessage().contains("'conf' and 'CONF/x'"), e.getMessage());
    assertEquals(List.of("z.txt"), names(root()), "nothing written");
  }
}

package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.OWNER;
import static dev.gitops.ssh.FilesTargetContract.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.plan.Action;
import dev.gitops.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Host}'s one write script ({@link PrivateScripts}) is bound to its private folder from the
 * {@code cd} on, and {@link LocalHost} to its open folder ({@link PrivateFolder}), but both put the file in
 * place by the file's full path ({@code ln} or {@code mv}; {@code link} or {@code renameat} to an absolute
 * path): a neighbour who can write {@code pub} swaps {@code pub/app} for a symlink to a folder outside the
 * root right there (an {@code ln} first on the {@code PATH} of a host that only runs commands,
 * {@link EnvHost}; {@link PrivateFolder.Neighbour} before the rename). Before, the file was put in place
 * there, outside the root, and the write succeeded; now a folder on the way that someone else may write is
 * refused before anything is written, on every host.
 */
class ScriptFolderSwapTest {
  @TempDir
  Path dir;

  @Test
  void aFolderSwappedForALinkBeforeLocalHostRenamesGetsNothingOutsideTheRoot() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path pub = Files.createDirectories(root.resolve("pub"));
    Path app = Files.createDirectories(pub.resolve("app"));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    java.util.concurrent.atomic.AtomicBoolean acting = new java.util.concurrent.atomic.AtomicBoolean();
    PrivateFolder.Neighbour neighbour = (step, tmp) -> {
      if (acting.get() && step.equals("rename") && !Files.isSymbolicLink(app)) {
        Files.move(app, pub.resolve("app.aside"));
        Files.createSymbolicLink(app, outside);
      }
    };
    String refused = null;
    try (FilesTarget target = FilesTarget.of(LocalHost.withNeighbour(neighbour), root.toString())) {
      target.apply(new Action.Create(text("pub/app/a.conf", "v1\n")), OWNER); // a create links by paths: an update
      Files.setAttribute(pub, "unix:mode", 0777); // the neighbour may write it from now on
      acting.set(true);
      dev.gitops.model.Resource v2 = text("pub/app/a.conf", "v2\n");
      dev.gitops.model.Observed read = target.read(dev.gitops.target.Scope.owned(OWNER)).get(v2.id());
      target.apply(new Action.Update(v2, dev.gitops.diff.ResourceDiff.none(v2.id()), read.fingerprint()), OWNER);
    } catch (TargetException e) {
      refused = e.getMessage();
    }
    try (Stream<Path> all = Files.walk(outside)) {
      assertEquals(List.of(), all.filter(p -> !p.equals(outside)).toList(), "written outside the root");
    }
    assertTrue(refused != null && refused.contains("'pub' is writable by others (mode 0777) on the host"), refused);
  }

  @Test
  void aFolderSwappedForALinkBeforeTheScriptPutsTheFileInPlaceGetsNothingOutsideTheRoot() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path pub = Files.createDirectories(root.resolve("pub"));
    Path app = Files.createDirectories(pub.resolve("app"));
    Files.setAttribute(pub, "unix:mode", 0777); // the neighbour may write it
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path ln = Files.writeString(bin.resolve("ln"), "#!/bin/sh\nPATH=${PATH#*:}; export PATH\n"
        + "for a do l=$a; done\ncase $l in " + Shell.quote(app.toString()) + "/*) [ -L " + Shell.quote(app.toString())
        + " ] || { mv -- " + Shell.quote(app.toString()) + " " + Shell.quote(app + ".aside") + " && ln -s -- "
        + Shell.quote(outside.toString()) + " " + Shell.quote(app.toString()) + "; } ;; esac\nexec ln \"$@\"\n");
    Files.setAttribute(ln, "unix:mode", 0755);
    String refused = null;
    try (FilesTarget target = FilesTarget.of(new EnvHost(List.of("PATH=" + bin + ":" + System.getenv("PATH"))),
        root.toString())) {
      target.apply(new Action.Create(text("pub/app/a.conf", "v1\n")), OWNER);
    } catch (TargetException e) {
      refused = e.getMessage();
    }
    try (Stream<Path> all = Files.walk(outside)) {
      assertEquals(List.of(), all.filter(p -> !p.equals(outside)).toList(), "written outside the root");
    }
    assertTrue(refused != null && refused.contains("'pub' is writable by others (mode 0777) on the host"), refused);
  }
}

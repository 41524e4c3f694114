package dev.gitops.k8s.render;

import dev.gitops.model.Content;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A private copy of a snapshot in a new temporary directory ({@code 0700}), which a renderer runs
 * on and which is deleted when closed. Only regular files are written, each at a checked relative
 * path (no {@code ..}, no absolute path, no empty segment), so the copy holds no symbolic link and
 * nothing outside it is reachable through one.
 */
final class Workspace implements AutoCloseable {
  private final Path dir;
  private final Path root;

  private Workspace(Path dir) {
    this.dir = dir;
    this.root = dir.resolve("repo");
  }

  /** Copies every file of {@code snapshot}. */
  static Workspace of(Snapshot snapshot) {
    return of(snapshot, path -> true);
  }

  /** Copies the files of {@code snapshot} whose paths {@code include} accepts. */
  static Workspace of(Snapshot snapshot, Predicate<String> include) {
    Path dir;
    try {
      dir = Files.createTempDirectory("gitops-render-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new RenderException("cannot create a private directory to render in: " + ToolRun.said(e), e);
    }
    Workspace ws = new Workspace(dir);
    try {
      Files.createDirectory(ws.root);
      Files.createDirectory(ws.home());
      for (Map.Entry<String, Content.Bytes> f : snapshot.files().entrySet()) {
        if (include.test(f.getKey())) {
          ws.write(f.getKey(), f.getValue());
        }
      }
      return ws;
    } catch (IOException | RuntimeException e) {
      ws.close();
      if (e instanceof RenderException r) {
        throw r;
      }
      throw new RenderException("cannot copy the snapshot to render it: " + ToolRun.said(e), e);
    }
  }

  /** The copy's root. */
  Path root() {
    return root;
  }

  /** An empty directory outside the copy, for the tool's {@code HOME}. */
  Path home() {
    return dir.resolve("home");
  }

  /** {@code path} (a snapshot path, {@code ""} for the root) inside the copy. */
  Path resolve(String path) {
    return path.isEmpty() ? root : root.resolve(checked(path));
  }

  /** Replaces the copy of {@code path} with {@code data}. */
  void replace(String path, byte[] data) {
    try {
      Files.write(resolve(path), data, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(String path, Content.Bytes content) throws IOException {
    Path file = root.resolve(checked(path));
    Files.createDirectories(file.getParent());
    try (java.io.InputStream in = content.open(); java.io.OutputStream out = Files.newOutputStream(file,
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      in.transferTo(out); // a large file streamed, never held whole
    }
    boolean exec = (content.mode().permissions() & 0100) != 0;
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(exec ? "rwx------" : "rw-------"));
  }

  private static String checked(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
      throw new RenderException("refusing to render a snapshot with the path '" + ResourceId.escape(path) + "'");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new RenderException("refusing to render a snapshot with the path '" + ResourceId.escape(path) + "'");
      }
    }
    return path;
  }

  /** Deletes the copy; never throws. */
  @Override
  public void close() {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // a temporary directory left behind is not worth failing a render for
    }
  }
}

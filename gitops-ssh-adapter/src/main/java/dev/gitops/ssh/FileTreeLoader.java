package dev.gitops.ssh;

import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Origin;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Snapshot;
import dev.gitops.source.LfsPointer;
import dev.gitops.source.Loader;
import dev.gitops.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a directory of a snapshot (e.g. {@code hosts/web}) as files for a {@link FilesTarget}:
 * every file under it becomes {@code File//<path relative to the directory>} with its bytes and mode.
 * An optional {@value TreeConfig#FILE} at the top of the directory sets modes, owners and groups per
 * glob, excludes files, and declares handlers:
 *
 * <pre>{@code
 * files:
 *   - glob: "etc/nginx/**"
 *     mode: "0640"
 *     owner: root
 *     group: www-data
 * exclude: ["*.md"]
 * handlers:
 *   - name: reload-nginx
 *     command: nginx -t && systemctl reload nginx
 *     watch: ["etc/nginx/**"]
 * }</pre>
 *
 * <p>Globs are gitignore lines, matched as {@link dev.gitops.model.PathGlob} matches them (git's
 * rules, matched in time pattern x path): {@code exclude} and each {@code watch} list read as one {@code .gitignore}
 * file, so {@code exclude: ["*.md", "!README.md"]} deploys the README.
 *
 * <p>Everything is checked before anything is written: a bad configuration file (naming file and
 * line), an absolute path, a {@code ..} segment or a path into the target's {@code .gitops/} state
 * directory, a path into {@code .git} or a folder a host writes as {@code .git} ({@link dev.gitops.source.GitNames}: a
 * hook written there would run), a name longer than 255 bytes or a path longer than 4,095 fails the whole load with one
 * {@link dev.gitops.model.InvalidDesiredStateException} (the target checks its own limits again,
 * with its root, before the first write).
 * A file held as a Git LFS pointer (the file itself kept on an LFS server; recognised as git-lfs
 * reads one, {@link LfsPointer}) is refused the same way, unless excluded: deployed, the host would get
 * the pointer's lines in its place. (A {@code GitSource} and a {@code DirectorySource} refuse them
 * before this loader runs, large files included; a snapshot from another source may still hold them.
 * A {@link Content.Bytes#isLarge() large} file held by reference is opened for its first
 * {@value LfsPointer#READ_LIMIT} bytes, as git-lfs reads them: a pointer padded with white space past the
 * threshold is refused as well; one that cannot be read throws {@link SourceException}.)
 * (Symbolic links never reach a snapshot: Git sources refuse them; on the target, writes never pass
 * through a symlinked directory.) Names with spaces, newlines, quotes and non-ASCII characters are
 * files like any other. Immutable and thread-safe.
 */
public final class FileTreeLoader implements Loader {
  private final String directory;

  private FileTreeLoader(String directory) {
    String d = directory;
    while (d.endsWith("/")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.startsWith("/") || List.of(d.split("/")).contains("..")) {
      throw new IllegalArgumentException("directory must be relative, without '..': " + directory);
    }
    this.directory = d;
  }

  /** {@return a loader of the whole snapshot, paths unchanged} */
  public static FileTreeLoader root() {
    return new FileTreeLoader("");
  }

  /**
   * Loads the files under one directory of the snapshot.
   *
   * @param directory relative directory such as {@code hosts/web}, {@code ""} for the whole
   *     snapshot; trailing slashes are dropped, an absolute path or a {@code ..} segment throws
   *     {@link IllegalArgumentException}
   * @return a loader whose resources are named by their path relative to {@code directory}
   */
  public static FileTreeLoader of(String directory) {
    return new FileTreeLoader(directory);
  }

  /** {@return the directory loaded, without trailing slash; {@code ""} for the snapshot root} */
  public String directory() {
    return directory;
  }

  @Override
  public DesiredState load(Snapshot snapshot) {
    String prefix = directory.isEmpty() ? "" : directory + "/";
    String configPath = prefix + TreeConfig.FILE;
    Content.Bytes configFile = snapshot.file(configPath);
    TreeConfig config = configFile == null ? TreeConfig.none() : TreeConfig.parse(configPath, configFile.data());
    List<Problem> problems = new ArrayList<>(config.problems());
    List<Resource> resources = new ArrayList<>();
    for (Map.Entry<String, Content.Bytes> e : snapshot.files().tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      String path = e.getKey().substring(prefix.length());
      if (config.excludes(path)) {
        continue;
      }
      Origin origin = new Origin(e.getKey(), 1);
      String unsafe = TargetPaths.problem(path);
      if (unsafe == null) {
        unsafe = TargetPaths.intoDotGit(path);
      }
      if (unsafe == null) {
        unsafe = TargetPaths.beyond(HostLimits.LINUX, "/", path);
      }
      if (unsafe != null) {
        problems.add(new Problem(e.getKey(), 0, null, unsafe));
        continue;
      }
      Optional<LfsPointer> pointer = LfsPointer.parse(head(e.getKey(), e.getValue()));
      if (pointer.isPresent()) {
        problems.add(new Problem(e.getKey(), 1, ResourceId.file(path), "is a Git LFS pointer (" + pointer.get()
            + "), not the file: gitops deploys what Git stores and fetches no LFS objects; commit the file itself"
            + " (git lfs migrate export --include=<path>) or exclude it in " + TreeConfig.FILE));
        continue;
      }
      Content.Bytes content = e.getValue().withMode(config.mode(path, e.getValue().mode()));
      resources.add(Resource.of(ResourceId.file(path), content, origin));
    }
    return DesiredState.of(resources, config.handlers(), problems);
  }


  /**
   * The first bytes of a file, as many as git-lfs reads to tell a pointer: of a large file held by
   * reference too, which is opened for them (a pointer padded with white space past
   * {@link Content.Bytes#LARGE} is still one to git-lfs); none of a file whose bytes are not at hand,
   * nor of one read on demand ({@link Content.Bytes#isOnDemand()}: its source checked it, and reading it
   * here would cost every plan that finds the file unchanged).
   *
   * @throws SourceException when a large file cannot be opened or read
   */
  private static byte[] head(String file, Content.Bytes content) {
    if (!content.canOpen() || content.isOnDemand()) {
      // only its size and digest are known (nothing to deploy either), or its source checked it before
      return new byte[0];
    }
    try (InputStream in = content.open()) {
      return in.readNBytes(LfsPointer.READ_LIMIT);
    } catch (IOException e) {
      throw new SourceException(ResourceId.escape(file) + ": cannot read its first " + LfsPointer.READ_LIMIT + " bytes to tell whether"
          + " it is a Git LFS pointer: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "FileTreeLoader[" + (directory.isEmpty() ? "/" : directory) + "]";
  }
}

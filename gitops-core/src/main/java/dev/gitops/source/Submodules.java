package dev.gitops.source;

import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The error for selected submodules (gitlinks): their files live in another repository, which no
 * source reads, so a deploy would lack them and prune what it wrote there before. Each is named
 * with its URL from the commit's {@code .gitmodules} (credentials masked). Not part of the public API.
 */
final class Submodules {
  /** The largest {@code .gitmodules} read for its URLs: 1 MiB (a larger one names none). */
  private static final int MODULES_MAX = 1 << 20;

  private Submodules() {}

  /**
   * The message for {@code paths} (relative to the source's {@code path}), read from the commit
   * whose root tree is {@code tree}.
   */
  static String refused(ObjectReader reader, ObjectId tree, String where, String path, Listing paths)
      throws IOException {
    Config modules = modules(reader, tree);
    boolean one = paths.count() == 1;
    return where + ": " + (one ? "a submodule is" : paths.count() + " submodules are") + " not supported: "
        + paths.names(rel -> TreeReader.quoted(path, rel) + " (" + url(modules, path.isEmpty() ? rel : path + "/" + rel)
        + ")")
        + ". " + (one ? "Its" : "Their") + " files are in another repository, which is not read: a deploy would"
        + " lack them and remove what it deployed there before. Commit the files into this repository, or leave "
        + (one ? "it" : "them") + TreeReader.excluded(paths.first());
  }

  /** The message for a source whose {@code path} is itself a submodule of the commit's tree {@code tree}. */
  static String refusedAsPath(ObjectReader reader, ObjectId tree, String where, String path) throws IOException {
    return where + ": the source's path '" + ResourceId.escape(path) + "' is a submodule ("
        + url(modules(reader, tree), path) + "), whose files are in another repository, which is not read: make a"
        + " source of that repository instead";
  }

  /**
   * The commit's {@code .gitmodules}, read as data: only a file (a gitlink's object is in another
   * repository, a tree is no text, and Git never reads a symbolic link there: fsck's
   * {@code gitmodulesSymlink}), of at most {@value #MODULES_MAX} bytes, without following an
   * {@code include} (a plain {@link Config} reads none); anything else names no URL.
   */
  private static Config modules(ObjectReader reader, ObjectId tree) throws IOException {
    Config config = new Config();
    try (TreeWalk walk = TreeWalk.forPath(new CheckedTrees(reader), ".gitmodules", tree)) { // any size of tree
      if (walk != null && (walk.getFileMode(0) == FileMode.REGULAR_FILE
          || walk.getFileMode(0) == FileMode.EXECUTABLE_FILE)) {
        ObjectLoader blob = reader.open(walk.getObjectId(0), Constants.OBJ_BLOB);
        // the size first: getCachedBytes(limit) bounds only what JGit streams (past core.streamFileThreshold)
        if (blob.getSize() <= MODULES_MAX) {
          config.fromText(withoutComments(new String(blob.getCachedBytes(MODULES_MAX), StandardCharsets.UTF_8)));
        }
      }
    } catch (ConfigInvalidException e) {
      return new Config(); // the URLs are then unknown; the submodules are refused all the same
    }
    return config;
  }

  /**
   * {@code text} without its comments: from a {@code #} or {@code ;} outside double quotes and not
   * escaped by a backslash to the end of its line, as Git's config parser reads them (config.c
   * {@code parse_value}, {@code get_next_char}); what remains parses as the whole text did. JGit's
   * {@link Config#fromText} takes time quadratic in a comment's length (a 256 KiB comment line, 6.5 s
   * measured here; 1 MiB, over a minute), which a hostile {@code .gitmodules} would make every fetch pay.
   */
  static String withoutComments(String text) {
    StringBuilder kept = new StringBuilder(text.length());
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        kept.append(c).append(text.charAt(++i)); // an escape, or a line continued
        continue;
      }
      if (!quoted && (c == '#' || c == ';')) {
        int end = text.indexOf('\n', i);
        i = (end < 0 ? text.length() : end) - 1; // the newline stays
        continue;
      }
      quoted = c == '"' ? !quoted : quoted && c != '\n';
      kept.append(c);
    }
    return kept.toString();
  }

  /** The submodule's URL as .gitmodules gives it, credentials masked, escaped; or why it has none. */
  private static String url(Config modules, String path) {
    for (String name : modules.getSubsections("submodule")) {
      if (path.equals(modules.getString("submodule", name, "path"))) {
        String url = modules.getString("submodule", name, "url");
        if (url != null) {
          return "URL " + ResourceId.escape(url.contains("://") ? RemoteUrl.parse(url, false).toString() : url);
        }
      }
    }
    return "no URL in .gitmodules";
  }
}

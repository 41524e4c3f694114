package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.source.GitNames;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks relative paths of file resources and names of owners, and joins them to a root. A path is
 * safe when it is relative, {@code /}-separated, has no empty, {@code .} or {@code ..} segment, no NUL
 * byte, and does not reach into the target's own {@code .gitops} directory (in any case of its name). Not part of the public API.
 */
final class TargetPaths {
  /** The directory under the root holding inventories, the lock and the deploy history. */
  public static final String STATE_DIR = ".gitops";
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private TargetPaths() {}

  /** Why {@code path} is unsafe, or null when it is safe. */
  public static String problem(String path) {
    if (path.isEmpty()) {
      return "empty path";
    }
    if (path.startsWith("/")) {
      return "absolute path not allowed: " + ResourceId.escape(path);
    }
    if (path.indexOf('\0') >= 0) {
      return "NUL byte in path";
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        return "empty or '.' segment in path: " + ResourceId.escape(path);
      }
      if (segment.equals("..")) {
        return "'..' not allowed in path: " + ResourceId.escape(path);
      }
    }
    if (reserved(path)) {
      return STATE_DIR + "/ is reserved for the target's own state: " + ResourceId.escape(path);
    }
    return null;
  }

  /**
   * Why {@code path} would be written into a repository's own folder on the host ({@code .git}, or a
   * name a host writes as {@code .git}: {@link GitNames}, as Git's {@code verify_path} judges it under
   * {@code core.protectHFS} and {@code core.protectNTFS}), or null. Git sources and the
   * {@link FileTreeLoader} refuse such paths; a caller's own desired state may hold them.
   */
  public static String intoDotGit(String path) {
    for (String segment : path.split("/", -1)) {
      if (GitNames.isDotGit(segment)) {
        return "a name a host may write as .git, a repository's own folder, which Git never checks out: "
            + ResourceId.escape(path);
      }
    }
    return null;
  }

  /**
   * True when the first segment of {@code path} is {@code .gitops} in any case: on a host whose
   * names ignore case (macOS, Windows) {@code .GITOPS/lock} is the lock, so a tree never holds it.
   */
  private static boolean reserved(String path) {
    int end = path.indexOf('/');
    String first = end < 0 ? path : path.substring(0, end);
    return first.equalsIgnoreCase(STATE_DIR);
  }

  /**
   * The file paths of {@code scope} that are safe to ask for ({@link #problem} finds nothing),
   * each checked first: one into {@code .git} ({@link #intoDotGit}), else one that the host cannot hold
   * ({@code limits}), fails the whole read, every such name in one error, before anything is written.
   *
   * @throws TargetException naming every path into {@code .git}, else every name beyond the host's limits
   */
  public static Set<String> asked(Scope scope, HostLimits limits, String root, String describe) {
    Set<String> asked = new TreeSet<>();
    List<String> beyond = new ArrayList<>();
    List<String> intoGit = new ArrayList<>();
    for (ResourceId id : scope.ids()) {
      if (id.isFile() && problem(id.name()) == null) {
        asked.add(id.name());
        if (intoDotGit(id.name()) != null) {
          intoGit.add("'" + ResourceId.escape(id.name()) + "'");
        }
        String why = beyond(limits, root, id.name());
        if (why != null) {
          beyond.add(why);
        }
      }
    }
    if (!intoGit.isEmpty()) {
      throw new TargetException(null, describe + ": " + intoGit.size() + (intoGit.size() == 1 ? " path" : " paths")
          + " into a repository's own folder (.git), nothing written: " + String.join(", ", intoGit)
          + ": a name a host may write as .git (.git, GIT~1, .git with an ignorable code point or trailing dots), which"
          + " Git never checks out; a hook written there runs on the next Git command in that folder", false, null);
    }
    if (!beyond.isEmpty()) {
      throw new TargetException(null, describe + ": " + beyond.size() + (beyond.size() == 1 ? " name" : " names")
          + " the host cannot hold, nothing written: " + String.join("; ", beyond), false, null);
    }
    return asked;
  }

  /**
   * Why the host cannot hold {@code path} under {@code root} (a name too long, the whole path too
   * long with room for its temporary file, a character its names cannot encode), or null.
   */
  public static String beyond(HostLimits limits, String root, String path) {
    java.nio.charset.Charset charset = limits.charset();
    // asked twice of every desired file per plan: an ASCII path in a charset that writes ASCII as is
    // is encodable, one byte a character, without an encoder made and three arrays encoded for it
    boolean ascii = ONE_BYTE_ASCII.contains(charset) && ascii(root) && ascii(path);
    java.nio.charset.CharsetEncoder encoder = ascii ? null : charset.newEncoder();
    for (String segment : path.split("/", -1)) {
      if (!ascii && !encoder.canEncode(segment)) {
        return "'" + ResourceId.escape(segment) + "' cannot be written: the host names files in "
            + charset + (charset == java.nio.charset.StandardCharsets.UTF_8 ? ""
            : " (run Java with LANG=C.UTF-8 or -Dsun.jnu.encoding=UTF-8 for UTF-8 names)");
      }
      int bytes = ascii ? segment.length() : segment.getBytes(charset).length;
      if (bytes > limits.nameBytes()) {
        return "'" + ResourceId.escape(segment) + "' is " + bytes + " bytes long; the host allows "
            + limits.nameBytes() + " bytes a name";
      }
    }
    String dir = join(root, parent(path));
    String whole = join(root, path);
    int longest = Math.max(ascii ? whole.length() : whole.getBytes(charset).length,
        (ascii ? dir.length() : dir.getBytes(charset).length) + 1 + TempNames.LENGTH);
    if (longest >= limits.pathBytes()) {
      return "'" + ResourceId.escape(path) + "' makes a path of " + longest + " bytes under " + ResourceId.escape(root)
          + " (with its temporary file); the host allows " + (limits.pathBytes() - 1);
    }
    return null;
  }

  /** Charsets that write each ASCII character as its one byte, and can write every one. */
  private static final Set<java.nio.charset.Charset> ONE_BYTE_ASCII = Set.of(java.nio.charset.StandardCharsets.UTF_8,
      java.nio.charset.StandardCharsets.ISO_8859_1, java.nio.charset.StandardCharsets.US_ASCII);

  /** True when every character of {@code s} is ASCII (below 0x80). */
  static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * The path of the file that {@code action} writes or deletes under {@code root}, checked before the
   * step touches the host: {@link #problem} finds nothing and, unless it deletes (a path the host
   * cannot hold, or one into {@code .git} written before, may still be pruned), the path does not lead
   * into {@code .git} ({@link #intoDotGit}) and the host can hold it ({@link #beyond}).
   *
   * @throws TargetException naming the resource when it is not a file, or its path is unsafe
   */
  public static String step(Host host, String root, Action action) {
    ResourceId id = action.id();
    if (!id.isFile()) {
      throw new TargetException(id, "a files target holds only File resources");
    }
    String path = id.name();
    String unsafe = problem(path);
    if (unsafe == null && action.kind() != Action.Kind.DELETE) { // a file deployed there before may be pruned
      unsafe = intoDotGit(path);
    }
    if (unsafe == null && action.kind() != Action.Kind.DELETE) {
      unsafe = beyond(host.limits(), root, path);
    }
    if (unsafe != null) {
      throw new TargetException(id, unsafe);
    }
    return path;
  }

  /** Throws {@link IllegalArgumentException} when {@code owner} cannot name an inventory file. */
  public static String owner(String owner) {
    if (!OWNER.matcher(owner).matches()) {
      throw new IllegalArgumentException("owner must match " + OWNER + " to name an inventory: " + owner);
    }
    return owner;
  }

  /** {@code root/relative}; {@code root} itself for {@code "."}. */
  public static String join(String root, String relative) {
    if (relative.equals(".")) {
      return root;
    }
    return root.endsWith("/") ? root + relative : root + "/" + relative;
  }

  /** {@code name} in the relative directory {@code dir} ({@code "."} for the root). */
  public static String child(String dir, String name) {
    return dir.equals(".") ? name : dir + "/" + name;
  }

  /** The parent of a relative path, {@code "."} at the top. */
  public static String parent(String relative) {
    int slash = relative.lastIndexOf('/');
    return slash < 0 ? "." : relative.substring(0, slash);
  }

  /** The directories above {@code relative}, outermost first, without the root. */
  public static List<String> ancestors(String relative) {
    List<String> out = new ArrayList<>();
    int slash = relative.indexOf('/');
    while (slash > 0) {
      out.add(relative.substring(0, slash));
      slash = relative.indexOf('/', slash + 1);
    }
    return out;
  }

  /** The last segment. */
  public static String name(String relative) {
    return relative.substring(relative.lastIndexOf('/') + 1);
  }
}

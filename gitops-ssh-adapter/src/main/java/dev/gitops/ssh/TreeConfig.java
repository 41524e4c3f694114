package dev.gitops.ssh;

import dev.gitops.model.FileMode;
import dev.gitops.model.Handler;
import dev.gitops.model.PathGlob;
import dev.gitops.model.Origin;
import dev.gitops.model.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The optional {@code .gitops.yaml} at the top of a file tree:
 * <pre>
 * files:                       # rules, in order; a later match overrides an earlier one
 *   - glob: "etc/nginx/**"
 *     mode: "0640"             # octal
 *     owner: root
 *     group: www-data
 * exclude: ["*.md", "!README.md"]   # files that are not deployed
 * handlers:
 *   - name: reload-nginx
 *     command: nginx -t &amp;&amp; systemctl reload nginx
 *     watch: ["etc/nginx/**", "!*.bak"]
 * </pre>
 * Every glob is a gitignore line, matched by core's one matcher ({@link PathGlob}): {@code exclude}
 * and each {@code watch} list read as one {@code .gitignore} file (a later {@code !} line takes back
 * what an earlier line matched), a {@code files} rule's {@code glob} as a one-line one. Every problem
 * is collected with its line. Not part of the public API.
 */
final class TreeConfig {
  /** The file name. */
  public static final String FILE = ".gitops.yaml";

  private record Rule(PathGlob glob, Integer permissions, String owner, String group) {}

  private final List<Rule> rules = new ArrayList<>();
  private final List<String> excludeLines = new ArrayList<>();
  private PathGlob excludes = PathGlob.of();
  private final List<Handler> handlers = new ArrayList<>();
  private final List<Problem> problems = new ArrayList<>();
  private final String file;

  private TreeConfig(String file) {
    this.file = file;
  }

  /** No configuration. */
  public static TreeConfig none() {
    return new TreeConfig("");
  }

  /** Parses {@code data} read from {@code file}; see {@link #problems()}. */
  public static TreeConfig parse(String file, byte[] data) {
    TreeConfig c = new TreeConfig(file);
    Yaml.Node root;
    try {
      root = Yaml.parse(data);
    } catch (Yaml.SyntaxError e) {
      c.problem(e.line(), e.getMessage());
      return c;
    }
    if (root.value() == null) {
      return c;
    }
    if (!root.isMap()) {
      c.problem(root.line(), "expected a mapping with files, exclude and handlers");
      return c;
    }
    root.map().forEach((key, node) -> {
      switch (key) {
        case "files" -> c.list(node, "files").forEach(c::rule);
        case "exclude" -> c.excludeLines.addAll(c.globs(node, "exclude"));
        case "handlers" -> c.list(node, "handlers").forEach(c::handler);
        default -> c.problem(node.line(), "unknown key '" + key + "' (expected files, exclude, handlers)");
      }
    });
    c.excludes = PathGlob.of(c.excludeLines);
    return c;
  }

  private void rule(Yaml.Node node) {
    Map<String, Yaml.Node> m = map(node, "a files rule", Set.of("glob", "mode", "owner", "group"));
    if (m == null) {
      return;
    }
    String line = glob(m.get("glob"), node.line(), "files rule");
    if (line != null && line.startsWith("!")) {
      problem(m.get("glob").line(), "a files rule's glob cannot start with '!': it would match nothing ('"
          + line + "'; put \\! first for a name starting with '!')");
      line = null;
    }
    PathGlob glob = line == null ? null : PathGlob.of(line);
    Integer bits = null;
    Yaml.Node mode = m.get("mode");
    if (mode != null) {
      String text = mode.isScalar() ? mode.text().trim() : "";
      if (!text.matches("0?[0-7]{3,4}")) {
        problem(mode.line(), "mode must be octal like \"0644\", got '" + (mode.isScalar() ? text : "a structure") + "'");
      } else {
        bits = Integer.parseInt(text, 8);
      }
    }
    String owner = scalar(m.get("owner"), "owner");
    String group = scalar(m.get("group"), "group");
    if (glob != null) {
      rules.add(new Rule(glob, bits, owner, group));
    }
  }

  private void handler(Yaml.Node node) {
    Map<String, Yaml.Node> m = map(node, "a handler", Set.of("name", "command", "watch"));
    if (m == null) {
      return;
    }
    String name = scalar(m.get("name"), "name");
    String command = scalar(m.get("command"), "command");
    List<String> watch = m.containsKey("watch") ? globs(m.get("watch"), "watch") : List.of();
    if (name == null || name.isBlank() || command == null || command.isBlank() || !PathGlob.of(watch).hasPatterns()) {
      problem(node.line(), "a handler needs name, command and at least one glob in watch");
      return;
    }
    if (command.indexOf('\0') >= 0) { // no command line can carry it: the host would run the command cut there
      problem(m.get("command").line(), "a handler's command cannot hold a NUL character");
      return;
    }
    handlers.add(new Handler(name, command, watch, new Origin(file, node.line())));
  }

  private Map<String, Yaml.Node> map(Yaml.Node node, String what, Set<String> keys) {
    if (!node.isMap()) {
      problem(node.line(), what + " must be a mapping");
      return null;
    }
    node.map().forEach((k, v) -> {
      if (!keys.contains(k)) {
        problem(v.line(), "unknown key '" + k + "' in " + what + " (expected " + String.join(", ",
            keys.stream().sorted().toList()) + ")");
      }
    });
    return node.map();
  }

  private List<Yaml.Node> list(Yaml.Node node, String what) {
    if (node.value() == null) {
      return List.of();
    }
    if (!node.isList()) {
      problem(node.line(), what + " must be a list");
      return List.of();
    }
    return node.list();
  }

  private List<String> globs(Yaml.Node node, String what) {
    List<String> out = new ArrayList<>();
    List<Yaml.Node> items = node != null && node.isScalar() ? List.of(node) : list(node, what);
    for (Yaml.Node n : items) {
      String g = glob(n, n.line(), what);
      if (g != null) {
        out.add(g);
      }
    }
    return out;
  }

  /** One gitignore line, checked by the matcher; null (and a problem) when it is none. */
  private String glob(Yaml.Node node, int line, String what) {
    if (node == null || !node.isScalar() || node.text().isBlank()) {
      problem(node == null ? line : node.line(), what + " needs a glob (a string)");
      return null;
    }
    try {
      if (!PathGlob.of(node.text()).hasPatterns()) {
        throw new IllegalArgumentException("a comment matches nothing (put \\# first for a name starting with '#')");
      }
      return node.text();
    } catch (RuntimeException e) {
      problem(node.line(), "bad glob '" + node.text() + "': " + e.getMessage());
      return null;
    }
  }

  private String scalar(Yaml.Node node, String what) {
    if (node == null || node.value() == null) {
      return null;
    }
    if (!node.isScalar()) {
      problem(node.line(), what + " must be a string");
      return null;
    }
    return node.text();
  }

  private void problem(int line, String message) {
    problems.add(new Problem(file, line, null, message));
  }

  /** Every problem found. */
  public List<Problem> problems() {
    return List.copyOf(problems);
  }

  /** The handlers declared. */
  public List<Handler> handlers() {
    return List.copyOf(handlers);
  }

  /** True when {@code path} is excluded (the configuration file itself always is). */
  public boolean excludes(String path) {
    return path.equals(FILE) || excludes.matches(path);
  }

  /** The mode of {@code path}: {@code base} with every matching rule applied in order. */
  public FileMode mode(String path, FileMode base) {
    FileMode mode = base;
    for (Rule r : rules) {
      if (r.glob().matches(path)) {
        mode = new FileMode(r.permissions() != null ? r.permissions() : mode.permissions(),
            r.owner() != null ? r.owner() : mode.owner(), r.group() != null ? r.group() : mode.group());
      }
    }
    return mode;
  }
}

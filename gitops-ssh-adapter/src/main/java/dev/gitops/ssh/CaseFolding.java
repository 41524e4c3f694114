package dev.gitops.ssh;

import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Names as a host whose file system folds case holds them (macOS's APFS and HFS+ by default, Windows
 * and SMB shares, ext4 and f2fs directories with casefold, vfat): {@code Readme.md} and
 * {@code README.md} are one directory entry there, and so are {@code Conf/app.yaml} and
 * {@code conf/app.yaml}. Pure; not part of the public API.
 */
final class CaseFolding {
  private CaseFolding() {}

  /**
   * The name two paths share when such a host holds them as one: each character folded as
   * {@link String#equalsIgnoreCase} compares it (upper case, then lower case). Unicode normalisation
   * (NFC against NFD, which macOS also ignores) is not folded.
   */
  static String key(String path) {
    StringBuilder b = new StringBuilder(path.length());
    path.codePoints().forEach(c -> b.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
    return b.toString();
  }

  /**
   * The spellings of each name that {@code paths} write in more than one case, by {@link #key}; empty
   * (the usual case) when every name has one spelling. Directories on the way count: {@code Conf/a}
   * and {@code conf/b} spell {@code conf} twice.
   */
  static Map<String, TreeSet<String>> spellings(Collection<String> paths) {
    Map<String, TreeSet<String>> all = new HashMap<>();
    for (String path : paths) {
      all.computeIfAbsent(key(path), k -> new TreeSet<>()).add(path);
      for (String dir : TargetPaths.ancestors(path)) {
        all.computeIfAbsent(key(dir), k -> new TreeSet<>()).add(dir);
      }
    }
    Map<String, TreeSet<String>> out = new TreeMap<>();
    all.forEach((k, names) -> {
      if (names.size() > 1) {
        out.put(k, names);
      }
    });
    return out;
  }

  /**
   * The files of {@code desired} that a case-folding host would hold as one entry, each clash named:
   * two files whose paths differ only in case ({@code 'conf/App.yaml' and 'conf/app.yaml'}), and a
   * file whose path is another's directory in another case ({@code 'conf' and 'Conf/app.yaml'}).
   * Directories alone never clash: {@code Conf/a} and {@code conf/b} both fit in one directory.
   *
   * @return one phrase per clash, in a stable order; empty when none
   */
  static List<String> clashes(Collection<String> desired) {
    Map<String, TreeSet<String>> files = new TreeMap<>();
    Map<String, List<String>> dirs = new TreeMap<>(); // key -> the directory as spelled, a file under it
    for (String path : new TreeSet<>(desired)) {
      files.computeIfAbsent(key(path), k -> new TreeSet<>()).add(path);
      for (String dir : TargetPaths.ancestors(path)) {
        dirs.putIfAbsent(key(dir), List.of(dir, path));
      }
    }
    List<String> out = new ArrayList<>();
    files.forEach((k, names) -> {
      if (names.size() > 1) {
        out.add(quoted(names));
      }
      List<String> dir = dirs.get(k);
      if (dir != null && !names.contains(dir.get(0))) { // the same spelling is no matter of case
        out.add(quoted(List.of(names.first(), dir.get(1))));
      }
    });
    return out;
  }

  private static String quoted(Collection<String> names) {
    List<String> q = names.stream().map(n -> "'" + ResourceId.escape(n) + "'").toList();
    return String.join(" and ", q);
  }
}

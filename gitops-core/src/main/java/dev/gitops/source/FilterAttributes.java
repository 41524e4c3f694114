package dev.gitops.source;

import dev.gitops.model.ResourceId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code filter=} drivers a commit's {@code .gitattributes} give its selected files
 * ({@link CheckoutFilters#readFilters}), as any Git would check them out: a file has a driver when Git
 * before 2.43 or Git from 2.43 gives it one (they differ only on lines naming a {@code builtin_*}
 * attribute, which the newer skips: {@link AttributeLines}), so that no checkout's filter is missed.
 *
 * <p>Within two bounds, which Git does not have (attr.c bounds a line, {@code ATTR_MAX_LINE_LENGTH},
 * 2048 bytes, and a file, {@code ATTR_MAX_FILE_SIZE}, 100 MiB, not how many lines there are), so that a
 * hostile repository cannot make each read spend minutes: the {@code .gitattributes} read hold at most
 * {@value #LINES_MAX} lines together, and matching their lines against the selected files takes at most
 * {@value #STEPS_MAX} steps ({@link AttributeStack#steps}, counted before any match). A real repository
 * comes near either: the templates of github.com/gitattributes/gitattributes hold a few hundred lines at
 * most (its Web.gitattributes about 250, none of which can set {@code filter}), and its Unity.gitattributes,
 * every {@code binary} line turned into its {@code lfs} macro as it suggests, about 80 lines that can:
 * against 10,000 selected files of 60-byte paths, 80 x 6 x 61 x 10,000 = 2.9e8 steps. A step took 2 to 5 ns
 * here (90,000 lines against 200 paths, 2.1e9 steps: 6.9 s), so the bound on steps keeps a hostile
 * repository's cost to a few seconds. Past a bound, {@link #refusal} names the file. Not thread-safe. Not
 * part of the public API.
 */
final class FilterAttributes {
  /** The most lines of the {@code .gitattributes} read for one commit, together. */
  static final int LINES_MAX = 100_000;
  /** The most steps matching them against the selected files may take (about 3 s here). */
  static final long STEPS_MAX = 1_000_000_000L;
  private static final String ATTRIBUTES = ".gitattributes";

  private final AttributeStack older = new AttributeStack("filter", false);
  private final AttributeStack newer = new AttributeStack("filter", true);
  private boolean reserved;
  private long lines;
  private String refusal;

  /**
   * Adds the {@code .gitattributes} of {@code folder} ({@code ""} for the root), its bytes {@code data}.
   *
   * @return false, the file not read and {@link #refusal} set, when its lines bring those read past
   *     {@value #LINES_MAX}
   */
  boolean add(String folder, byte[] data) {
    long count = lines(data);
    lines += count;
    if (lines > LINES_MAX) {
      refusal = "'" + file(folder) + "' holds " + count + " lines, which bring the .gitattributes read for the"
          + " selected files past " + LINES_MAX + " lines. Git reads any number, but each line costs time for every"
          + " file below its folder, and no real repository comes near that bound: shorten it, or leave the files"
          + " below its folder out of the source";
      return false;
    }
    AttributeLines parsed = AttributeLines.parse(data, folder.isEmpty());
    reserved |= parsed.rules().stream().anyMatch(AttributeLines.Rule::reserved)
        || !parsed.macros().equals(parsed.newerMacros());
    older.add(folder, parsed);
    newer.add(folder, parsed);
    return true;
  }

  /**
   * The driver of each of {@code paths} (from the repository's root) that has one, by path.
   *
   * @return null, nothing matched and {@link #refusal} set, when matching would take more than
   *     {@value #STEPS_MAX} steps
   */
  Map<String, String> drivers(List<String> paths) {
    Map<String, Long> byFolder = new HashMap<>();
    long steps = 0;
    for (String path : paths) {
      steps += older.steps(path, byFolder) + (reserved ? newer.steps(path, byFolder) : 0);
    }
    if (steps > STEPS_MAX) {
      String most = null; // the folder whose lines cost most; of two, the first by name
      for (Map.Entry<String, Long> folder : new TreeMap<>(byFolder).entrySet()) {
        if (most == null || folder.getValue() > byFolder.get(most)) {
          most = folder.getKey();
        }
      }
      refusal = "matching the .gitattributes lines that can set filter against the " + paths.size() + " selected"
          + " files would take " + steps + " steps (a line's pattern bytes times a path's bytes, summed), past the"
          + " bound of " + STEPS_MAX + ", " + byFolder.get(most) + " of them for the lines of '" + file(most)
          + "'. Git has no such bound, but no real repository comes near it: shorten that file, or select fewer"
          + " files below its folder";
      return null;
    }
    Map<String, String> drivers = new HashMap<>();
    for (String path : paths) {
      String value = older.value(path);
      if (!AttributeLines.isValue(value) && reserved) {
        value = newer.value(path);
      }
      if (AttributeLines.isValue(value)) {
        drivers.put(path, value);
      }
    }
    return drivers;
  }

  /** Why the attributes were not read (without the source's name), or null. */
  String refusal() {
    return refusal;
  }

  /** The lines of {@code data} as Git reads them: up to the first NUL, split at LF. */
  private static long lines(byte[] data) {
    long count = 0;
    int i = 0;
    for (; i < data.length && data[i] != 0; i++) {
      if (data[i] == '\n') {
        count++;
      }
    }
    return i > 0 && data[i - 1] != '\n' ? count + 1 : count;
  }

  private static String file(String folder) {
    return ResourceId.escape(folder.isEmpty() ? ATTRIBUTES : folder + "/" + ATTRIBUTES);
  }
}

package dev.gitops.source;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Git LFS pointer: the few lines Git stores in place of a file kept on an LFS server. A checkout
 * with {@code git lfs} writes the file the pointer names; one without it, or a source that reads blobs
 * (as {@link GitSource} and {@link DirectorySource} do), gets the pointer's lines instead, which no
 * target should receive. A {@link Source} of your own can refuse such files the same way:
 *
 * <pre>{@code
 * byte[] data = Files.readAllBytes(file);   // or, for a large file, its first READ_LIMIT bytes
 * Optional<LfsPointer> pointer = LfsPointer.parse(data);
 * if (pointer.isPresent()) {
 *   throw new SourceException(file + ": a Git LFS pointer (" + pointer.get() + "), not the file");
 * }
 * }</pre>
 *
 * <p>A file is a pointer exactly when git-lfs 3.x takes it for one on checkout ({@code DecodeFrom}
 * and {@code decodeKV} in its {@code lfs/pointer.go}; checked against {@code git lfs pointer --check}),
 * which is more lenient than the specification's canonical form:
 * <ul>
 *   <li>only the first {@value #READ_LIMIT} bytes are read, whatever the file's length, and white
 *       space (as Go's {@code bytes.TrimSpace}: ASCII and Unicode {@code White_Space} in UTF-8) is cut
 *       from both ends of them;
 *   <li>lines end with a line feed, one carriage return before it dropped; the last line needs none;
 *       empty lines are skipped; each other line is a key, one space, and a value (the rest of the line);
 *   <li>{@code version}, {@code oid} and {@code size} come in this order, with nothing after
 *       {@code size}; a line whose key starts {@code ext-<digit>-<word character>} may come before
 *       either of the first two keys' lines or between them;
 *   <li>{@code version} is {@code https://git-lfs.github.com/spec/v1}, or the pre-release
 *       {@code https://hawser.github.com/spec/v1} or alpha {@code http://git-media.io/v/2};
 *   <li>{@code oid}, and every extension's value, is {@code sha256:} and 64 lower-case hex digits;
 *   <li>{@code size} is a decimal integer as Go's {@code strconv.ParseInt} reads one (a sign allowed,
 *       leading zeros allowed, 64 bits), not negative; extensions have different priorities (digits).
 * </ul>
 * Anything else is a plain file, and stays one. Immutable and thread-safe.
 */
public final class LfsPointer {
  /** How many bytes of a file git-lfs reads to decide whether it is a pointer: the first 1,024. */
  public static final int READ_LIMIT = 1024;

  private static final List<String> KEYS = List.of("version", "oid", "size");
  private static final Set<String> VERSIONS = Set.of("https://git-lfs.github.com/spec/v1",
      "https://hawser.github.com/spec/v1", "http://git-media.io/v/2");
  /** git-lfs's {@code extRE}, which is anchored at the start only: the rest of the key may be anything. */
  private static final Pattern EXTENSION = Pattern.compile("ext-[0-9]-[0-9A-Za-z_]");
  private static final Pattern OID = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern SIZE = Pattern.compile("[+-]?[0-9]+");
  /** Unicode's {@code White_Space} (Go's {@code unicode.IsSpace}), each as its UTF-8 bytes, one char per byte. */
  private static final List<String> SPACES = spaces(0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000,
      0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f,
      0x3000);

  private final String oid;
  private final long size;

  private LfsPointer(String oid, long size) {
    this.oid = oid;
    this.size = size;
  }

  /**
   * Reads {@code data} as git-lfs does: the pointer its first {@value #READ_LIMIT} bytes hold, if any.
   *
   * @param data a file's bytes as Git stores them (or at least their first {@value #READ_LIMIT}); not null
   * @return the pointer, or empty when git-lfs would check the file out as it is
   */
  public static Optional<LfsPointer> parse(byte[] data) {
    if (!mayBePointer(data)) {
      return Optional.empty();
    }
    String text = trim(new String(data, 0, Math.min(data.length, READ_LIMIT), StandardCharsets.ISO_8859_1));
    Map<String, String> fields = new HashMap<>();
    Map<String, String> extensions = new HashMap<>();
    for (String line : text.split("\n", -1)) {
      line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (line.isEmpty()) {
        continue;
      }
      int space = line.indexOf(' ');
      if (space < 0 || fields.size() == KEYS.size()) {
        return Optional.empty();
      }
      String key = line.substring(0, space);
      if (key.equals(KEYS.get(fields.size()))) {
        fields.put(key, line.substring(space + 1));
      } else if (EXTENSION.matcher(key).lookingAt()) {
        extensions.put(key, line.substring(space + 1)); // a repeated key: the last line counts, as in git-lfs
      } else {
        return Optional.empty();
      }
    }
    String oid = fields.getOrDefault("oid", "");
    String size = fields.getOrDefault("size", "");
    if (!VERSIONS.contains(fields.getOrDefault("version", "")) || !OID.matcher(oid).matches()
        || !SIZE.matcher(size).matches() || !extensionsValid(extensions)) {
      return Optional.empty();
    }
    try {
      long bytes = Long.parseLong(size);
      return bytes < 0 ? Optional.empty() : Optional.of(new LfsPointer(oid, bytes));
    } catch (NumberFormatException e) {
      return Optional.empty(); // beyond 64 bits
    }
  }

  /** {@return the object's id, {@code sha256:} and 64 hex digits} */
  public String oid() {
    return oid;
  }

  /** {@return the object's size in bytes, as the pointer states it} */
  public long size() {
    return size;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LfsPointer p && oid.equals(p.oid) && size == p.size;
  }

  @Override
  public int hashCode() {
    return 31 * oid.hashCode() + Long.hashCode(size);
  }

  /** {@return the object, as messages name it: {@code object sha256:<first 12 digits>..., <size> bytes}} */
  @Override
  public String toString() {
    return "object " + oid.substring(0, "sha256:".length() + 12) + "..., " + size + " bytes";
  }

  /**
   * False when {@code data} certainly holds no pointer, known from its first byte that is not ASCII
   * white space: any other ASCII byte than the first of {@code version} or of {@code ext-} (what
   * nearly every file starts with), or none at all. Keeps {@link #parse} from building text of every
   * file a source reads; a non-ASCII byte (perhaps Unicode white space) is left to the full reading.
   */
  private static boolean mayBePointer(byte[] data) {
    int end = Math.min(data.length, READ_LIMIT);
    int i = 0;
    while (i < end && (data[i] == ' ' || data[i] >= '\t' && data[i] <= '\r')) {
      i++;
    }
    return i < end && (data[i] < 0 || data[i] == 'v' || data[i] == 'e');
  }

  private static boolean extensionsValid(Map<String, String> extensions) {
    Set<Character> priorities = new HashSet<>();
    for (Map.Entry<String, String> e : extensions.entrySet()) {
      if (!OID.matcher(e.getValue()).matches() || !priorities.add(e.getKey().charAt("ext-".length()))) {
        return false;
      }
    }
    return true;
  }

  /** {@code text} without the white space at either end (Go's {@code bytes.TrimSpace} on the bytes it stands for). */
  private static String trim(String text) {
    int start = 0;
    int end = text.length();
    for (int n = space(text, start, end, true); n > 0; n = space(text, start, end, true)) {
      start += n;
    }
    for (int n = space(text, start, end, false); n > 0; n = space(text, start, end, false)) {
      end -= n;
    }
    return text.substring(start, end);
  }

  /** The length of the white space that starts (or ends) {@code text[start, end)}, or 0. */
  private static int space(String text, int start, int end, boolean first) {
    for (String space : SPACES) {
      int at = first ? start : end - space.length();
      if (at >= start && at + space.length() <= end && text.startsWith(space, at)) {
        return space.length();
      }
    }
    return 0;
  }

  private static List<String> spaces(int... codePoints) {
    return Arrays.stream(codePoints).mapToObj(c -> new String(Character.toString(c)
        .getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)).toList();
  }
}

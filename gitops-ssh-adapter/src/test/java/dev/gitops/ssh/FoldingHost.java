package dev.gitops.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A host whose file system takes two spellings of a name for one entry, made of the wrapped host's
 * (case- and normalisation-sensitive) directories: names that differ only in case, as on Windows and
 * SMB shares, exFAT and vfat (one character for one: Unicode's simple case folding); in Unicode
 * normalisation (NFC against NFD, compared in NFD), as on APFS's case-sensitive variant; or both, as on
 * HFS+, or with full case folding ({@code ß} as {@code ss}, {@code ﬁ} as {@code fi}) as on APFS's default
 * variant and ext4 or f2fs casefold directories ({@link UnicodeFolds}). Modelled on APFS, which keeps names as given
 * (HFS+ would store every name in NFD): a new entry keeps the spelling it was made with; a rename
 * onto an entry of another spelling replaces that entry, which keeps its name; a rename of one entry
 * to another spelling of its name takes the new spelling. The root's reader runs on the names as
 * they are on disk, and the names of its archive's members are put back to those asked for, as GNU
 * tar names a member after the name it was given (names of up to 100 bytes: no GNU long names). No
 * long-running reader: every read is one command.
 */
final class FoldingHost extends ForwardingHost {
  private final boolean cases;
  private final boolean full;
  private final boolean forms;

  /**
   * @param cases whether names that differ only in case are one entry
   * @param full whether case is folded fully ({@code ß} as {@code ss}), with {@code cases}
   * @param forms whether names that differ only in Unicode normalisation are one entry
   */
  FoldingHost(Host host, boolean cases, boolean full, boolean forms) {
    super(host);
    this.cases = cases;
    this.full = full;
    this.forms = forms;
  }

  /** True when {@code a} and {@code b} name one entry on a host that ignores what the flags say. */
  static boolean same(String a, String b, boolean cases, boolean full, boolean forms) {
    return UnicodeFolds.same(a, b, cases, full, forms);
  }

  /** {@code path} as it is on disk: each name matched, as this host compares names, to the entry there. */
  String real(String path) {
    Path at = Path.of("/");
    boolean found = true;
    for (Path name : Path.of(path)) {
      String n = name.toString();
      if (found && !Files.exists(at.resolve(n), java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(at)) {
        try (Stream<Path> entries = Files.list(at)) {
          n = entries.map(e -> e.getFileName().toString()).filter(e -> same(e, name.toString(), cases, full, forms))
              .sorted().findFirst().orElse(n);
        } catch (IOException e) {
          found = false;
        }
      }
      found = found && Files.exists(at.resolve(n), java.nio.file.LinkOption.NOFOLLOW_LINKS);
      at = at.resolve(n);
    }
    return at.toString();
  }

  /** No long-running reader: reads run as one command each, which {@link #exec} translates. */
  @Override public Channel start(List<String> command) throws IOException {
    throw new IOException("a folding host keeps no command running");
  }

  @Override public Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
    if (command.size() != 5 || !command.get(2).equals(TreeRead.SCRIPT)) {
      return host.exec(command, stdin, timeout);
    }
    String root = command.get(4);
    String realRoot = real(root);
    Map<String, List<String>> asked = new LinkedHashMap<>(); // each entry on disk once, as tar is given one name each
    for (String p : new String(stdin, StandardCharsets.UTF_8).split("\0")) {
      if (!p.isEmpty()) {
        asked.computeIfAbsent(real(root + "/" + p).substring(realRoot.length() + 1), k -> new ArrayList<>()).add(p);
      }
    }
    ByteArrayOutputStream onDisk = new ByteArrayOutputStream();
    asked.keySet().forEach(p -> onDisk.writeBytes((p + "\0").getBytes(StandardCharsets.UTF_8)));
    Result r = host.exec(TreeRead.command(realRoot), onDisk.toByteArray(), timeout);
    return new Result(r.exitCode(), renamed(r.stdout(), asked), r.stderr());
  }

  @Override public Result exec(List<String> command, byte[] stdin) throws IOException {
    return exec(command, stdin, DEFAULT_TIMEOUT);
  }

  /**
   * The read's output with each member named as asked, once per name asked (two names of one entry
   * are two members, as GNU tar archives two names of a file with one link), each header's checksum
   * made again.
   */
  private static byte[] renamed(byte[] out, Map<String, List<String>> asked) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int at = new String(out, StandardCharsets.ISO_8859_1).indexOf('\n') + 1;
    b.write(out, 0, at);
    while (at > 0 && at + 512 <= out.length && out[at] != 0) {
      long size = Long.parseLong(new String(out, at + 124, 11, StandardCharsets.US_ASCII).trim(), 8);
      int length = 512 + (int) ((size + 511) / 512 * 512);
      int end = at;
      while (end < at + 100 && out[end] != 0) {
        end++;
      }
      String name = new String(out, at, end - at, StandardCharsets.UTF_8);
      List<String> names = asked.get(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
      for (String want : names == null ? List.of(name) : names) {
        byte[] member = Arrays.copyOfRange(out, at, at + length);
        byte[] w = want.getBytes(StandardCharsets.UTF_8); // another spelling may have another length
        Arrays.fill(member, 0, 100, (byte) 0);
        System.arraycopy(w, 0, member, 0, w.length);
        Arrays.fill(member, 148, 156, (byte) ' ');
        int sum = 0;
        for (int i = 0; i < 512; i++) {
          sum += member[i] & 0xff;
        }
        System.arraycopy(String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII), 0, member, 148, 8);
        b.writeBytes(member);
      }
      at += length;
    }
    b.write(out, at, out.length - at);
    return b.toByteArray();
  }

  @Override public void write(String path, byte[] data, int permissions, boolean exclusive) throws IOException {
    host.write(real(path), data, permissions, exclusive);
  }

  @Override public void write(String path, java.io.InputStream data, int permissions, boolean exclusive)
      throws IOException {
    host.write(real(path), data, permissions, exclusive);
  }

  @Override public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace)
      throws IOException {
    write(tmp, data, permissions, true);
    rename(tmp, path, replace);
  }

  @Override public void writeAndRename(String tmp, String path, byte[] data, int permissions, boolean replace,
      String root) throws IOException {
    HostFiles.writeCheckRename(this, tmp, path, data, permissions, replace, root);
  }

  @Override public void append(String path, byte[] data) throws IOException { host.append(real(path), data); }
  @Override public void chown(String path, String owner, String group) throws IOException {
    host.chown(real(path), owner, group);
  }
  @Override public void chmod(String path, int permissions) throws IOException { host.chmod(real(path), permissions); }

  @Override public void rename(String from, String to, boolean replace) throws IOException {
    String realFrom = real(from);
    String realTo = real(to);
    if (realFrom.equals(realTo)) { // one entry: a rename to another spelling takes it
      Path named = Path.of(realTo).resolveSibling(Path.of(to).getFileName());
      if (!named.toString().equals(realFrom)) {
        Files.move(Path.of(realFrom), named, StandardCopyOption.ATOMIC_MOVE);
      }
      return;
    }
    host.rename(realFrom, realTo, replace);
  }

  @Override public boolean delete(String path) throws IOException { return host.delete(real(path)); }
  @Override public boolean deleteDirectory(String path) throws IOException { return host.deleteDirectory(real(path)); }
  @Override public List<String> files(String dir) throws IOException { return host.files(real(dir)); }
  @Override public java.util.Map<String, Stat.Type> entries(String dir) throws IOException {
    return host.entries(real(dir));
  }
  @Override public void mkdir(String path, int permissions) throws IOException { host.mkdir(real(path), permissions); }
  @Override public void mkdirs(String path) throws IOException { host.mkdirs(real(path)); }
  @Override public byte[] read(String path) throws IOException { return host.read(real(path)); }
  @Override public Stat stat(String path) throws IOException { return host.stat(real(path)); }

  @Override public String describe() {
    return "folding-" + host.describe();
  }
}

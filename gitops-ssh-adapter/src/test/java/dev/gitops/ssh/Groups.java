package dev.gitops.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Groups a test may move a file into: the file's group and another the test user may give it. */
final class Groups {
  private Groups() {}

  /** The group name of {@code file}. */
  static String of(Path file) throws IOException {
    return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group().getName();
  }

  /** Gives {@code file} the group {@code name}. */
  static void set(Path file, String name) throws IOException {
    Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setGroup(file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name));
  }

  /**
   * A group other than {@code file}'s that this user can give it (any group for root, else one of the
   * user's own groups), having given it; null when there is none (the user has one group).
   */
  static String moveToAnother(Path file) throws IOException {
    String current = of(file);
    for (String g : candidates()) {
      if (!g.equals(current)) {
        try {
          set(file, g);
          return g;
        } catch (IOException | UnsupportedOperationException e) {
          // not a group this user may give: try the next
        }
      }
    }
    return null;
  }

  private static List<String> candidates() throws IOException {
    List<String> out = new ArrayList<>();
    try {
      Process id = new ProcessBuilder("id", "-Gn").redirectErrorStream(true).start();
      String text = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (id.waitFor() == 0) {
        out.addAll(List.of(text.split("\\s+")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if ("root".equals(System.getProperty("user.name"))) {
      for (String line : Files.readAllLines(Path.of("/etc/group"))) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          out.add(line.substring(0, colon));
        }
      }
    }
    return out;
  }
}

package dev.gitops.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * The rule a private key file must meet before the library uses it: OpenSSH's
 * ({@code sshkey_perm_ok} in its {@code authfile.c}, which {@code ssh} and {@code ssh-add} apply to
 * every key they load). A key file <em>owned by the user this process runs as</em> (its real user id,
 * as OpenSSH's {@code getuid()}) must give group and others no access at all ({@code mode & 077 == 0}:
 * {@code 0600} and {@code 0400} pass; {@code 0644}, {@code 0640}, {@code 0604}, {@code 0610} do not). A
 * key file owned by another user (root's, in a Kubernetes Secret volume read by a non-root process)
 * is not checked, as OpenSSH does not check it: its user cannot {@code chmod} it anyway. Symbolic
 * links are followed (a Secret volume's files are links), and the mode is the target's.
 *
 * <p>Where the file system has no POSIX permissions (Windows' default file system) there is nothing to
 * check and every key passes: access there is governed by ACLs, which this check does not read. When
 * this JVM cannot tell its user id (the JDK module {@code jdk.security.auth} left out of a runtime
 * image), the owner's name is compared with {@code user.name} instead.
 *
 * <p>Apache MINA SSHD's own check ({@code KeyUtils.validateStrictKeyFilePermissions}) is not used: it
 * also refuses a key whose folder group or others may read ({@code /etc/gitops}, {@code 0755}) and a key
 * owned by any user but this one or root, which OpenSSH accepts. Stateless and thread-safe.
 *
 * <pre>{@code
 * PrivateKeyFiles.refusal(Path.of("/etc/gitops/id_ed25519")).ifPresent(why -> { throw new IllegalStateException(why); });
 * }</pre>
 */
public final class PrivateKeyFiles {
  private static final int GROUP_AND_OTHERS = 077;

  private PrivateKeyFiles() {}

  /**
   * Why {@code key} must not be used, or empty when it may be. The reason names the file, its mode and
   * the command that helps ({@code chmod 600 FILE}), as OpenSSH's warning does; it never says anything
   * of the file's content (which is not read).
   *
   * @param key a private key file; not null
   * @return e.g. {@code permissions 0644 of private key file /ci/id_ed25519 are too open: ...}; empty
   *     when OpenSSH would use the file
   * @throws IOException when the file's attributes cannot be read (it does not exist, say)
   */
  public static Optional<String> refusal(Path key) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(key, PosixFileAttributeView.class);
    if (view == null) {
      return Optional.empty(); // no POSIX permissions on this file system
    }
    int mode = mode(view.readAttributes().permissions());
    if ((mode & GROUP_AND_OTHERS) == 0 || !ownedByThisUser(key)) {
      return Optional.empty();
    }
    String file = key.toString();
    String chmod = "chmod 600 " + (file.matches("[A-Za-z0-9_./@%+=:,-]+") ? file : "'" + file.replace("'", "'\\''") + "'");
    return Optional.of(String.format("permissions 0%03o of private key file %s are too open: group and others must"
        + " have no access to a private key (OpenSSH ignores such a key); %s%s", mode, file, chmod, volumeHint(key)));
  }

  /** POSIX permissions as the low nine bits of a mode. */
  private static int mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 0400 >> p.ordinal(); // OWNER_READ is ordinal 0, OTHERS_EXECUTE ordinal 8
    }
    return mode;
  }

  private static boolean ownedByThisUser(Path key) throws IOException {
    Object owner;
    try {
      owner = Files.getAttribute(key, "unix:uid");
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return true; // a POSIX file system without owner ids: hold the file to the rule
    }
    long uid;
    try {
      uid = new com.sun.security.auth.module.UnixSystem().getUid();
    } catch (LinkageError e) { // jdk.security.auth not in this runtime
      return Files.getOwner(key).getName().equals(System.getProperty("user.name"));
    }
    return owner instanceof Integer id && id == uid;
  }

  /**
   * What helps when {@code chmod} cannot: a file of a Kubernetes Secret or ConfigMap volume (a link into
   * a {@code ..<timestamp>} folder the kubelet writes) gets its mode from the volume's {@code defaultMode}.
   */
  private static String volumeHint(Path key) {
    try {
      Path real = key.toRealPath();
      Path folder = real.getParent() == null ? null : real.getParent().getFileName();
      return folder != null && folder.toString().startsWith("..")
          ? " (a file of a Kubernetes Secret volume: set the volume's defaultMode to 0400)" : "";
    } catch (IOException e) {
      return "";
    }
  }
}

package dev.gitops.ssh;

import static dev.gitops.ssh.FilesTargetContract.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.FileMode;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.Scope;
import dev.gitops.testing.ssh.OpenSshd;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deploy account that is not root, on a real {@code sshd}: it may give a file it owns any group it
 * is in ({@code chown(2)}), so an update keeps the replaced file's group when that is one of the
 * account's groups (before, the file took the account's primary group), and says in the step's
 * detail when it could not keep it. Over {@link SshHost} (SFTP) and {@link SystemSshHost} (the shell).
 * The account and a group of its own are made for the run ({@code useradd}, {@code groupadd}) and
 * removed after it; skipped unless the tests run as root.
 */
class NonRootGroupIT {
  private static final String OWNER = "web";
  private static final int NOGROUP = 65534;
  private static final String NAME = "gops" + ProcessHandle.current().pid();
  /** A group of the account's other than its primary one (useradd makes that, named as the account). */
  private static final String GROUP = NAME + "g";
  private static Path base;
  private static OpenSshd sshd;
  private static int gid;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(SshClients.systemSshAvailable(), "OpenSSH sshd or ssh not installed: skipping");
    assumeTrue("root".equals(System.getProperty("user.name")), "not root: cannot add an account");
    assumeTrue(run("groupadd", GROUP) == 0, "groupadd failed: skipping");
    assumeTrue(run("useradd", "-M", "-d", "/", "-s", "/bin/sh", "-G", GROUP, NAME) == 0, "useradd failed: skipping");
    run("usermod", "-p", "*", NAME); // not locked ('!'): sshd without PAM refuses a locked account
    gid = Integer.parseInt(new String(new ProcessBuilder("getent", "group", GROUP).start().getInputStream()
        .readAllBytes()).split(":")[2]);
    base = Files.createTempDirectory("gitops-nonroot");
    Files.setAttribute(base, "unix:mode", 0755); // the account reads authorized_keys under it, and writes its root
    sshd = OpenSshd.start(base.resolve("sshd"), "AllowUsers " + NAME);
  }

  @AfterAll
  static void stop() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
    run("userdel", "-f", NAME); // -f: a session process of the account may still be ending
    run("groupdel", GROUP);
  }

  private static int run(String... command) throws Exception {
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  private static int id(Path file, String which) throws Exception {
    return (Integer) Files.getAttribute(file, "unix:" + which, LinkOption.NOFOLLOW_LINKS);
  }

  /** A root of the account's, with {@code conf} created through {@code host} and then given {@code group}. */
  private static Path created(Host host, String name, int group) throws Exception {
    Path root = Files.createDirectories(base.resolve(name));
    run("chown", NAME, root.toString());
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      target.apply(new Action.Create(file("conf", "v1\n", FileMode.of(0640))), OWNER);
    }
    Path conf = root.resolve("conf");
    assertTrue(id(conf, "gid") != gid && id(conf, "gid") != NOGROUP, "a new file has the account's primary group");
    Files.setAttribute(conf, "unix:gid", group, LinkOption.NOFOLLOW_LINKS);
    return root;
  }

  /** Updates {@code conf} through {@code host}; the step's detail. */
  private static String update(Host host, Path root) {
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      Resource v2 = file("conf", "v2\n", FileMode.of(0640));
      Observed read = target.read(Scope.owned(OWNER)).get(ResourceId.file("conf"));
      return target.applyWithDetail(new Action.Update(v2, ResourceDiff.none(v2.id()), read.fingerprint()), OWNER);
    }
  }

  private static void keepsAGroupOfTheAccount(Supplier<Host> hosts, String name) throws Exception {
    try (Host host = hosts.get()) {
      Path root = created(host, name, gid);
      assertEquals("", update(host, root));
      assertEquals("v2\n", Files.readString(root.resolve("conf")));
      assertEquals(gid, id(root.resolve("conf"), "gid"), "the replaced file's group, one of the account's");
      assertEquals(0640, id(root.resolve("conf"), "mode") & 07777);

      Path other = created(host, name + "-other", NOGROUP);
      String detail = update(host, other);
      assertTrue(detail.startsWith("group not kept: the file replaced had gid 65534; it has the group a new file of"
          + " uid " + id(other.resolve("conf"), "uid") + " gets now"), detail);
      assertEquals("v2\n", Files.readString(other.resolve("conf")));
    }
  }

  @Test
  void sshHostKeepsTheReplacedFilesGroupWhenTheAccountIsInIt() throws Exception {
    keepsAGroupOfTheAccount(() -> {
      try {
        return SshClients.to(sshd).user(NAME).build();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }, "sftp");
  }

  @Test
  void systemSshHostKeepsTheReplacedFilesGroupWhenTheAccountIsInIt() throws Exception {
    keepsAGroupOfTheAccount(() -> SshClients.system(sshd).user(NAME).build(), "exec");
  }
}

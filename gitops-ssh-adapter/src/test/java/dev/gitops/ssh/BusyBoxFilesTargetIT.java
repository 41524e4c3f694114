package dev.gitops.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suites over a host whose every command runs under BusyBox, as on Alpine: its
 * {@code sh} (ash, not dash or bash) and its applets ({@code stat}, {@code find}, {@code xargs},
 * {@code mv}, {@code chown}, ...), with only GNU tar and GNU {@code timeout} added, what the README
 * says a host needs. Every file operation is {@link Host}'s shell default (as over
 * {@link SystemSshHost}), run locally with a {@code PATH} of BusyBox's applets alone. Skipped where
 * {@code /bin/busybox} is not installed ({@code .ci/run} installs Debian's {@code busybox}).
 */
class BusyBoxFilesTargetIT extends FilesTargetSuite {
  private static final Path BUSYBOX = Path.of("/bin/busybox");
  private static Path bin;

  @BeforeAll
  static void applets() throws Exception {
    assumeTrue(Files.isExecutable(BUSYBOX), "BusyBox not installed: skipping (apt-get install busybox)");
    bin = Files.createTempDirectory("busybox-bin");
    Host.Result list = LocalHost.create().exec(List.of(BUSYBOX.toString(), "--list"), new byte[0]);
    for (String applet : new String(list.stdout(), StandardCharsets.US_ASCII).split("\n")) {
      if (!applet.isBlank()) {
        Files.createSymbolicLink(bin.resolve(applet.strip()), BUSYBOX);
      }
    }
    for (String gnu : List.of("tar", "timeout")) {
      Path link = bin.resolve(gnu);
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, Files.isExecutable(Path.of("/bin", gnu)) ? Path.of("/bin", gnu)
          : Path.of("/usr/bin", gnu));
    }
  }

  @AfterAll
  static void removeApplets() throws IOException {
    if (bin != null) {
      try (var links = Files.list(bin)) {
        for (Path link : links.toList()) {
          Files.delete(link);
        }
      }
      Files.delete(bin);
    }
  }

  /** BusyBox's {@code stat} has no {@code --printf}: the host proves nothing by digest. */
  @Override
  public boolean provesByDigest() {
    return false;
  }

  @Override
  Host openHost() {
    return new EnvHost(List.of("-i", "PATH=" + bin, "HOME=" + System.getProperty("user.home"), "LC_ALL=C"));
  }
}

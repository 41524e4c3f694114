package dev.gitops.ssh;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link HostContract} over {@link LocalHost}. */
class LocalHostTest implements HostContract {
  @TempDir
  Path dir;

  @Override
  public Host host() {
    return LocalHost.create();
  }

  @Override
  public Path dir() {
    return dir;
  }
}

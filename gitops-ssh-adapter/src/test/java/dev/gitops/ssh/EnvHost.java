package dev.gitops.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * This machine as a host whose every command runs under {@code env} with the given settings (a
 * {@code PATH} of other tools first, or alone), to test what a host with other tools does; every
 * file operation is {@link Host}'s shell default, as over {@link SystemSshHost}.
 */
final class EnvHost implements Host {
  private final LocalHost local = LocalHost.create();
  private final List<String> env;

  /** @param settings arguments of {@code env} before the command, e.g. {@code -i} and {@code PATH=...} */
  EnvHost(List<String> settings) {
    this.env = new ArrayList<>(List.of("env"));
    this.env.addAll(settings);
  }

  private List<String> under(List<String> command) {
    List<String> argv = new ArrayList<>(env);
    argv.addAll(command);
    return argv;
  }

  @Override public Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
    return local.exec(under(command), stdin, timeout);
  }

  @Override public Result execKeepingTail(List<String> command, byte[] stdin, Duration timeout, int keep)
      throws IOException {
    return local.execKeepingTail(under(command), stdin, timeout, keep);
  }

  @Override public Channel start(List<String> command) throws IOException {
    return local.start(under(command));
  }

  @Override public String describe() {
    return "env" + local.describe();
  }

  @Override public void close() {
    local.close();
  }
}

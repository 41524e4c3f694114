package dev.gitops.source;

import dev.gitops.testing.ssh.SshKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * An ed25519 SSH signing key made by {@code ssh-keygen} (the test is aborted without it) and an
 * {@code allowed_signers} file that allows it for {@code author@example.com}.
 */
record SshSigner(Path key, Path allowedSigners) {
  static SshSigner create(Path dir) throws IOException, InterruptedException {
    Path key = dir.resolve("signing_key");
    try {
      SshKeys.ed25519(key, "");
    } catch (IOException e) {
      Assumptions.abort("SKIPPED: ssh-keygen unavailable: " + e.getMessage());
    }
    Path allowed = dir.resolve("allowed_signers");
    allowOnly(allowed, key);
    return new SshSigner(key, allowed);
  }

  /** Rewrites {@code allowedSigners} to allow the public half of {@code key} only. */
  static void allowOnly(Path allowedSigners, Path key) throws IOException {
    Files.writeString(allowedSigners, "author@example.com namespaces=\"git\" " + Files.readString(Path.of(key + ".pub")));
  }
}

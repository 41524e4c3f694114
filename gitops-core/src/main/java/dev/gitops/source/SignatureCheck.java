package dev.gitops.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.signing.ssh.SshSignatureVerifierFactory;

/**
 * Checks that a commit (or an annotated tag on it) is signed by an allowed key. SSH signatures go through JGit's own verifier
 * ({@code org.eclipse.jgit.ssh.apache}) with the allowed-signers file set in a private
 * {@link GpgConfig}. OpenPGP signatures are checked by {@link OpenPgpSignatures} with Bouncy Castle,
 * an optional dependency that only that class touches, so SSH verification works without it.
 * Not part of the public API.
 */
final class SignatureCheck {
  private SignatureCheck() {}

  /**
   * Returns a description of the accepted signature, or throws {@link IllegalStateException} with
   * the reasons the commit is refused. A commit passes when it, or an annotated tag on it (a signed
   * release tag), carries a valid signature by an allowed key.
   */
  public static String check(Repository repo, RevCommit commit, List<Verification> allowed) throws IOException {
    List<String> reasons = new ArrayList<>();
    byte[] signature = commit.getRawGpgSignature();
    if (signature == null) {
      reasons.add("the commit has no signature");
    } else {
      String ok = anyOf(repo, unsignedPayload(commit.getRawBuffer()), signature, allowed, reasons);
      if (ok != null) {
        return "commit signed by " + ok;
      }
    }
    for (RevTag tag : tagsOn(repo, commit)) {
      byte[] tagSignature = tag.getRawGpgSignature();
      byte[] raw = tag.getRawBuffer();
      String ok = anyOf(repo, Arrays.copyOf(raw, raw.length - tagSignature.length), tagSignature, allowed, reasons);
      if (ok != null) {
        return "tag " + tag.getTagName() + " signed by " + ok;
      }
    }
    throw new IllegalStateException("commit " + commit.name()
        + (signature == null ? " is not signed" : " is not signed by an allowed key")
        + ", nor is an annotated tag on it: " + String.join("; ", reasons));
  }

  private static String anyOf(Repository repo, byte[] payload, byte[] signature, List<Verification> allowed,
      List<String> reasons) throws IOException {
    String text = new String(signature, StandardCharsets.US_ASCII);
    for (Verification v : allowed) {
      String ok = switch (v.kind()) {
        case OPENPGP -> text.startsWith("-----BEGIN PGP SIGNATURE-----")
            ? OpenPgpSignatures.verify(payload, signature, (Verification.OpenPgp) v, reasons) : null;
        case SSH -> text.startsWith("-----BEGIN SSH SIGNATURE-----")
            ? ssh(repo, payload, signature, (Verification.Ssh) v, reasons) : null;
      };
      if (ok != null) {
        return ok;
      }
    }
    if (reasons.isEmpty()) {
      reasons.add("no allowed key of the signature's type");
    }
    return null;
  }

  /** Signed annotated tags in the cache that point at {@code commit}. */
  private static List<RevTag> tagsOn(Repository repo, RevCommit commit) throws IOException {
    List<RevTag> tags = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
        Ref peeled = repo.getRefDatabase().peel(ref);
        if (commit.equals(peeled.getPeeledObjectId())) {
          RevTag tag = walk.parseTag(ref.getObjectId());
          if (tag.getRawGpgSignature() != null) {
            tags.add(tag);
          }
        }
      }
    }
    return tags;
  }

  private static String ssh(Repository repo, byte[] payload, byte[] sig, Verification.Ssh v, List<String> reasons)
      throws IOException {
    Config config = new Config();
    config.setString("gpg", "ssh", "allowedSignersFile", v.allowedSigners().toAbsolutePath().toString());
    SignatureVerifier verifier = new SshSignatureVerifierFactory().create();
    SignatureVerifier.SignatureVerification r = verifier.verify(repo, new GpgConfig(config), payload, sig);
    if (r != null && r.verified()) {
      return "SSH key " + r.keyFingerprint() + " (" + r.keyUser() + ")";
    }
    reasons.add("SSH signature " + (r == null ? "unreadable" : "by " + r.keyFingerprint() + " rejected: " + r.message()));
    return null;
  }

  /** The commit as it was signed: its raw bytes without the {@code gpgsig} header and its continuation lines. */
  static byte[] unsignedPayload(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    int i = 0;
    boolean inHeaders = true;
    boolean skipping = false;
    while (i < raw.length) {
      int end = i;
      while (end < raw.length && raw[end] != '\n') {
        end++;
      }
      int next = Math.min(end + 1, raw.length);
      if (inHeaders) {
        if (end == i) {
          inHeaders = false;
        } else if (skipping && raw[i] == ' ') {
          i = next;
          continue;
        } else {
          skipping = startsWith(raw, i, "gpgsig ");
          if (skipping) {
            i = next;
            continue;
          }
        }
      }
      out.write(raw, i, next - i);
      i = next;
    }
    return out.toByteArray();
  }

  private static boolean startsWith(byte[] raw, int at, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    if (at + p.length > raw.length) {
      return false;
    }
    for (int k = 0; k < p.length; k++) {
      if (raw[at + k] != p[k]) {
        return false;
      }
    }
    return true;
  }

}

package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Revision;
import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.ssh.SshKeys;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Date;
import java.util.Map;
import java.util.function.Function;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signature verification with keys generated in the test: OpenPGP (Bouncy Castle) and SSH (ssh-keygen). */
class GitSignatureIT {
  private static final PersonIdent ME = new PersonIdent("Test Author", "author@example.com");
  @TempDir Path tmp;
  @AutoClose private GitRepo repo;

  @BeforeEach
  void initRemote() {
    repo = GitRepo.init(tmp.resolve("remote"));
  }

  private GitSource source(Verification v) {
    return GitSource.builder(repo.dir().toString()).ref("main").cache(tmp.resolve("cache")).verify(v).build();
  }

  @Test
  void aCommitSignedByAnAllowedOpenPgpKeyPassesAndAnUnsignedOneIsRefused() throws Exception {
    PGPKeyPair allowed = pgpKey();
    Path keys = tmp.resolve("allowed.asc");
    Files.write(keys, armoredPublicKey(allowed, "Release <release@example.com>"));
    repo.commit("base", Map.of("app.yaml", "v: 1\n"));
    RevCommit signed = signedCommit("signed", payload -> pgpSign(allowed, payload));
    try (GitSource source = source(Verification.openPgp(keys))) {
      Revision r = source.latest();
      assertEquals(signed.name(), r.id());
      assertEquals("v: 1\n", source.fetch(r).text("app.yaml"));

      String unsigned = repo.commit("unsigned", Map.of("app.yaml", "v: 2\n"));
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().contains("not signed") && e.getMessage().contains(unsigned), e.getMessage());
      assertThrows(SourceException.class, () -> source.fetch(Revision.of(unsigned)));
    }
  }

  @Test
  void aCommitSignedByAnotherOpenPgpKeyIsRefused() throws Exception {
    Path keys = tmp.resolve("allowed.asc");
    Files.write(keys, armoredPublicKey(pgpKey(), "Release <release@example.com>"));
    PGPKeyPair stranger = pgpKey();
    repo.commit("base", Map.of("app.yaml", "v: 1\n"));
    RevCommit bad = signedCommit("signed by a stranger", payload -> pgpSign(stranger, payload));
    try (GitSource source = source(Verification.openPgp(keys))) {
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().contains("not signed by an allowed key"), e.getMessage());
      assertThrows(SourceException.class, () -> source.fetch(Revision.of(bad.name())));
    }
  }

  @Test
  void sshSignaturesAreCheckedAgainstTheAllowedSignersFile() throws Exception {
    SshSigner signer = SshSigner.create(tmp);
    Path key = signer.key();
    Path allowed = signer.allowedSigners();
    repo.commit("base", Map.of("app.yaml", "v: 1\n"));
    RevCommit signed = signedCommit("ssh signed", payload -> sshSign(key, payload));
    try (GitSource source = source(Verification.ssh(allowed))) {
      assertEquals(signed.name(), source.fetch(source.latest()).revision().id());
    }
    Path other = tmp.resolve("other_key");
    SshKeys.ed25519(other, "");
    SshSigner.allowOnly(allowed, other);
    try (GitSource source = source(Verification.ssh(allowed))) {
      SourceException e = assertThrows(SourceException.class, source::latest);
      assertTrue(e.getMessage().contains("SSH signature"), e.getMessage());
    }
  }

  @Test
  void anUnsignedCommitUnderASignedReleaseTagPasses() throws Exception {
    PGPKeyPair allowed = pgpKey();
    Path keys = tmp.resolve("allowed.asc");
    Files.write(keys, armoredPublicKey(allowed, "Release <release@example.com>"));
    RevCommit released = repo.git().getRepository().parseCommit(
        repo.git().getRepository().resolve(repo.commit("release", Map.of("app.yaml", "v: 1\n"))));
    signedTag("v1.0.0", released, payload -> pgpSign(allowed, payload));
    repo.commit("unreleased", Map.of("app.yaml", "v: 2\n"));
    try (GitSource source = GitSource.builder(repo.dir().toString()).ref("semver:>=1.0.0").cache(tmp.resolve("cache"))
        .verify(Verification.openPgp(keys)).build()) {
      Revision r = source.latest();
      assertEquals(released.name(), r.id());
      assertEquals("v: 1\n", source.fetch(r).text("app.yaml"));
      SourceException e = assertThrows(SourceException.class, () -> source.resolve("main"));
      assertTrue(e.getMessage().contains("nor is an annotated tag on it"), e.getMessage());
    }
  }

  private void signedTag(String name, RevCommit commit, Function<byte[], byte[]> signer) throws Exception {
    Repository r = repo.git().getRepository();
    TagBuilder tb = new TagBuilder();
    tb.setObjectId(commit);
    tb.setTag(name);
    tb.setTagger(ME);
    tb.setMessage("release " + name + "\n");
    tb.setGpgSignature(new GpgSignature(signer.apply(tb.build())));
    ObjectId id;
    try (ObjectInserter ins = r.newObjectInserter()) {
      id = ins.insert(tb);
      ins.flush();
    }
    RefUpdate ru = r.updateRef("refs/tags/" + name);
    ru.setNewObjectId(id);
    ru.forceUpdate();
  }

  /** Commits the current tree again on top of HEAD with a signature made by {@code signer}. */
  private RevCommit signedCommit(String message, Function<byte[], byte[]> signer) throws Exception {
    Repository r = repo.git().getRepository();
    RevCommit head = r.parseCommit(r.resolve("HEAD"));
    CommitBuilder cb = new CommitBuilder();
    cb.setTreeId(head.getTree());
    cb.setParentId(head);
    cb.setAuthor(ME);
    cb.setCommitter(ME);
    cb.setMessage(message);
    cb.setGpgSignature(new GpgSignature(signer.apply(cb.build())));
    ObjectId id;
    try (ObjectInserter ins = r.newObjectInserter()) {
      id = ins.insert(cb);
      ins.flush();
    }
    RefUpdate ru = r.updateRef("refs/heads/main");
    ru.setNewObjectId(id);
    ru.forceUpdate();
    return r.parseCommit(id);
  }

  private static PGPKeyPair pgpKey() throws Exception {
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
    kpg.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    return new JcaPGPKeyPair(PGPPublicKey.ECDSA, kpg.generateKeyPair(), new Date());
  }

  private static byte[] armoredPublicKey(PGPKeyPair pair, String userId) throws Exception {
    PGPKeyRingGenerator gen = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId,
        new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1), null, null,
        new JcaPGPContentSignerBuilder(PGPPublicKey.ECDSA, HashAlgorithmTags.SHA256), null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
      gen.generatePublicKeyRing().encode(armored);
    }
    return out.toByteArray();
  }

  private static byte[] pgpSign(PGPKeyPair pair, byte[] payload) {
    try {
      PGPSignatureGenerator sg = new PGPSignatureGenerator(
          new JcaPGPContentSignerBuilder(PGPPublicKey.ECDSA, HashAlgorithmTags.SHA256), pair.getPublicKey());
      sg.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
      sg.update(payload);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
        sg.generate().encode(armored);
      }
      return out.toByteArray();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] sshSign(Path key, byte[] payload) {
    try {
      Path file = Files.write(tmp.resolve("payload"), payload);
      Process p = new ProcessBuilder("ssh-keygen", "-Y", "sign", "-n", "git", "-f", key.toString(), file.toString())
          .redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.flush();
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("ssh-keygen -Y sign failed: " + out);
      }
      return Files.readAllBytes(Path.of(file + ".sig"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

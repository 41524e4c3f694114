package dev.gitops.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.util.encoders.Hex;

/**
 * OpenPGP signatures checked with Bouncy Castle against the configured key ring only (JGit's
 * OpenPGP verifier reads keys from the process-wide GnuPG home, which cannot express "these keys
 * and no others"). The only class of the library that touches Bouncy Castle, an optional
 * dependency: it is loaded only when an OpenPGP signature is checked, after
 * {@link OpenPgpSupport#require()} made sure Bouncy Castle is there.
 */
final class OpenPgpSignatures {
  private OpenPgpSignatures() {}

  /** The signer's description, or null with the reason added to {@code reasons}. */
  static String verify(byte[] payload, byte[] sig, Verification.OpenPgp v, List<String> reasons) throws IOException {
    OpenPgpSupport.require();
    try (InputStream keyIn = PGPUtil.getDecoderStream(Files.newInputStream(v.publicKeys()));
        InputStream sigIn = PGPUtil.getDecoderStream(new ByteArrayInputStream(sig))) {
      PGPPublicKeyRingCollection keys = new PGPPublicKeyRingCollection(keyIn, new BcKeyFingerprintCalculator());
      Object o = new BcPGPObjectFactory(sigIn).nextObject();
      if (!(o instanceof PGPSignatureList list) || list.isEmpty()) {
        reasons.add("OpenPGP signature unreadable");
        return null;
      }
      PGPSignature s = list.get(0);
      PGPPublicKey key = keys.getPublicKey(s.getKeyID());
      if (key == null) {
        reasons.add("OpenPGP key " + Long.toHexString(s.getKeyID()).toUpperCase() + " is not in " + v.publicKeys());
        return null;
      }
      s.init(new BcPGPContentVerifierBuilderProvider(), key);
      s.update(payload);
      if (!s.verify()) {
        reasons.add("OpenPGP signature by " + fingerprint(key) + " does not match the commit");
        return null;
      }
      return "OpenPGP key " + fingerprint(key) + userId(key);
    } catch (PGPException | RuntimeException e) {
      reasons.add("OpenPGP check failed: " + e.getMessage());
      return null;
    }
  }

  private static String fingerprint(PGPPublicKey key) {
    return Hex.toHexString(key.getFingerprint()).toUpperCase();
  }

  private static String userId(PGPPublicKey key) {
    Iterator<String> ids = key.getUserIDs();
    return ids.hasNext() ? " (" + ids.next() + ")" : "";
  }
}

package dev.gitops.internal.plan;

import dev.gitops.diff.PathRule;
import dev.gitops.diff.Suppressed;
import dev.gitops.internal.Digests;
import dev.gitops.internal.diff.SecretValues;
import dev.gitops.plan.Action;
import dev.gitops.plan.Wave;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Plan fingerprints: SHA-256 over what the plan does — the owner, then wave by wave every step:
 * for a step that changes something the canonical JSON the plan's JSON holds for it (kind, id,
 * precondition, desired content, diff; sensitive values only as digests), for a no-op its id and
 * suppressed counts. The revision is not covered. Every field is length-prefixed, so two plans
 * have equal fingerprints exactly when their JSON is equal but for the revision. Unchanged
 * resources cost one id each: no content is serialised or digested for them. Not part of the
 * public API.
 */
public final class Fingerprints {
  private Fingerprints() {}

  /** The fingerprint of a plan for {@code owner} with {@code waves}. */
  public static String of(String owner, List<Wave> waves, List<PathRule> sensitive) {
    IdFields ids = new IdFields(16);
    List<int[]> steps = new ArrayList<>(waves.size());
    for (Wave w : waves) {
      int[] wave = new int[w.actions().size()];
      for (int i = 0; i < wave.length; i++) {
        wave[i] = ids.size();
        ids.add(w.actions().get(i).id());
      }
      steps.add(wave);
    }
    return of(owner, waves, steps, ids, sensitive);
  }

  /**
   * The same fingerprint, reading the ids of no-ops from {@code ids} (written as the planner made
   * each step) where {@code ordered} says which apply step each is.
   */
  public static String of(String owner, WaveBuilder.Ordered ordered, IdFields ids,
                          List<PathRule> sensitive) {
    return of(owner, ordered.waves(), ordered.applySteps(), ids, sensitive);
  }

  private static String of(String owner, List<Wave> waves, List<int[]> applySteps, IdFields ids,
                           List<PathRule> sensitive) {
    PlanJsonWriter writer = null; // made for the first step that changes something: no-ops need no JSON
    Fields d = new Fields(Digests.sha256());
    d.put("gitops-plan-1");
    d.put(owner);
    for (int w = 0; w < waves.size(); w++) {
      Wave wave = waves.get(w);
      int[] steps = applySteps.get(w);
      List<Action> actions = wave.actions();
      d.put("wave " + wave.index() + " " + actions.size());
      for (int i = 0, n = actions.size(); i < n; i++) {
        Action a = actions.get(i);
        if (a instanceof Action.NoOp noop) {
          d.put("noop");
          if (steps != null) {
            d.putField(ids.bytes(), ids.start(steps[i]), ids.end(steps[i]));
          } else { // no-ops are apply steps: not expected in a wave without indices
            IdFields one = new IdFields(1);
            one.add(noop.id());
            d.putField(one.bytes(), one.start(0), one.end(0));
          }
          if (!noop.diff().changes().isEmpty()) {
            writer = writer != null ? writer : new PlanJsonWriter(SecretValues.with(sensitive));
            d.put(writer.canonicalAction(a));
          }
          for (Suppressed s : noop.diff().suppressed()) {
            d.put(s.rule());
            d.put(Integer.toString(s.count()));
          }
        } else {
          d.put(a.kind().word());
          writer = writer != null ? writer : new PlanJsonWriter(SecretValues.with(sensitive));
          d.put(writer.canonicalAction(a));
        }
      }
    }
    return Digests.format(d.finish());
  }

  /**
   * Length-prefixed fields (4 bytes big-endian, then the UTF-8 bytes) gathered in a buffer and
   * digested a buffer at a time: a plan of 100,000 no-ops costs no string per id.
   */
  private static final class Fields {
    private final MessageDigest digest;
    private final byte[] buf = new byte[16 * 1024];
    private int n;

    Fields(MessageDigest digest) {
      this.digest = digest;
    }

    void put(String text) {
      if (text.length() <= buf.length - 4) {
        room(4 + text.length());
        int start = n;
        length(text.length());
        if (IdFields.ascii(text, buf, n)) {
          n += text.length();
          return;
        }
        n = start;
      }
      put(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A field already encoded (length prefix and text): {@code bytes[from, to)}. */
    void putField(byte[] bytes, int from, int to) {
      int length = to - from;
      if (length > buf.length - n) {
        flush();
        digest.update(bytes, from, length);
      } else {
        System.arraycopy(bytes, from, buf, n, length);
        n += length;
      }
    }

    void put(byte[] bytes) {
      room(4);
      length(bytes.length);
      if (bytes.length > buf.length - n) {
        flush();
        digest.update(bytes);
      } else {
        System.arraycopy(bytes, 0, buf, n, bytes.length);
        n += bytes.length;
      }
    }

    MessageDigest finish() {
      flush();
      return digest;
    }

    private void length(int length) {
      IdFields.prefix(length, buf, n);
      n += 4;
    }

    /** Flushes unless {@code bytes} more fit (callers never ask for more than the buffer). */
    private void room(int bytes) {
      if (bytes > buf.length - n) {
        flush();
      }
    }

    private void flush() {
      digest.update(buf, 0, n);
      n = 0;
    }
  }
}

package dev.gitops.internal.plan;

import dev.gitops.diff.PathRule;
import dev.gitops.diff.Suppressed;
import dev.gitops.internal.Digests;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Wave;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
    return of(owner, waves, null, null, sensitive);
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
    PlanJsonWriter writer = new PlanJsonWriter(PlanSecrets.rules(sensitive));
    Fields d = new Fields(Digests.sha256());
    d.put("gitops-plan-1");
    d.put(owner);
    for (int w = 0; w < waves.size(); w++) {
      Wave wave = waves.get(w);
      int[] steps = applySteps == null ? null : applySteps.get(w);
      List<Action> actions = wave.actions();
      d.put("wave " + wave.index() + " " + actions.size());
      for (int i = 0, n = actions.size(); i < n; i++) {
        Action a = actions.get(i);
        if (a instanceof Action.NoOp noop) {
          d.put("noop");
          if (steps != null) {
            d.putField(ids.bytes(), ids.start(steps[i]), ids.end(steps[i]));
          } else {
            d.put(noop.id());
          }
          if (!noop.diff().changes().isEmpty()) {
            d.put(writer.canonicalAction(a));
          }
          for (Suppressed s : noop.diff().suppressed()) {
            d.put(s.rule());
            d.put(Integer.toString(s.count()));
          }
        } else {
          d.put(a.kind().word());
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
        if (ascii(text)) {
          return;
        }
        n = start;
      }
      put(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The id as its text {@code [group/]Kind/namespace/name}, without building the string. */
    void put(ResourceId id) {
      String group = id.group();
      int length = (group.isEmpty() ? 0 : group.length() + 1) + id.kind().length() + 1
          + id.namespace().length() + 1 + id.name().length();
      if (length <= buf.length - 4) {
        room(4 + length);
        int start = n;
        length(length);
        boolean ascii = true;
        if (!group.isEmpty()) {
          ascii = ascii(group);
          buf[n++] = '/';
        }
        ascii &= ascii(id.kind());
        buf[n++] = '/';
        ascii &= ascii(id.namespace());
        buf[n++] = '/';
        if (ascii & ascii(id.name())) {
          return;
        }
        n = start;
      }
      put(id.toString());
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
      buf[n++] = (byte) (length >>> 24);
      buf[n++] = (byte) (length >>> 16);
      buf[n++] = (byte) (length >>> 8);
      buf[n++] = (byte) length;
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

    /**
     * Appends {@code s} a byte per char and returns true when it is ASCII (those bytes are then its
     * UTF-8 form); when it is not, the caller rewinds. One pass; the caller made room.
     */
    private boolean ascii(String s) {
      int at = n;
      int seen = 0;
      for (int i = 0, len = s.length(); i < len; i++) {
        char c = s.charAt(i);
        seen |= c;
        buf[at + i] = (byte) c;
      }
      n = at + s.length();
      return seen < 0x80;
    }
  }
}

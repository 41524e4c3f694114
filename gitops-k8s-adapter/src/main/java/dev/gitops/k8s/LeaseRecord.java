package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.target.Lockable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A lock's Lease as the cluster holds it, read leniently: a Lease made or edited by hand (no
 * {@code spec}, no holder, a time that is no time) is read, never refused, so that it can still be
 * judged, shown and taken over. Not public API.
 *
 * @param version the Lease's {@code resourceVersion}
 * @param holder who holds it: {@code unknown} when the Lease names nobody, since the epoch when
 *     it says no time
 * @param named true when {@code spec.holderIdentity} names a holder
 * @param legacy true for the lock of an older gitops, which never renewed it: it names its holder,
 *     its process and when it took it, and states no lease
 * @param renewed {@code spec.renewTime}, null when absent or no time
 * @param stated {@code spec.leaseDurationSeconds} when above 0, else null: a lock of a gitops
 *     that renews its Lease states how long it lasts unrenewed
 * @param transitions {@code spec.leaseTransitions}, 0 when absent
 */
record LeaseRecord(String version, Lockable.Holder holder, boolean named, boolean legacy, Instant renewed,
                   Duration stated, int transitions) {
  /** {@value}: how many seconds a lock of this gitops lasts without renewal. */
  static final int DURATION_SECONDS = 60;
  /** How long a lock of this gitops lasts without renewal; its holder renews it three times as often. */
  static final Duration DURATION = Duration.ofSeconds(DURATION_SECONDS);
  /** The longest lease a Lease may state and be believed: a longer one (edited by hand) lasts this long. */
  static final Duration LONGEST = Duration.ofHours(1);
  static final String HOST = "gitops.dev/lock-host";
  static final String PID = "gitops.dev/lock-pid";
  static final String MACHINE = "gitops.dev/lock-machine";
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

  /** The record of a Lease as the API server returned it. */
  static LeaseRecord of(JsonNode lease) {
    JsonNode spec = lease.path("spec");
    JsonNode notes = lease.path("metadata").path("annotations");
    String by = spec.path("holderIdentity").isTextual() ? spec.path("holderIdentity").textValue().strip() : "";
    long pid;
    try {
      pid = Long.parseLong(notes.path(PID).asText("-1"));
    } catch (NumberFormatException e) {
      pid = -1;
    }
    Instant since = time(spec.path("acquireTime"));
    JsonNode seconds = spec.path("leaseDurationSeconds");
    Duration stated = seconds.canConvertToInt() && seconds.isIntegralNumber() && seconds.intValue() > 0
        ? Duration.ofSeconds(seconds.intValue()) : null;
    return new LeaseRecord(lease.path("metadata").path("resourceVersion").asText(""),
        new Lockable.Holder(by.isEmpty() ? "unknown" : by, text(notes.path(HOST)), pid,
            since == null ? Instant.EPOCH : since, text(notes.path(MACHINE))),
        !by.isEmpty(), !by.isEmpty() && stated == null && since != null && notes.path(PID).isTextual(),
        time(spec.path("renewTime")), stated,
        spec.path("leaseTransitions").canConvertToInt() ? Math.max(0, spec.path("leaseTransitions").intValue()) : 0);
  }

  /**
   * The Lease of {@code holder}'s lock, taken or renewed at {@code now}: holder, machine and process
   * in annotations, {@value #DURATION_SECONDS} seconds of lease, {@code transitions} so far.
   */
  static ObjectNode lease(String namespace, String name, Lockable.Holder holder, Instant now, int transitions) {
    ObjectNode lease = Json.MAPPER.createObjectNode().put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
    ObjectNode metadata = lease.putObject("metadata").put("name", name).put("namespace", namespace);
    metadata.putObject("labels").put("app.kubernetes.io/managed-by", "gitops");
    metadata.putObject("annotations").put(HOST, holder.host()).put(PID, Long.toString(holder.pid()))
        .put(MACHINE, holder.machine());
    lease.putObject("spec").put("holderIdentity", holder.name()).put("acquireTime", micro(now))
        .put("renewTime", micro(now)).put("leaseDurationSeconds", DURATION_SECONDS)
        .put("leaseTransitions", transitions);
    return lease;
  }

  /** A {@code metav1.MicroTime} as the API server reads one: RFC 3339 with six fraction digits, UTC. */
  static String micro(Instant t) {
    return MICRO.format(t);
  }

  /**
   * True when the Lease lasts only while renewed: a lock of a gitops that renews its Lease (it
   * states its lease), or a Lease made or edited by hand (nobody renews it). False for a lock of an
   * older gitops, which never renewed its Lease.
   */
  boolean expires() {
    return !legacy;
  }

  /** How long it lasts without renewal: as stated, at most {@link #LONGEST}; else {@link #DURATION}. */
  Duration lease() {
    return stated == null ? DURATION : stated.compareTo(LONGEST) > 0 ? LONGEST : stated;
  }

  /** When it was renewed last, else taken; the epoch when it says neither. */
  Instant lastRenewal() {
    return renewed != null ? renewed : holder.since();
  }

  /**
   * True when its own times say it ran out at {@code now}, or cannot be believed: no holder, no
   * renewal time, or a renewal later than a lease from now (a clock far ahead, or a hand's edit).
   * Only a taker's own watch of the Lease, for a whole lease, decides; this says when to watch.
   */
  boolean looksOver(Instant now) {
    return !named || stated == null || renewed == null || renewed.isAfter(now.plus(lease()))
        || renewed.plus(lease()).isBefore(now);
  }

  /** What a taker can do about the lock: when it can be taken over, how to release it. */
  String remedy() {
    if (!named || !legacy && stated == null) {
      return "the Lease " + (named ? "states no lease" : "names no holder") + " (made or edited by hand?): it is"
          + " taken over once nobody has written it for " + lease().toSeconds() + " s, or release it with forceUnlock";
    }
    if (legacy) {
      return "its holder does not renew the Lease (an older gitops, or a Lease made by hand): it is taken over"
          + " only once its holder is provably gone or older than the taker's staleAfter; if the holder is gone,"
          + " release it with forceUnlock";
    }
    return "renewed at " + lastRenewal() + " by the holder's clock; taken over once nobody has renewed it for "
        + lease().toSeconds() + " s";
  }

  private static Instant time(JsonNode node) {
    if (!node.isTextual()) {
      return null;
    }
    Instant t = Times.parse(node.textValue(), true);
    return t != null ? t : Times.parse(node.textValue(), false);
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.textValue() : "";
  }
}

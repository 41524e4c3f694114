package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.target.Lockable;
import dev.gitops.target.LockedException;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The target lock of {@code KubernetesTarget}: a {@code coordination.k8s.io} Lease whose holder is
 * the lock holder, with the holder's machine and process id in annotations. Taking it is one create
 * (409 when held); a taken-over lease is replaced with an update carrying its {@code resourceVersion},
 * so two takers cannot both win. The holder renews the Lease every third of its lease
 * ({@link LeaseRecord#DURATION}) while it holds it ({@link LeaseHold}).
 *
 * <p>A held Lease is taken over when its holder is provably gone, or when it ran out: nobody wrote
 * it for a whole lease,
 * as the taker watched it by its own clock, never by the times written in it (the holder's clock,
 * which may be off), as client-go's leader election judges a Lease. The taker remembers what it saw
 * ({@link Sightings}), so an agent that tries again takes over as soon as the lease ran out; a taker
 * that sees the Lease for the first time and finds it run out by its own times (or unbelievable: no
 * holder, no time, renewed in the future) watches it for what is left of a lease, at most one, before
 * taking it over, and refuses at once otherwise. A Lease of an older gitops, which never renewed
 * it, states no lease: it is taken over once older than the taker's {@code staleAfter}, as before.
 */
final class LeaseLock {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeaseLock.class);
  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String target;
  private final Clock clock;
  private final ApplyOptions.Sleeper sleeper;
  private final Sightings sightings;
  private final boolean renewing;
  private final LongSupplier ticks;
  private final LeaseHolds holds;

  /** What a taker saw of the Leases it found held: per Lease, a version and when it first saw it. */
  static final class Sightings {
    private record Seen(String version, Instant at) {}

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    /** When this version of {@code lease} was first seen; {@code now} if it is new. */
    Instant since(String lease, String version, Instant now) {
      return seen.compute(lease, (k, s) -> s != null && s.version().equals(version) ? s : new Seen(version, now)).at();
    }

    void forget(String lease) {
      seen.remove(lease);
    }
  }

  /**
   * A lock named {@code name} in {@code namespace}, waiting with {@code sleeper}, remembering in
   * {@code sightings}; {@code target} describes the target in errors. {@code renewing} false leaves
   * renewals to whoever calls {@link LeaseHold#renew()} (tests). Its holds measure time by
   * {@code clock}.
   */
  LeaseLock(KubernetesClient client, String namespace, String name, String target, Clock clock,
            ApplyOptions.Sleeper sleeper, Sightings sightings, boolean renewing) {
    this(client, namespace, name, target, clock, ticks(clock), sleeper, sightings, renewing, null);
  }

  /**
   * As above; its holds measure how long ago they renewed by {@code ticks} (nanoseconds, monotonic:
   * {@code System::nanoTime}), and register with {@code holds} (or null) while they hold the lock.
   */
  LeaseLock(KubernetesClient client, String namespace, String name, String target, Clock clock, LongSupplier ticks,
            ApplyOptions.Sleeper sleeper, Sightings sightings, boolean renewing, LeaseHolds holds) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.target = target;
    this.clock = clock;
    this.ticks = ticks;
    this.sleeper = sleeper;
    this.sightings = sightings;
    this.renewing = renewing;
    this.holds = holds;
  }

  /** Nanoseconds by {@code clock}: a clock that tests move by hand. */
  static LongSupplier ticks(Clock clock) {
    return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
  }

  /** Takes the lock or throws {@link LockedException}. */
  public Lockable.Lock lock(String holder, Duration staleAfter) {
    Lockable.Holder self = Lockable.Holder.self(holder, clock.instant());
    for (int attempt = 0; attempt < 3; attempt++) {
      Instant now = clock.instant();
      long sent = ticks.getAsLong();
      try {
        String created = client.raw(url(false), "POST", Json.write(LeaseRecord.lease(namespace, name, self, now, 0)));
        if (created == null) {
          throw new TargetException(null, "cannot take lock " + namespace + "/" + name + ": HTTP 404 (does namespace "
              + namespace + " exist?)");
        }
        return hold(Json.parse(created).path("metadata").path("resourceVersion").asText(""), holder, now, sent);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw failure("take", e);
        }
      }
      LeaseRecord current = read();
      LeaseRecord judged = current == null ? null : overdue(current, staleAfter);
      if (judged == null) {
        continue; // released meanwhile: try again
      }
      now = clock.instant();
      sent = ticks.getAsLong();
      var replacement = LeaseRecord.lease(namespace, name, self, now, judged.transitions() + 1);
      replacement.with("metadata").put("resourceVersion", judged.version());
      String body = Json.write(replacement);
      try {
        Lease written = client.leases().inNamespace(namespace)
            .resource(client.getKubernetesSerialization().unmarshal(body, Lease.class)).update();
        return hold(written.getMetadata().getResourceVersion(), holder, now, sent);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          throw new LockedException(target, judged.holder(), "someone else took it over first");
        }
        if (e.getCode() != 404) {
          throw failure("take over", e);
        }
      } // deleted meanwhile: try again
    }
    throw new LockedException(target, new Lockable.Holder("another taker (taken and released meanwhile)", "", -1,
        clock.instant(), ""), "try again");
  }

  /**
   * {@code current} when it may be taken over now; null when it went meanwhile.
   *
   * @throws LockedException when it is held
   */
  private LeaseRecord overdue(LeaseRecord current, Duration staleAfter) {
    Instant now = clock.instant();
    if (current.holder().isProvablyGone()) {
      return current;
    }
    if (!current.expires()) { // an older gitops's: it never renews, so only its age tells
      if (current.holder().isOlderThan(staleAfter, now)) {
        return current;
      }
      throw new LockedException(target, current.holder(), current.remedy());
    }
    Instant over = sightings.since(name, current.version(), now).plus(current.lease());
    if (!current.looksOver(now) && now.isBefore(over)) {
      throw new LockedException(target, current.holder(), current.remedy());
    }
    Duration poll = current.lease().dividedBy(6);
    for (int polls = 0; polls < 7 && now.isBefore(over); polls++) { // a live holder writes it every third of a lease
      Duration wait = Duration.between(now, over);
      try {
        sleeper.sleep(wait.compareTo(poll) < 0 ? wait : poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LockedException(target, current.holder(), "interrupted while waiting for it to run out");
      }
      LeaseRecord again = read();
      if (again == null) {
        return null;
      }
      if (!again.version().equals(current.version())) {
        sightings.since(name, again.version(), clock.instant());
        throw new LockedException(target, again.holder(), "written meanwhile, so its holder is alive; "
            + again.remedy());
      }
      now = clock.instant();
    }
    return current;
  }

  /** Who holds the lock now; empty when it is free. */
  public Optional<Lockable.Holder> holder() {
    LeaseRecord current = read();
    return current == null ? Optional.empty() : Optional.of(current.holder());
  }

  /** Deletes the lease whoever holds it; returns who did. */
  public Optional<Lockable.Holder> forceUnlock() {
    LeaseRecord current = read();
    if (current == null) {
      return Optional.empty();
    }
    try {
      delete(current.version());
    } catch (KubernetesClientException e) {
      throw failure("release", e);
    }
    sightings.forget(name);
    return Optional.of(current.holder());
  }

  /** The Lease now, null when there is none. */
  LeaseRecord read() {
    String body;
    try {
      body = client.raw(url(true));
    } catch (KubernetesClientException e) {
      throw failure("read", e);
    }
    JsonNode lease = body == null ? null : Json.parse(body);
    return lease == null || !lease.isObject() ? null : LeaseRecord.of(lease);
  }

  /** The hold of what was taken at {@code since}, its request sent at {@code sent} ticks. */
  private Lockable.Lock hold(String version, String holder, Instant since, long sent) {
    sightings.forget(name);
    LeaseHold held = new LeaseHold(this, holder, since, version, sent);
    if (holds != null) {
      holds.held(name, held);
    }
    if (renewing) {
      held.renewEvery(LeaseRecord.DURATION.dividedBy(3));
    }
    return held;
  }

  /** {@code hold} was closed. */
  void released(LeaseHold hold) {
    if (holds != null) {
      holds.released(name, hold);
    }
  }

  /**
   * Who holds the Lease now that a renewal found it moved ({@code code} 409) or gone (404), for
   * people: {@code agent-b (pid 7 on build-2) since ...}, {@code nobody: it was deleted}.
   */
  String holderNow(int code) {
    try {
      LeaseRecord now = read();
      return now == null ? "nobody: it was deleted (forceUnlock?)"
          : now.holder() + (code == 404 ? ", after it was deleted" : "");
    } catch (RuntimeException e) {
      return "someone else (the Lease " + (code == 404 ? "was deleted" : "was written") + "; reading it again failed: "
          + Errors.cause(e) + ")";
    }
  }

  /** Renews the Lease at {@code version} at {@code now}; the new version. */
  String renew(String version, Instant now) {
    String ops = "[{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":"
        + Json.write(Json.MAPPER.getNodeFactory().textNode(version))
        + "},{\"op\":\"add\",\"path\":\"/spec/renewTime\",\"value\":\"" + LeaseRecord.micro(now) + "\"}]";
    GenericKubernetesResource stub = new GenericKubernetesResource(); // names the Lease: no GET first
    stub.setApiVersion("coordination.k8s.io/v1");
    stub.setKind("Lease");
    stub.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace)
        .build());
    return leases().resource(stub).patch(PatchContext.of(PatchType.JSON), ops).getMetadata().getResourceVersion();
  }

  /** Deletes the Lease if it is still at {@code version}; false when it moved or went (not ours any more). */
  boolean release(String version) {
    LeaseRecord current = read();
    if (current == null || !version.equals(current.version())) {
      return false; // taken over by someone else meanwhile: theirs now, nothing to release
    }
    delete(version); // the precondition closes the race between the GET and the DELETE
    return true;
  }

  /** One DELETE with {@code version} as precondition: the server refuses it (409) once the Lease moved. */
  private void delete(String version) {
    client.raw(url(true), "DELETE", "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"preconditions\":"
        + "{\"resourceVersion\":" + Json.write(Json.MAPPER.getNodeFactory().textNode(version)) + "}}");
  }

  /** Leases as generic resources: a Lease edited by hand (a time that is no time) is read, never refused. */
  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
      io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> leases() {
    return client.genericKubernetesResources("coordination.k8s.io/v1", "Lease").inNamespace(namespace);
  }

  Clock clock() {
    return clock;
  }

  /** Now, in monotonic nanoseconds: how long ago a hold renewed is measured so. */
  long ticks() {
    return ticks.getAsLong();
  }

  String describe() {
    return "Lease " + namespace + "/" + name + " of " + target;
  }

  static org.slf4j.Logger log() {
    return LOG;
  }

  private String url(boolean named) {
    return Urls.base(client) + "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases"
        + (named ? "/" + name : "");
  }

  private TargetException failure(String what, KubernetesClientException e) {
    return Errors.of(String.valueOf(client.getMasterUrl()), null, "cannot " + what + " lock " + namespace + "/"
        + name, e);
  }
}

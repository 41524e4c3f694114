package dev.gitops.k8s;

import dev.gitops.target.Lockable;
import dev.gitops.target.LockedException;
import dev.gitops.target.TargetException;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The target lock of {@code KubernetesTarget}: a {@code coordination.k8s.io} Lease whose holder is
 * the lock holder, with the holder's machine and process id in annotations. Taking it is one create
 * (409 when held); a lease older than the caller's lease time, or whose holder is provably gone, is
 * taken over with an update carrying its {@code resourceVersion}, so two takers cannot both win.
 */
final class LeaseLock {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String target;
  private final Clock clock;
  private static final String HOST = "gitops.dev/lock-host";
  private static final String PID = "gitops.dev/lock-pid";
  private static final String MACHINE = "gitops.dev/lock-machine";

  /** A lock named {@code name} in {@code namespace}; {@code target} describes the target in errors. */
  public LeaseLock(KubernetesClient client, String namespace, String name, String target, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.target = target;
    this.clock = clock;
  }

  /** Takes the lock or throws {@link LockedException}. */
  public Lockable.Lock lock(String holder, Duration staleAfter) {
    Instant now = clock.instant();
    var leases = client.leases().inNamespace(namespace);
    Lockable.Holder self = Lockable.Holder.self(holder, now);
    Lease mine = new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels("app.kubernetes.io/managed-by", "gitops")
        .addToAnnotations(HOST, self.host()).addToAnnotations(PID, Long.toString(self.pid()))
        .addToAnnotations(MACHINE, self.machine()).endMetadata()
        .withNewSpec().withHolderIdentity(holder).withAcquireTime(time(now)).withRenewTime(time(now))
        .endSpec().build();
    try {
      return held(leases.resource(mine).create(), holder, now);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw new TargetException(null, "cannot take lock " + namespace + "/" + name + ": HTTP "
            + e.getCode(), true, e);
      }
    }
    Lease current = leases.withName(name).get();
    if (current == null) {
      return lock(holder, staleAfter); // released meanwhile: try again
    }
    Lockable.Holder by = holder(current);
    if (!by.isOlderThan(staleAfter, now) && !by.isProvablyGone()) {
      throw new LockedException(target, by);
    }
    mine.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
    try {
      return held(leases.resource(mine).update(), holder, now);
    } catch (KubernetesClientException e) {
      throw new LockedException(target, by); // someone else took it over first
    }
  }

  /** Who holds the lock now; empty when it is free. */
  public Optional<Lockable.Holder> holder() {
    Lease current = client.leases().inNamespace(namespace).withName(name).get();
    return current == null ? Optional.empty() : Optional.of(holder(current));
  }

  /** Deletes the lease whoever holds it; returns who did. */
  public Optional<Lockable.Holder> forceUnlock() {
    var leases = client.leases().inNamespace(namespace);
    Lease current = leases.withName(name).get();
    if (current == null) {
      return Optional.empty();
    }
    try {
      leases.resource(current).lockResourceVersion(current.getMetadata().getResourceVersion()).delete();
    } catch (KubernetesClientException e) {
      throw new TargetException(null, "cannot release lock " + namespace + "/" + name + ": HTTP "
          + e.getCode(), true, e);
    }
    return Optional.of(holder(current));
  }

  private static Lockable.Holder holder(Lease lease) {
    String by = lease.getSpec().getHolderIdentity();
    Instant since = lease.getSpec().getAcquireTime() == null ? Instant.EPOCH
        : lease.getSpec().getAcquireTime().toInstant();
    java.util.Map<String, String> notes = lease.getMetadata().getAnnotations() == null ? java.util.Map.of()
        : lease.getMetadata().getAnnotations();
    long pid;
    try {
      pid = Long.parseLong(notes.getOrDefault(PID, "-1"));
    } catch (NumberFormatException e) {
      pid = -1;
    }
    return new Lockable.Holder(by == null || by.isBlank() ? "unknown" : by, notes.get(HOST), pid, since,
        notes.get(MACHINE));
  }

  private Lockable.Lock held(Lease lease, String holder, Instant since) {
    AtomicBoolean open = new AtomicBoolean(true);
    String version = lease.getMetadata().getResourceVersion();
    return new Lockable.Lock() {
      @Override
      public String holder() {
        return holder;
      }

      @Override
      public Instant since() {
        return since;
      }

      @Override
      public void close() {
        if (!open.compareAndSet(true, false)) {
          return;
        }
        try {
          var leases = client.leases().inNamespace(namespace);
          Lease current = leases.withName(name).get();
          if (current == null || !version.equals(current.getMetadata().getResourceVersion())) {
            return; // taken over by someone else meanwhile: theirs now, nothing to release
          }
          // the precondition closes the race between the GET and the DELETE on a real API server
          leases.resource(current).lockResourceVersion(version).delete();
        } catch (KubernetesClientException e) {
          // taken over between the GET and the DELETE (409): nothing to release
        }
      }
    };
  }

  private static ZonedDateTime time(Instant t) {
    return ZonedDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}

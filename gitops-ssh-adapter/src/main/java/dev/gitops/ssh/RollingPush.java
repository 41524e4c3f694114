package dev.gitops.ssh;

import dev.gitops.apply.Applier;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.apply.ApplyReport;
import dev.gitops.model.DesiredState;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.PlanOptions;
import dev.gitops.plan.Planner;
import dev.gitops.target.Scope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pushes to many hosts in batches, in the style of Ansible's {@code serial} and
 * {@code max_fail_percentage} with health gates: the hosts of a batch deploy in parallel; then a
 * health command runs on each host that deployed; a failed deploy or health check counts as a
 * failure, and once failures exceed {@code maxFailures} no further batch starts (the remaining hosts
 * are reported {@link Status#SKIPPED}). Immutable and thread-safe; {@link #push} blocks until done.
 *
 * <pre>{@code
 * RollingPush roll = RollingPush.builder().serialPercent(25).maxFailures(0)
 *     .healthCommand("curl -fsS http://localhost/health").build();
 * RollingPush.Report report = roll.push(hosts, RollingPush.files(desired, "/srv/app", "web"));
 * }</pre>
 */
public final class RollingPush {
  private final int serial;
  private final int serialPercent;
  private final int maxFailures;
  private final String healthCommand;

  private RollingPush(Builder b) {
    this.serial = b.serial;
    this.serialPercent = b.serialPercent;
    this.maxFailures = b.maxFailures;
    this.healthCommand = b.healthCommand;
  }

  /** {@return a builder set to one host at a time, stop at the first failure, no health command} */
  public static Builder builder() {
    return new Builder();
  }

  /** Deploys to one host; returns what the apply did (a failed report fails the host). */
  @FunctionalInterface
  public interface Deploy {
    /**
     * Deploys to {@code host}. May throw a {@link dev.gitops.GitOpsException}: the host fails.
     *
     * @param host one of the hosts given to {@link RollingPush#push}
     * @return what the apply did; a report that is not a success fails the host
     */
    ApplyReport deploy(Host host);
  }

  /**
   * The usual deploy: read the files under {@code root} as {@code owner}, plan towards
   * {@code desired} (prune on), apply with default options.
   *
   * @param desired the files every host should hold; not null
   * @param root absolute directory on each host
   * @param owner the reconciler name written in each host's inventory
   * @return a deploy that opens a {@link FilesTarget} per host and closes it afterwards
   */
  public static Deploy files(DesiredState desired, String root, String owner) {
    Objects.requireNonNull(desired, "desired");
    return host -> {
      FilesTarget target = FilesTarget.of(host, root);
      try (target) {
        var plan = new Planner().plan(desired, target.read(Scope.of(owner, desired.byId().keySet())),
            PlanOptions.defaults().withOwner(owner));
        return new Applier().apply(plan, target, ApplyOptions.defaults());
      }
    };
  }

  /** What happened to one host. */
  public enum Status {
    /** Deployed and healthy. */
    DEPLOYED,
    /** The deploy failed. */
    FAILED,
    /** Deployed, but the health command failed. */
    UNHEALTHY,
    /** Not attempted: the roll stopped earlier. */
    SKIPPED
  }

  /**
   * One host's result.
   *
   * @param host the host's description
   * @param batch 0-based batch index
   * @param status what happened
   * @param report the apply report, null when the deploy threw or was skipped
   * @param message why it failed, was unhealthy or skipped; {@code ""} when deployed
   */
  public record HostResult(String host, int batch, Status status, ApplyReport report, String message) {}

  /**
   * The per-host report, in the order hosts were given.
   *
   * @param hosts one result per host
   * @param stopped true when failures stopped the roll before every batch ran
   */
  public record Report(List<HostResult> hosts, boolean stopped) {
    /**
     * Copies.
     *
     * @param hosts one result per host, in the order hosts were given; copied
     * @param stopped true when failures stopped the roll before every batch ran
     */
    public Report {
      hosts = List.copyOf(hosts);
    }

    /** {@return true when every host deployed and is healthy (none failed, unhealthy or skipped)} */
    public boolean isSuccess() {
      return hosts.stream().allMatch(h -> h.status() == Status.DEPLOYED);
    }

    /**
     * {@return one line for people and logs, e.g. {@code Rolling push: 3 deployed, 1 failed,
     * 0 unhealthy, 2 skipped (stopped).}}
     */
    public String summary() {
      return "Rolling push: " + count(Status.DEPLOYED) + " deployed, " + count(Status.FAILED) + " failed, "
          + count(Status.UNHEALTHY) + " unhealthy, " + count(Status.SKIPPED) + " skipped"
          + (stopped ? " (stopped)." : ".");
    }

    private long count(Status s) {
      return hosts.stream().filter(h -> h.status() == s).count();
    }
  }

  /** The batch size for {@code hosts} hosts. */
  int batchSize(int hosts) {
    if (serialPercent > 0) {
      return Math.max(1, (int) Math.ceil(hosts * serialPercent / 100.0));
    }
    return Math.max(1, serial);
  }

  /**
   * Pushes to {@code hosts} in batches; see the type's documentation.
   *
   * @param hosts the hosts, in rollout order; batches take them in this order
   * @param deploy what to do on each host
   * @return one result per host, in the order given, and whether the roll stopped early
   */
  public Report push(List<? extends Host> hosts, Deploy deploy) {
    Objects.requireNonNull(deploy, "deploy");
    int size = batchSize(hosts.size());
    List<HostResult> results = new ArrayList<>();
    int failures = 0;
    boolean stopped = false;
    for (int start = 0, batch = 0; start < hosts.size(); start += size, batch++) {
      List<? extends Host> members = hosts.subList(start, Math.min(hosts.size(), start + size));
      if (stopped) {
        for (Host h : members) {
          results.add(new HostResult(h.describe(), batch, Status.SKIPPED, null,
              "roll stopped: " + failures + " failures exceed maxFailures " + maxFailures));
        }
        continue;
      }
      for (HostResult r : runBatch(members, batch, deploy)) {
        results.add(r);
        failures += r.status() == Status.DEPLOYED ? 0 : 1;
      }
      stopped = failures > maxFailures;
    }
    return new Report(results, stopped && results.stream().anyMatch(r -> r.status() == Status.SKIPPED));
  }

  private List<HostResult> runBatch(List<? extends Host> members, int batch, Deploy deploy) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(members.size(), 16));
    try {
      List<Future<HostResult>> futures = new ArrayList<>();
      for (Host h : members) {
        futures.add(pool.submit(() -> one(h, batch, deploy)));
      }
      List<HostResult> out = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          out.add(futures.get(i).get());
        } catch (ExecutionException e) {
          out.add(new HostResult(members.get(i).describe(), batch, Status.FAILED, null,
              String.valueOf(e.getCause())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.add(new HostResult(members.get(i).describe(), batch, Status.FAILED, null, "interrupted"));
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private HostResult one(Host host, int batch, Deploy deploy) {
    ApplyReport report;
    try {
      report = deploy.deploy(host);
    } catch (RuntimeException e) {
      return new HostResult(host.describe(), batch, Status.FAILED, null, e.getMessage());
    }
    if (!report.isSuccess()) {
      return new HostResult(host.describe(), batch, Status.FAILED, report, report.toString());
    }
    if (healthCommand.isEmpty()) {
      return new HostResult(host.describe(), batch, Status.DEPLOYED, report, "");
    }
    try {
      Host.Result health = host.execKeepingTail(Handlers.command("/", healthCommand, Host.DEFAULT_TIMEOUT), new byte[0],
          Handlers.patience(Host.DEFAULT_TIMEOUT), Handlers.KEEP_BYTES);
      return health.succeeded() ? new HostResult(host.describe(), batch, Status.DEPLOYED, report, "")
          : new HostResult(host.describe(), batch, Status.UNHEALTHY, report, "health command exited "
              + health.exitCode() + ": " + Handlers.printable(Handlers.clip(health.output().strip())));
    } catch (IOException e) {
      return new HostResult(host.describe(), batch, Status.UNHEALTHY, report, "health command: "
          + ResourceId.escape(String.valueOf(e.getMessage())));
    }
  }

  @Override
  public String toString() {
    return "RollingPush[" + (serialPercent > 0 ? serialPercent + "%" : String.valueOf(serial))
        + " per batch, maxFailures " + maxFailures + "]";
  }

  /** Options of a {@link RollingPush}. */
  public static final class Builder {
    private int serial = 1;
    private int serialPercent;
    private int maxFailures;
    private String healthCommand = "";

    private Builder() {}

    /**
     * Hosts per batch (replaces a percentage).
     *
     * @param hosts how many hosts deploy in parallel; at least 1
     * @return this builder
     */
    public Builder serial(int hosts) {
      if (hosts < 1) {
        throw new IllegalArgumentException("serial must be at least 1: " + hosts);
      }
      this.serial = hosts;
      this.serialPercent = 0;
      return this;
    }

    /**
     * Hosts per batch as a percentage of all hosts, rounded up (replaces a count).
     *
     * @param percent {@code 1} to {@code 100}; {@code 25} over 10 hosts makes batches of 3
     * @return this builder
     */
    public Builder serialPercent(int percent) {
      if (percent < 1 || percent > 100) {
        throw new IllegalArgumentException("serialPercent must be 1..100: " + percent);
      }
      this.serialPercent = percent;
      return this;
    }

    /**
     * How many hosts may fail before the roll stops.
     *
     * @param count failures tolerated, {@code 0} to stop at the first; not negative
     * @return this builder
     */
    public Builder maxFailures(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("maxFailures must not be negative: " + count);
      }
      this.maxFailures = count;
      return this;
    }

    /**
     * A command run with {@code sh -c} on each host after its batch; non-zero means unhealthy.
     *
     * @param command the health check, e.g. {@code curl -fsS http://localhost/health}; null or
     *     {@code ""} for none
     * @return this builder
     */
    public Builder healthCommand(String command) {
      this.healthCommand = Objects.requireNonNullElse(command, "");
      return this;
    }

    /** {@return the rolling push; immutable, reusable for many pushes} */
    public RollingPush build() {
      return new RollingPush(this);
    }
  }
}

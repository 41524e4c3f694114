/**
 * Running several agent replicas: {@link dev.gitops.k8s.lease.LeaseElector} elects one writer per
 * target over a {@code coordination.k8s.io} Lease, {@link dev.gitops.k8s.lease.Shard} spreads many
 * targets over the live replicas by consistent (rendezvous) hashing over membership leases.
 *
 * <pre>{@code
 * LeaseElector elector = LeaseElector.start(client, "gitops", "web", System.getenv("POD_NAME"));
 * Target guarded = elector.guard(KubernetesTarget.of(client));   // applies only while leading
 * }</pre>
 */
package dev.gitops.k8s.lease;

/**
 * Files on hosts: a {@link dev.gitops.ssh.FileTreeLoader} turns a directory of a snapshot into file
 * resources (modes, owners, excludes and handlers from {@code .gitops.yaml}); a
 * {@link dev.gitops.ssh.FilesTarget} converges a root directory on a {@link dev.gitops.ssh.Host} —
 * {@link dev.gitops.ssh.LocalHost} (this machine, the embedded default) or
 * {@link dev.gitops.ssh.SshHost} (Apache MINA SSHD, strict known_hosts) — reading it in one round
 * trip, writing atomically, pruning only what its inventory lists; {@link dev.gitops.ssh.RollingPush}
 * pushes to many hosts in batches with health gates.
 *
 * <pre>{@code
 * try (SshHost web1 = SshHost.builder().host("web1").user("deploy")
 *         .identity(Path.of("/etc/gitops/id_ed25519"), null)
 *         .knownHosts(Path.of("/etc/gitops/known_hosts")).build()) {
 *   FilesTarget target = FilesTarget.of(web1, "/srv/app");
 *   DesiredState desired = FileTreeLoader.of("hosts/web").load(snapshot);
 *   Plan plan = new Planner().plan(desired, target.read(Scope.of("web", desired.byId().keySet())),
 *       PlanOptions.defaults().withOwner("web"));
 *   ApplyReport report = new Applier().apply(plan, target, ApplyOptions.defaults());
 * }
 * }</pre>
 */
package dev.gitops.ssh;

/**
 * The systems we converge: the {@link dev.gitops.target.Target} SPI (read a scope, apply one step,
 * report health), its optional capabilities {@link dev.gitops.target.Lockable} and
 * {@link dev.gitops.target.DeployHistory} (asked of the target: {@code target.lockable()},
 * {@code target.deployHistory()}), {@link dev.gitops.target.ForwardingTarget}, the base of every
 * wrapper, which passes those capabilities through, and {@link dev.gitops.target.InMemoryTarget}, a
 * target held in memory for users' own tests, with drift, fault injection and a call log.
 *
 * <pre>{@code
 * InMemoryTarget target = InMemoryTarget.empty();
 * target.put(resource, "");                          // exists, owned by nobody
 * target.failNext(resource.id(), 2, true);           // next two writes fail, retryably
 * target.setHealth(resource.id(), Health.progressing("1 of 3 replicas"), Health.HEALTHY);
 * ActualState actual = target.read(Scope.of("web", Set.of(resource.id())));
 * List<String> calls = target.calls();               // ["read"]
 * }</pre>
 */
package dev.gitops.target;

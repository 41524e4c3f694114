/**
 * The resource model: ids, contents, desired and actual states, revisions and snapshots. Pure
 * values: no I/O, clock or threads.
 *
 * <pre>{@code
 * ResourceId web = ResourceId.parse("apps/Deployment/default/web");
 * Resource conf = Resource.of(ResourceId.file("etc/app.conf"),
 *     Content.bytes("port=80\n".getBytes(UTF_8), FileMode.REGULAR), new Origin("app.conf", 1));
 * DesiredState desired = DesiredState.of(List.of(conf));   // throws InvalidDesiredStateException
 * }</pre>
 */
package dev.gitops.model;

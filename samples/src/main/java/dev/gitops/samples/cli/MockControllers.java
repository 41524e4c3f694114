package dev.gitops.samples.cli;

import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.ForwardingTarget;
import dev.gitops.target.Target;
import dev.gitops.testing.k8s.ControllerStandIn;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Plays the controllers' part on fabric8's mock API server, where none run, through gitops-testing's
 * {@link ControllerStandIn}: after each create, update or adoption the object gets the status its
 * controller would give (workloads available, CRDs established, Namespaces active, claims bound,
 * load balancers addressed), so health checks pass. Everything else, the target's lock and deploy
 * history included, passes through. Used only by the {@code k8s-mock} target, which says so when it starts.
 */
final class MockControllers extends ForwardingTarget {
  private final ControllerStandIn controllers;

  MockControllers(Target delegate, KubernetesClient client) {
    super(delegate);
    this.controllers = new ControllerStandIn(client);
  }

  @Override
  public String applyWithDetail(Action action, String owner) {
    String detail = super.applyWithDetail(action, owner);
    ResourceId id = action.id();
    switch (action.kind()) {
      case CREATE, UPDATE, ADOPT -> controllers.settle(id.group(), id.kind(), id.namespace(), id.name());
      default -> { }
    }
    return detail;
  }
}

package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Health;

/** Health verdicts for live objects, saying what is awaited. */
final class HealthRules {
  private HealthRules() {}

  /** The verdict on {@code live} (null: the object does not exist). */
  public static Health of(ResourceId id, JsonNode live) {
    if (live == null) {
      return Health.progressing("waiting for " + id + " to exist");
    }
    JsonNode spec = live.path("spec");
    JsonNode status = live.path("status");
    String group = id.group();
    return switch (id.kind()) {
      case "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController" ->
          group.equals("apps") || group.isEmpty() || group.equals("extensions")
              ? replicas(live, spec, status) : conditions(status);
      case "DaemonSet" -> daemonSet(live, status);
      case "Job" -> job(status);
      case "Pod" -> pod(status);
      case "PersistentVolumeClaim" -> phase(status, "Bound", "Lost", "bound");
      case "Namespace" -> phase(status, "Active", "Terminating", "active");
      case "Service" -> service(spec, status);
      case "CustomResourceDefinition" -> crd(status);
      default -> conditions(status);
    };
  }

  private static boolean observed(JsonNode live, JsonNode status) {
    long generation = live.path("metadata").path("generation").asLong(0);
    return generation == 0 || status.path("observedGeneration").asLong(-1) >= generation;
  }

  private static Health replicas(JsonNode live, JsonNode spec, JsonNode status) {
    if (!observed(live, status)) {
      return Health.progressing("waiting for the controller to observe generation "
          + live.path("metadata").path("generation").asLong());
    }
    Health failed = conditionFalse(status, "Progressing", "ProgressDeadlineExceeded");
    if (failed != null) {
      return failed;
    }
    int want = spec.path("replicas").asInt(1);
    int updated = status.has("updatedReplicas") ? status.path("updatedReplicas").asInt()
        : status.path("replicas").asInt(0);
    int available = status.has("availableReplicas") ? status.path("availableReplicas").asInt()
        : status.path("readyReplicas").asInt(0);
    if (updated < want) {
      return Health.progressing("waiting for updated replicas: " + updated + " of " + want);
    }
    if (available < want) {
      return Health.progressing("waiting for available replicas: " + available + " of " + want);
    }
    return Health.HEALTHY;
  }

  private static Health daemonSet(JsonNode live, JsonNode status) {
    if (!observed(live, status)) {
      return Health.progressing("waiting for the controller to observe generation "
          + live.path("metadata").path("generation").asLong());
    }
    int want = status.path("desiredNumberScheduled").asInt(0);
    int updated = status.path("updatedNumberScheduled").asInt(0);
    int available = status.path("numberAvailable").asInt(0);
    if (updated < want || available < want) {
      return Health.progressing("waiting for daemon pods: " + updated + " updated, " + available
          + " available of " + want);
    }
    return Health.HEALTHY;
  }

  private static Health job(JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      if ("True".equals(c.path("status").asText())) {
        if ("Complete".equals(c.path("type").asText())) {
          return Health.HEALTHY;
        }
        if ("Failed".equals(c.path("type").asText())) {
          return Health.degraded("job failed: " + c.path("message").asText(c.path("reason").asText()));
        }
      }
    }
    return Health.progressing("waiting for the job to complete");
  }

  private static Health pod(JsonNode status) {
    String phase = status.path("phase").asText("");
    return switch (phase) {
      case "Succeeded" -> Health.HEALTHY;
      case "Failed" -> Health.degraded("pod failed: " + status.path("message").asText(phase));
      case "Running" -> {
        Health ready = conditions(status);
        yield ready.status() == Health.Status.UNKNOWN ? Health.HEALTHY : ready;
      }
      default -> Health.progressing("waiting for the pod to run (phase " + (phase.isEmpty() ? "unknown" : phase) + ")");
    };
  }

  private static Health phase(JsonNode status, String good, String bad, String word) {
    String phase = status.path("phase").asText("");
    if (good.equals(phase)) {
      return Health.HEALTHY;
    }
    if (bad.equals(phase)) {
      return Health.degraded("phase " + phase);
    }
    return Health.progressing("waiting to be " + word + " (phase " + (phase.isEmpty() ? "unknown" : phase) + ")");
  }

  private static Health service(JsonNode spec, JsonNode status) {
    if (!"LoadBalancer".equals(spec.path("type").asText())) {
      return Health.HEALTHY;
    }
    return status.path("loadBalancer").path("ingress").size() > 0 ? Health.HEALTHY
        : Health.progressing("waiting for a load balancer address");
  }

  private static Health crd(JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      if ("Established".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return Health.HEALTHY;
      }
    }
    for (JsonNode c : status.path("conditions")) { // a name conflict: never Established, say why at once
      if ("NamesAccepted".equals(c.path("type").asText()) && "False".equals(c.path("status").asText())) {
        String reason = c.path("reason").asText("");
        return Health.degraded("names not accepted" + (reason.isEmpty() ? "" : " (" + reason + ")") + ": "
            + Errors.printable(c.path("message").asText("")) + "; the API server does not serve its kind");
      }
    }
    return Health.progressing("waiting for the CustomResourceDefinition to be Established");
  }

  /** {@code status.conditions[type=Ready]}: True healthy, False progressing; absent unknown. */
  private static Health conditions(JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        String s = c.path("status").asText();
        if ("True".equals(s)) {
          return Health.HEALTHY;
        }
        String why = c.path("message").asText(c.path("reason").asText(""));
        return Health.progressing("waiting for Ready" + (why.isEmpty() ? "" : ": " + why));
      }
    }
    return new Health(Health.Status.UNKNOWN, "");
  }

  private static Health conditionFalse(JsonNode status, String type, String reason) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText()) && "False".equals(c.path("status").asText())
          && (reason == null || reason.equals(c.path("reason").asText()))) {
        return Health.degraded(type + " is False: " + c.path("message").asText(c.path("reason").asText()));
      }
    }
    return null;
  }
}

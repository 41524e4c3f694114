package dev.gitops.plan;

import static dev.gitops.model.Fixtures.configMap;
import static dev.gitops.model.Fixtures.file;
import static dev.gitops.plan.PlanFixtures.deployment;
import static dev.gitops.plan.PlanFixtures.observed;
import static dev.gitops.plan.PlanFixtures.secret;

import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Handler;
import dev.gitops.model.Observed;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** One plan with every kind of step, a Secret and files; inputs can be shuffled. */
final class SamplePlan {
  static final String SECRET_NEW = "bmV3LXBhc3N3b3Jk";
  static final String SECRET_OLD = "b2xkLXBhc3N3b3Jk";
  static final String SECRET_CREATED = "aHVudGVyMg==";
  static final PlanOptions OPTIONS = PlanOptions.defaults().withOwner("shop")
      .withAdoption(PlanOptions.Adoption.ADOPT);

  private SamplePlan() {}

  static List<Resource> desired() {
    return new ArrayList<>(List.of(
        deployment("web", 3),
        configMap("app", Map.of("mode", "fast", "level", "2")),
        configMap("same", Map.of("k", "v")),
        deployment("api", 2),
        secret("db", Map.of("password", SECRET_CREATED)),
        secret("tls", Map.of("key", SECRET_NEW, "user", "YWRtaW4=")),
        file("etc/app.conf", "port=8080\nworkers=4\n"),
        file("nginx/nginx.conf", "events {}\n"),
        Resource.of(ResourceId.file("bin/tool"), Content.bytes(new byte[] {0, 1, 2, (byte) 255},
            FileMode.EXECUTABLE), new Origin("bin/tool", 1))));
  }

  static List<Observed> actual() {
    return new ArrayList<>(List.of(
        observed(configMap("app", Map.of("mode", "slow", "level", "2")), "shop", "41"),
        observed(configMap("same", Map.of("k", "v")), "shop", "7"),
        observed(deployment("api", 1), ""),
        observed(secret("tls", Map.of("key", SECRET_OLD, "user", "YWRtaW4=")), "shop", "12"),
        observed(file("etc/app.conf", "port=80\nworkers=4\n"), "shop"),
        observed(deployment("old", 1), "shop", "3"),
        observed(deployment("theirs", 1), "other", "5")));
  }

  static List<Handler> handlers() {
    return List.of(new Handler("reload-nginx", "nginx -s reload", List.of("nginx/**"), new Origin("handlers.yaml", 2)));
  }

  static Plan plan() {
    return plan(desired(), actual());
  }

  static Plan plan(List<Resource> desired, List<Observed> actual) {
    return new Planner().plan(DesiredState.of(desired, handlers(), List.of()), ActualState.of(actual), OPTIONS)
        .withRevision("3f2c1e0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e");
  }

  static Plan shuffled(long seed) {
    Random random = new Random(seed);
    List<Resource> d = desired();
    List<Observed> a = actual();
    Collections.shuffle(d, random);
    Collections.shuffle(a, random);
    return plan(d, a);
  }
}

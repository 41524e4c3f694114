package dev.gitops.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.apply.ApplyOptions;
import dev.gitops.model.Content;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.source.GitSource;
import dev.gitops.target.InMemoryTarget;
import dev.gitops.target.Target;
import dev.gitops.testing.git.GitRepo;
import dev.gitops.testing.time.MutableClock;
import dev.gitops.testing.time.VirtualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What a reconcile test needs: a real Git repository in a temporary directory read through a
 * {@link GitSource} (counted), an {@link InMemoryTarget}, a clock and a scheduler in virtual time, a
 * recording listener, and ConfigMap fixtures.
 */
final class Rig implements AutoCloseable {
  static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  final GitRepo repo;
  final GitSource git;
  final CountingSource source;
  final MutableClock clock = new MutableClock(START);
  final VirtualScheduler scheduler = new VirtualScheduler(clock);
  final InMemoryTarget memory = InMemoryTarget.named("test");
  final RecordingListener listener = new RecordingListener();

  Rig(Path dir) {
    repo = GitRepo.init(dir.resolve("repo"));
    git = GitSource.builder(repo.url()).ref("main").cache(dir.resolve("cache")).build();
    source = new CountingSource(git);
    memory.setClock(clock);
  }

  /** A reconciler named {@code web} over this rig's source, writing to {@code target}. */
  Reconciler.Builder reconciler(Target target) {
    return Reconciler.builder().name("web").source(source).loader(new JsonLoader()).target(target)
        .applyOptions(applyOptions()).listener(listener).clock(clock);
  }

  /** A reconciler named {@code web} writing to the in-memory target. */
  Reconciler reconciler() {
    return reconciler(memory).build();
  }

  /** One step at a time, no retries, no waiting: virtual time only. */
  ApplyOptions applyOptions() {
    return ApplyOptions.defaults().withParallelism(1).withRetry(1, Duration.ZERO, Duration.ZERO)
        .withHealthWait(Duration.ZERO, Duration.ZERO).withSleeper(d -> { }).withClock(clock)
        .withJitterSeed(1);
  }

  /** The id of ConfigMap {@code default/<name>}. */
  static ResourceId cm(String name) {
    return ResourceId.of("ConfigMap", "default", name);
  }

  /** A ConfigMap's JSON with one data field, {@code color}. */
  static String configMap(String name, String color) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"default\"},\"data\":{\"color\":\"" + color + "\"}}";
  }

  /** A hand edit on the target: ConfigMap {@code name} now has {@code color}, still owned by web. */
  void handEdit(String name, String color) {
    memory.put(Resource.of(cm(name), tree(configMap(name, color))), "web");
  }

  /** The color the target holds for ConfigMap {@code name}, or null when absent. */
  String color(String name) {
    Observed o = memory.get(cm(name));
    return o == null ? null : ((Content.Tree) o.resource().content()).node().path("data").path("color").asText();
  }

  /** Who owns ConfigMap {@code name} on the target, or null when absent. */
  String owner(String name) {
    Observed o = memory.get(cm(name));
    return o == null ? null : o.owner();
  }

  /** The target's log of writes ({@code apply ...} lines) so far. */
  java.util.List<String> writes() {
    return memory.calls().stream().filter(c -> c.startsWith("apply ")).toList();
  }

  private static Content.Tree tree(String json) {
    try {
      return Content.tree(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public void close() {
    git.close();
    repo.close();
  }
}

package dev.gitops.plan;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Handler;
import dev.gitops.model.Observed;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * Small generated reconcile scenarios for the planner's laws. A scenario is two lists of small
 * integers, each decoded into one resource (so QuickTheories shrinks towards fewer, simpler
 * resources): desired {@code x} gives name {@code x % 8}, kind {@code x / 8 % 3} (ConfigMap,
 * Deployment, File), value {@code x / 24 % 3}, wave {@code x / 72 % 3} and a depends-on mask
 * {@code x / 216} over earlier resources of the same or an earlier wave; actual {@code y} gives
 * name, kind, value and owner {@code y / 72 % 3} ("web", nobody, "other").
 */
final class PlanGen {
  static final String OWNER = "web";
  static final List<String> OWNERS = List.of(OWNER, "", "other");
  static final Handler RELOAD = new Handler("reload", "reload", List.of("n[0-3].conf"), Origin.UNKNOWN);

  /** A value per {@code value}: plain, and with a direction override, line separators, C1 controls, DEL, a tag. */
  static final List<String> HIDDEN = List.of("plain", "a\u202eb\u2028c\u2029d", "\u0085\u009b[2J\u007f\udb40\udc01");

  private PlanGen() {}

  /** Encoded desired resources. */
  static Gen<List<Integer>> desired() {
    return SourceDSL.lists().of(SourceDSL.integers().between(0, 216 * 64 - 1)).ofSizeBetween(0, 6);
  }

  /** Encoded actual resources. */
  static Gen<List<Integer>> actual() {
    return SourceDSL.lists().of(SourceDSL.integers().between(0, 215)).ofSizeBetween(0, 6);
  }

  /** One decoded scenario; {@code shuffle} non-zero permutes lists and tree field order. */
  record Scenario(DesiredState desired, ActualState actual) {
    static Scenario of(List<Integer> desired, List<Integer> actual, long shuffle) {
      Random random = new Random(shuffle);
      List<Resource> resources = new ArrayList<>();
      Set<ResourceId> seen = new HashSet<>();
      Map<ResourceId, Integer> waves = new TreeMap<>();
      for (int x : desired) {
        int wave = x / 72 % 3;
        Resource r = resource(x % 8, x / 8 % 3, x / 24 % 3, shuffle != 0 && random.nextBoolean());
        if (!seen.add(r.id())) {
          continue;
        }
        Map<String, String> ann = new TreeMap<>();
        ann.put(Resource.WAVE, Integer.toString(wave));
        List<String> deps = new ArrayList<>();
        int mask = x / 216;
        for (int j = 0; j < resources.size() && j < 6; j++) {
          ResourceId dep = resources.get(j).id();
          if ((mask & (1 << j)) != 0 && waves.get(dep) <= wave) {
            deps.add(dep.toString());
          }
        }
        if (!deps.isEmpty()) {
          ann.put(Resource.DEPENDS_ON, String.join(",", deps));
        }
        waves.put(r.id(), wave);
        resources.add(r.withAnnotations(ann));
      }
      List<Observed> observed = new ArrayList<>();
      Set<ResourceId> seenActual = new HashSet<>();
      for (int y : actual) {
        Resource r = resource(y % 8, y / 8 % 3, y / 24 % 3, shuffle != 0 && random.nextBoolean());
        if (seenActual.add(r.id())) {
          observed.add(Observed.of(r, OWNERS.get(y / 72 % 3)));
        }
      }
      if (shuffle != 0) {
        Collections.shuffle(resources, random);
        Collections.shuffle(observed, random);
      }
      return new Scenario(DesiredState.of(resources, List.of(RELOAD), List.of()), ActualState.of(observed));
    }

    /** Is {@code id} desired with an explicit wave lower than {@code other}'s? */
    int wave(ResourceId id) {
      return desired.wave(id);
    }
  }

  static Resource resource(int name, int kind, int value, boolean reversed) {
    String n = "n" + name;
    return switch (kind) {
      case 0 -> Resource.of(ResourceId.of("ConfigMap", "default", n), tree("data", value, reversed));
      case 1 -> Resource.of(new ResourceId("apps", "Deployment", "default", n), tree("spec", value, reversed));
      default -> Resource.of(ResourceId.file("etc/" + n + ".conf"),
          Content.bytes(("v=" + value + "\n").getBytes(StandardCharsets.UTF_8), FileMode.REGULAR));
    };
  }

  private static Content tree(String field, int value, boolean reversed) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("apiVersion", "v1");
    fields.put(field, value);
    fields.put("kind", "K");
    fields.put("note", HIDDEN.get(value)); // text a terminal acts on: the plan's JSON escapes it, reads it back alike
    List<String> keys = new ArrayList<>(fields.keySet());
    if (reversed) {
      Collections.reverse(keys);
    }
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    for (String k : keys) {
      Object v = fields.get(k);
      if (v instanceof Integer i) {
        n.putObject(k).put("v", i);
      } else {
        n.put(k, (String) v);
      }
    }
    return new Content.Tree(n);
  }
}

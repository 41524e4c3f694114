package dev.gitops.samples.cli;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.apply.ApplyReport;
import dev.gitops.apply.Outcome;
import dev.gitops.model.JsonTrees;
import dev.gitops.plan.Plan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The command line's machine output, one family of documents with {@code "format"} and
 * {@code "format_version": 1}: {@code gitops-plan} ({@code plan --json}), {@code gitops-saved-plan}
 * ({@code plan --out}) and {@code gitops-apply-report} ({@code apply}, {@code push},
 * {@code pull --once} with {@code --json}). Each has numeric {@code counts}; plans and reports list
 * only the steps that do something unless {@code --include-noops}. A JSON Schema for each ships in
 * this jar under {@value #SCHEMAS} and is printed by {@code gitops schema NAME}.
 */
final class MachineJson {
  /** The version of every format of the family. */
  static final int FORMAT_VERSION = 1;
  /** Where the JSON Schemas are, as class-path resources. */
  static final String SCHEMAS = "/dev/gitops/samples/schema/";
  /** The formats' names, which are also their schemas' file names (with {@code .schema.json}). */
  static final ObjectMapper JSON = new ObjectMapper(new JsonFactoryBuilder()
      .characterEscapes(JsonTrees.hiddenEscapes()).build()); // no raw U+202E, U+2028, C1 control: as Plan.toJson

  private MachineJson() {}

  /**
   * {@code plan --json}: the plan's own JSON (secret values redacted) with {@code format},
   * numeric {@code counts}, and no-op steps left out unless {@code includeNoops} (a saved plan keeps
   * them all: {@code apply} needs them).
   */
  static String plan(Plan plan, boolean includeNoops) {
    ObjectNode root = parse(plan.toJson());
    root.put("format", "gitops-plan");
    root.set("counts", planCounts(plan));
    root.put("includes_noops", includeNoops);
    if (!includeNoops) {
      for (JsonNode wave : root.path("waves")) {
        Iterator<JsonNode> actions = wave.path("actions").elements();
        while (actions.hasNext()) {
          if ("noop".equals(actions.next().path("kind").asText())) {
            actions.remove();
          }
        }
      }
      Iterator<JsonNode> waves = root.path("waves").elements();
      while (waves.hasNext()) {
        if (waves.next().path("actions").isEmpty()) {
          waves.remove();
        }
      }
    }
    return write(root);
  }

  /** Steps of each kind, noops included: {@code {"create": 2, "update": 1, ...}}. */
  static ObjectNode planCounts(Plan plan) {
    ObjectNode counts = JSON.createObjectNode();
    plan.counts().forEach((kind, n) -> counts.put(kind.word(), n));
    return counts;
  }

  /** Outcomes of each kind: {@code {"applied": 3, "unchanged": 10, "failed": 0, "skipped": 0}}. */
  static ObjectNode reportCounts(ApplyReport report) {
    ObjectNode counts = JSON.createObjectNode();
    for (Map.Entry<Outcome.Kind, Integer> e : report.counts().entrySet()) {
      counts.put(e.getKey().word(), e.getValue());
    }
    return counts;
  }

  /**
   * The steps of {@code outcomes} that did something (all with {@code includeNoops}); the Secret
   * values of {@code plan}, which a server's answer may quote, masked in their messages.
   */
  static ArrayNode steps(List<Outcome> outcomes, boolean includeNoops, Plan plan) {
    ArrayNode steps = JSON.createArrayNode();
    UnaryOperator<String> masked = plan.masker(); // the plan's secret values found once for every step
    for (Outcome o : outcomes) {
      if (o.kind() == Outcome.Kind.UNCHANGED && !includeNoops) {
        continue;
      }
      ObjectNode step = steps.addObject();
      step.put("id", o.action().id().toString());
      step.put("action", o.action().kind().word());
      step.put("outcome", o.kind().word());
      step.put("took_ms", o.took().toMillis());
      // a server's, a host's or a handler's words: JSON escapes controls, not a direction override or a
      // line separator, which a log viewer or a terminal showing the JSON acts on
      if (o instanceof Outcome.Failed f) {
        step.put("message", Printed.lines(masked.apply(f.cause().getMessage())));
      } else if (o instanceof Outcome.Skipped s) {
        step.put("message", Printed.lines(masked.apply(s.reason())));
      } else if (o instanceof Outcome.Applied a && !a.detail().isEmpty()) {
        step.put("detail", Printed.lines(masked.apply(a.detail())));
      }
    }
    return steps;
  }

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("the library's plan JSON always parses", e);
    }
  }

  /** Pretty, keys sorted at every level, ending with a newline. */
  static String write(JsonNode root) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sorted(root)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode copy = JSON.createObjectNode();
      names.forEach(n -> copy.set(n, sorted(node.get(n))));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(e -> copy.add(sorted(e)));
      return copy;
    }
    return node;
  }
}
